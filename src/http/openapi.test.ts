import { describe, expect, it } from 'vitest';
import { operationIdOf, pruneUnusedSchemas } from './openapi.js';
import { patternOf } from './router-errors.js';

describe('operationIdOf', () => {
  it.each([
    ['GET', '/v1/requests', 'listRequests'],
    ['GET', '/v1/requests/:id', 'getRequest'],
    ['POST', '/v1/requests', 'createRequest'],
    ['POST', '/v1/requests/:id/approve', 'approveRequest'],
    ['GET', '/v1/me', 'getMe'],
    ['GET', '/v1/audit/status', 'getAuditStatus'],
    ['GET', '/v1/identities/:name', 'getIdentity'],
    ['GET', '/v1/notifications/deliveries', 'listNotificationDeliveries'],
    ['POST', '/v1/notifications/deliveries/:id/retry', 'retryNotificationDelivery'],
    ['POST', '/v1/certifications/:id/items/:itemId/decide', 'decideCertificationItem'],
    ['GET', '/v1/profiles/:name/versions', 'listProfileVersions'],
    ['POST', '/v1/resources/:id/observations', 'createResourceObservation'],
    ['POST', '/v1/break-glass/:id/review', 'reviewBreakGlass'],
    ['PUT', '/v1/resources/:id', 'putResource'],
    ['DELETE', '/v1/tokens/:id', 'deleteToken'],
    ['PATCH', '/v1/role-activations/:id', 'updateRoleActivation'],
  ] as const)('%s %s is %s', (method, url, id) => {
    expect(operationIdOf(method, url)).toBe(id);
  });
});

describe('pruneUnusedSchemas', () => {
  it('keeps the schemas operations reach, through other schemas too, and drops the rest', () => {
    const document = {
      paths: { '/a': { get: { responses: { 200: { schema: { $ref: '#/components/schemas/A' } } } } } },
      components: {
        schemas: { A: { properties: { b: { $ref: '#/components/schemas/B' } } }, B: {}, AInput: {} },
        securitySchemes: { bearer: {} },
      },
    };
    const pruned = pruneUnusedSchemas(document);
    expect(Object.keys(pruned.components.schemas)).toEqual(['A', 'B']);
    expect(pruned.components).toHaveProperty('securitySchemes');
  });
});

describe('patternOf', () => {
  it.each([
    ['/v1/requests/:id/approve', '/v1/requests/req_1/approve', true],
    ['/v1/requests/:id/approve', '/v1/requests/req_1/approve/more', false],
    ['/v1/requests/:id', '/v1/requests/', false],
    ['/docs/*', '/docs/static/index.html', true],
    ['/v1/a.b', '/v1/aXb', false],
  ] as const)('%s against %s is %s', (url, path, matches) => {
    expect(patternOf(url).test(path)).toBe(matches);
  });
});
