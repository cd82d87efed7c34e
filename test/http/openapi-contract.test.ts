/**
 * The OpenAPI document is the console's contract (issue 12): it is walked as a whole (every error answer is a
 * Problem whose codes our problem table maps to that status, every operation has one operationId), and the server
 * is held to it on a sample of real calls: answers validate against the documented schema (ajv), what the
 * document refuses the server refuses, unknown methods answer 405 with Allow, long and malformed paths answer
 * problem+json.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';
import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import { ERROR_CODES, type ErrorCode } from '../../src/core/errors.js';
import { PROBLEM_BY_CODE, PROBLEM_CONTENT_TYPE } from '../../src/http/problem.js';
import { MAX_PATH_PARAM_LENGTH } from '../../src/http/router-errors.js';
import { describeEachDialect } from '../store/dialects.js';
import { createHttpTestApp, type HttpTestApp } from './http-fixtures.js';

interface Parameter {
  readonly in: string;
  readonly name: string;
  readonly schema: { readonly maxLength?: number; readonly pattern?: string };
}
interface Response {
  readonly content?: Record<string, { readonly schema: unknown }>;
  readonly headers?: Record<string, unknown>;
}
interface Operation {
  readonly operationId?: string;
  readonly parameters?: readonly Parameter[];
  readonly security?: readonly unknown[];
  readonly responses: Record<string, Response>;
}
interface OpenApiDocument {
  readonly servers?: readonly { url: string }[];
  readonly paths: Record<string, Record<string, Operation>>;
  readonly components: { readonly schemas: Record<string, unknown> };
}

/** Statuses of the framework's own that carry the `invalid` code (`problem.ts`). */
const FRAMEWORK_STATUSES = new Set([405, 413, 414, 415]);

function operations(doc: OpenApiDocument): { route: string; operation: Operation }[] {
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ route: `${method.toUpperCase()} ${path}`, operation })),
  );
}

/** The codes a documented error answer names: `allOf: [Problem, { properties: { code: { enum } } }]`. */
function documentedCodes(response: Response): readonly string[] {
  const schema = response.content?.[PROBLEM_CONTENT_TYPE]?.schema as
    { allOf?: [{ $ref?: string }, { properties?: { code?: { enum?: string[] } } }] } | undefined;
  expect(schema?.allOf?.[0]?.$ref).toBe('#/components/schemas/Problem');
  return schema?.allOf?.[1]?.properties?.code?.enum ?? [];
}

describeEachDialect('the OpenAPI document as the server keeps it', (ctx) => {
  let t: HttpTestApp;
  let doc: OpenApiDocument;
  let alice: string;
  let olivia: string;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  formats.default(ajv);
  const validators = new Map<string, ValidateFunction>();

  /** Validates `response` against what the document says `route` answers with its status. */
  function expectDocumented(route: string, response: LightMyRequestResponse): void {
    const [method = '', path = ''] = route.split(' ');
    const documented = doc.paths[path]?.[method.toLowerCase()]?.responses[String(response.statusCode)];
    expect(documented, `${route} documents ${response.statusCode}`).toBeDefined();
    const type = String(response.headers['content-type']).split(';')[0] ?? '';
    const schema = documented?.content?.[type]?.schema;
    expect(schema, `${route} ${response.statusCode} documents ${type}`).toBeDefined();
    const key = `${route} ${response.statusCode} ${type}`;
    let validate = validators.get(key);
    if (validate === undefined) {
      const rooted = JSON.stringify(schema).replaceAll('"#/components/', '"openapi.json#/components/');
      validate = ajv.compile(JSON.parse(rooted) as object);
      validators.set(key, validate);
    }
    expect(validate(response.json()), JSON.stringify(validate.errors)).toBe(true);
  }

  function parameter(route: string, name: string): Parameter {
    const [method = '', path = ''] = route.split(' ');
    const found = doc.paths[path]?.[method.toLowerCase()]?.parameters?.find((p) => p.name === name);
    expect(found, `${route} documents its parameter ${name}`).toBeDefined();
    return found as Parameter;
  }

  beforeAll(async () => {
    t = await createHttpTestApp(ctx);
    doc = (await t.call('GET', '/openapi.json')).json<OpenApiDocument>();
    ajv.addSchema({ $id: 'openapi.json', components: doc.components });
    alice = await t.tokenFor('alice');
    olivia = await t.tokenFor('olivia');
  });

  it('names a server and gives every operation its own operationId', () => {
    expect(doc.servers).toEqual([expect.objectContaining({ url: '/' })]);
    const ids = operations(doc).map(({ route, operation }) => {
      expect(operation.operationId, `${route} has an operationId`).toMatch(/^[a-z][A-Za-z0-9]*$/);
      return operation.operationId;
    });
    expect(new Set(ids).size).toBe(ids.length);
    expect(doc.paths['/v1/requests/{id}/approve']?.post?.operationId).toBe('approveRequest');
    expect(doc.paths['/v1/requests']?.get?.operationId).toBe('listRequests');
    expect(doc.paths['/v1/me']?.get?.operationId).toBe('getMe');
  });

  it('documents every error answer as a Problem whose codes our problem table maps to that status', () => {
    for (const { route, operation } of operations(doc)) {
      for (const [status, response] of Object.entries(operation.responses)) {
        if (Number(status) < 400 || response.content?.[PROBLEM_CONTENT_TYPE] === undefined) continue;
        const codes = documentedCodes(response);
        expect(codes.length, `${route} ${status} names its codes`).toBeGreaterThan(0);
        for (const code of codes) {
          expect(ERROR_CODES, `${route} ${status}: '${code}' is one of our codes`).toContain(code);
          const mapped = PROBLEM_BY_CODE[code as ErrorCode].status;
          const framework = code === 'invalid' && FRAMEWORK_STATUSES.has(Number(status));
          expect(framework || mapped === Number(status), `${route} ${status} may carry '${code}'`).toBe(true);
        }
      }
    }
  });

  it('documents 401, 403 and 429 on every guarded operation, 404 and 414 wherever the path has a parameter', () => {
    for (const { route, operation } of operations(doc)) {
      const statuses = Object.keys(operation.responses);
      if (operation.security?.length !== 0)
        expect(statuses, route).toEqual(expect.arrayContaining(['401', '403', '429']));
      if (route.includes('{')) expect(statuses, route).toEqual(expect.arrayContaining(['404', '414']));
      if (route.startsWith('POST') || route.startsWith('PUT')) expect(statuses, route).toContain('413');
    }
    expect(doc.paths['/healthz']?.get?.security).toEqual([]);
    expect(doc.paths['/readyz']?.get?.security).toEqual([]);
    expect(Object.keys(doc.paths['/v1/requests/{id}/approve']?.post?.responses ?? {})).toEqual(
      expect.arrayContaining(['409', '503']),
    );
    expect(documentedCodes(doc.paths['/v1/requests/{id}/approve']!.post!.responses['403']!)).toEqual(
      expect.arrayContaining(['forbidden', 'sod_violation']),
    );
  });

  it('documents no path parameter that the router would cut short with 414', () => {
    for (const { route, operation } of operations(doc)) {
      for (const param of operation.parameters ?? []) {
        if (param.in !== 'path') continue;
        // JSON Schema counts characters, the router UTF-16 code units: a character may take two.
        expect(param.schema.maxLength, `${route} bounds {${param.name}}`).toBeDefined();
        expect(2 * (param.schema.maxLength ?? Infinity), `${route} {${param.name}}`).toBeLessThan(
          MAX_PATH_PARAM_LENGTH,
        );
      }
    }
  });

  it('answers as documented: a view, a missing credential, an unknown id, a refused body', async () => {
    expectDocumented('GET /v1/me', await t.call('GET', '/v1/me', alice));
    const anonymous = await t.call('GET', '/v1/requests/req_nothing');
    expect(anonymous.statusCode).toBe(401);
    expectDocumented('GET /v1/requests/{id}', anonymous);
    const unknown = await t.call('GET', '/v1/requests/req_nothing', alice);
    expect(unknown.statusCode).toBe(404);
    expectDocumented('GET /v1/requests/{id}', unknown);
    const refused = await t.call('POST', '/v1/requests', alice, { resource: 'payments-db' });
    expect(refused.statusCode).toBe(400);
    expectDocumented('POST /v1/requests', refused);
  });

  it('refuses a request whose duration the document refuses, before deciding anything', async () => {
    const pattern = new RegExp(
      (
        (
          doc.paths['/v1/requests']?.post as unknown as {
            requestBody: { content: Record<string, { schema: unknown }> };
          }
        ).requestBody.content['application/json']?.schema as { properties: { duration: { pattern: string } } }
      ).properties.duration.pattern,
    );
    expect(pattern.test('2h')).toBe(true);
    expect(pattern.test('2 hours')).toBe(false);
    const response = await t.call('POST', '/v1/requests', alice, {
      resource: 'payments-db',
      action: 'read',
      duration: '2 hours',
    });
    expect(response.statusCode).toBe(400);
    expectDocumented('POST /v1/requests', response);
  });

  it('documents a comma-separated status filter as the server reads it', async () => {
    const pattern = new RegExp(parameter('GET /v1/requests', 'status').schema.pattern ?? '');
    for (const [status, accepted] of [
      ['pending,approved', true],
      [' pending , approved ', true],
      ['', true],
      ['pending,bogus', false],
      ['PENDING', false],
    ] as const) {
      expect(pattern.test(status), status).toBe(accepted);
      const response = await t.call('GET', `/v1/requests?status=${encodeURIComponent(status)}`, alice);
      expect(response.statusCode, `${status}: ${response.body}`).toBe(accepted ? 200 : 400);
      expectDocumented('GET /v1/requests', response);
    }
  });

  it('documents resource names in lower case and an owner no longer than the server keeps', async () => {
    const id = parameter('GET /v1/resources/{id}', 'id').schema;
    expect(new RegExp(id.pattern ?? '').test('Analytics-DB')).toBe(false);
    const upper = await t.call('GET', '/v1/resources/Analytics-DB', alice);
    expect(upper.statusCode).toBe(400);
    expectDocumented('GET /v1/resources/{id}', upper);
    const put = doc.paths['/v1/resources/{id}']?.put as unknown as {
      requestBody: { content: Record<string, { schema: { properties: { owner: { maxLength: number } } } }> };
    };
    const ownerMax = put.requestBody.content['application/json']?.schema.properties.owner.maxLength ?? 0;
    expect(ownerMax).toBeLessThanOrEqual(200);
    const admin = await t.tokenFor('peggy');
    const tooLong = await t.call('PUT', '/v1/resources/contract-db', admin, {
      profile: 'postgres-staging',
      owner: `identity:${'a'.repeat(ownerMax)}`,
    });
    expect(tooLong.statusCode).toBe(400);
    expectDocumented('PUT /v1/resources/{id}', tooLong);
  });

  it('refuses an evidence period written loosely ("0"), and reads only whole ISO 8601 dates and times', async () => {
    for (const from of ['0', '2026', '2026-01-15T09:00:00', 'January 1']) {
      const response = await t.call('POST', '/v1/evidence', olivia, { from, to: '2026-01-16' });
      expect(response.statusCode, `${from}: ${response.body}`).toBe(400);
      expectDocumented('POST /v1/evidence', response);
    }
    const epoch = await t.call('POST', '/v1/evidence', olivia, { from: 0, to: '2026-01-16' });
    expect(epoch.statusCode).toBe(400);
  });

  it('reads a certification campaign’s times as RFC 3339, not epoch milliseconds', async () => {
    const now = t.clock.now();
    const heidi = await t.tokenFor('heidi');
    const body = (from: unknown, to: unknown, deadline: unknown) => ({
      name: 'contract review',
      kinds: ['role_assignment'],
      period: { from, to },
      deadline,
    });
    const epoch = await t.call('POST', '/v1/certifications', heidi, body(now - 3_600_000, now, now + 7 * 86_400_000));
    expect(epoch.statusCode).toBe(400);
    expectDocumented('POST /v1/certifications', epoch);
    const iso = (ms: number) => new Date(ms).toISOString();
    const created = await t.call(
      'POST',
      '/v1/certifications',
      heidi,
      body(iso(now - 3_600_000), iso(now), iso(now + 7 * 86_400_000)),
    );
    expect(created.statusCode, created.body).toBe(200);
    expectDocumented('POST /v1/certifications', created);
  });

  it('answers a method the path does not serve with 405, Allow and problem+json', async () => {
    const response = await t.http.inject({ method: 'DELETE', url: '/v1/requests' });
    expect(response.statusCode).toBe(405);
    expect(response.headers.allow).toBe('GET, HEAD, POST');
    expect(response.headers['content-type']).toContain(PROBLEM_CONTENT_TYPE);
    expect(response.json()).toMatchObject({ status: 405, code: 'invalid', title: 'Method not allowed' });
    const withParameter = await t.http.inject({ method: 'PATCH', url: '/v1/requests/req_1/approve' });
    expect(withParameter.statusCode).toBe(405);
    expect(withParameter.headers.allow).toBe('POST');
    const nowhere = await t.http.inject({ method: 'DELETE', url: '/v1/nowhere' });
    expect(nowhere.statusCode).toBe(404);
    expect(nowhere.headers.allow).toBeUndefined();
  });

  it('answers a path parameter longer than any id with 414 problem+json, as documented', async () => {
    const response = await t.call('GET', `/v1/requests/${'r'.repeat(MAX_PATH_PARAM_LENGTH + 1)}`, alice);
    expect(response.statusCode).toBe(414);
    expect(response.json()).toMatchObject({ code: 'invalid', status: 414, title: 'URI too long' });
    expectDocumented('GET /v1/requests/{id}', response);
  });

  it('leaves a 101-emoji identity name to the route, which refuses it as not a name (400, not 414)', async () => {
    const name = encodeURIComponent('😀'.repeat(101));
    const response = await t.call('GET', `/v1/identities/${name}`, alice);
    expect(response.statusCode, response.body).toBe(400);
    expectDocumented('GET /v1/identities/{name}', response);
  });

  it('answers malformed percent-encoding in the path with 400 problem+json', async () => {
    const response = await t.call('GET', '/v1/requests/%E0%A4%A', alice);
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain(PROBLEM_CONTENT_TYPE);
    expect(response.json()).toMatchObject({ code: 'invalid', detail: 'the path holds malformed percent-encoding' });
    expectDocumented('GET /v1/requests/{id}', response);
  });
});
