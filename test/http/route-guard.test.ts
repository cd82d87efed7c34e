/**
 * Every registered route is guarded: without credentials it answers 401, and for an identity that lacks the
 * route's duty 403. Public and self-service routes are listed here by name, so a new route can only be left
 * open on purpose.
 */
import { beforeAll, expect, it } from 'vitest';
import { DutyIndex } from '../../src/decide/duties.js';
import { registeredRoutes, isPublicDocsRoute } from '../../src/http/app.js';
import { CONSOLE_SECTIONS } from '../../src/http/console-sections.js';
import { requiredDuties } from '../../src/http/guard.js';
import type { Duty } from '../../src/policy/model.js';
import { describeEachDialect } from '../store/dialects.js';
import { createHttpTestApp, type HttpTestApp } from './http-fixtures.js';

const PUBLIC_ROUTES = new Set([
  '/healthz',
  '/readyz',
  '/openapi.json',
  // Web-console sign-in (issue 12): these authenticate the person themselves (a token, a login link, the issuer).
  '/v1/session/options',
  '/v1/session',
  '/v1/session/link',
  '/auth/oidc/login',
  '/auth/oidc/callback',
  // Slack interactivity (issue 13): authenticated by Slack's request signature, not by a bearer token.
  '/v1/integrations/slack/interactions',
  // The web console's static files and pages (SPEC §4): no data, every piece of which comes through /v1.
  '/',
  '/assets/*',
  '/favicon.svg',
  ...CONSOLE_SECTIONS.flatMap((section) => [`/${section}`, `/${section}/*`]),
]);
const SELF_SERVICE_ROUTES = new Set([
  // Access reviews: certify, audit or administer qualify; the verbs decide (decide/certification.decide.ts).
  'GET /v1/certifications',
  'POST /v1/certifications',
  'GET /v1/certifications/:id',
  'GET /v1/break-glass/reviews',
  'GET /v1/me',
  // My own web-console sessions (issue 12): who I am, sign out, list and end mine (features/access/sessions.verbs.ts).
  'GET /v1/session',
  'DELETE /v1/session',
  'GET /v1/me/sessions',
  'DELETE /v1/me/sessions/:id',
  'POST /v1/tokens',
  'GET /v1/tokens',
  'DELETE /v1/tokens/:id',
  // Requests and grants: each identity sees and steers its own; the verbs and request-visibility.decide.ts decide
  // the rest (cancel, activate, execute and complete are the requester's; revoke is the requester's or an
  // administer holder's). Check decides "self, or audit/provision" from memory (request-visibility.decide.ts).
  'GET /v1/requests',
  'GET /v1/requests/:id',
  'POST /v1/requests/:id/cancel',
  'POST /v1/requests/:id/activate',
  'POST /v1/requests/:id/execute',
  'POST /v1/requests/:id/complete',
  'POST /v1/requests/:id/revoke',
  'GET /v1/grants',
  'POST /v1/check',
  // The console's reads (issue 12), narrowed to the caller: without `approve` the inbox is empty, without
  // `request` (or break-glass) nothing is requestable (features/requests/inbox.queries.ts, requestable.queries.ts).
  'GET /v1/inbox',
  'GET /v1/requestable',
  // Gateway sessions (issue 14): each identity reads its own; approve and audit holders those on their profiles;
  // statement text only for audit holders (features/sessions, decideSessionVisibility).
  'GET /v1/sessions',
  'GET /v1/sessions/:id',
  // Role activations (issue #9 item 3): anyone eligible asks for a role; the verbs and role-activation.decide.ts
  // decide who reads, cancels (the requester) and revokes (the requester or an administer holder).
  'POST /v1/role-activations',
  'GET /v1/role-activations',
  'GET /v1/role-activations/:id',
  'POST /v1/role-activations/:id/cancel',
  'POST /v1/role-activations/:id/revoke',
  // Reads whose verbs decide who sees what (decide/visibility.decide.ts), and actions whose verbs check the
  // real entitlement (exceptions for oneself, observations by provision holders, governance approvers).
  'GET /v1/identities',
  'GET /v1/identities/:name',
  'GET /v1/role-assignments',
  'GET /v1/admin-changes',
  'GET /v1/admin-changes/:id',
  'GET /v1/exceptions',
  'POST /v1/exceptions',
  'POST /v1/exceptions/:id/revoke',
  'GET /v1/sod/conflicts',
  'GET /v1/resources',
  'GET /v1/resources/:id',
  'GET /v1/resources/:id/observations',
  'POST /v1/resources/:id/observations',
  'POST /v1/resources/:id/observe',
  'GET /v1/drift',
  'GET /v1/profiles',
  'GET /v1/profiles/:name',
  'GET /v1/profiles/:name/versions',
  // The console's resource timeline and profile explanation (issue 12): the reads of the resource and profile
  // above, narrowed the same way (others' grants and requests only for those who may list them).
  'GET /v1/profiles/:name/explain',
  'GET /v1/resources/:id/timeline',
  'GET /v1/policy/changes',
  'GET /v1/policy/changes/:id',
  'POST /v1/policy/changes/:id/approve',
  'POST /v1/policy/changes/:id/reject',
]);

function concreteUrl(url: string): string {
  return url.replace(/:[A-Za-z]+/g, 'x1').replace(/\*$/, 'x');
}

describeEachDialect('the route guard', (ctx) => {
  let t: HttpTestApp;
  beforeAll(async () => {
    t = await createHttpTestApp(ctx);
  });

  function routes() {
    return registeredRoutes(t.http).filter((route) => route.method !== 'HEAD');
  }

  it('knows the routes of the API', () => {
    expect(routes().map((r) => `${r.method} ${r.url}`)).toEqual(expect.arrayContaining([...SELF_SERVICE_ROUTES]));
  });

  it("leaves open only health, readiness, the OpenAPI document, the docs page, sign-in and the console's files", () => {
    const open = routes().filter((route) => route.access === 'public');
    for (const route of open) expect(PUBLIC_ROUTES.has(route.url) || isPublicDocsRoute(route.url)).toBe(true);
  });

  it('lets any identity in only on the self-service routes listed here', () => {
    const selfService = routes().filter((route) => route.access === 'authenticated');
    expect(selfService.map((r) => `${r.method} ${r.url}`).sort()).toEqual([...SELF_SERVICE_ROUTES].sort());
  });

  it('answers 401 problem+json on every protected route without credentials', async () => {
    for (const route of routes().filter((r) => r.access !== 'public' && r.access !== 'scim')) {
      const response = await t.http.inject({ method: route.method as 'GET', url: concreteUrl(route.url), payload: {} });
      expect({ route: `${route.method} ${route.url}`, status: response.statusCode }).toEqual({
        route: `${route.method} ${route.url}`,
        status: 401,
      });
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
  });

  it('lets only a SCIM client token in on the SCIM routes: none, or an API token, is a 401 SCIM error', async () => {
    const scimRoutes = routes().filter((r) => r.access === 'scim');
    expect(scimRoutes.every((r) => r.url.startsWith('/scim/v2/'))).toBe(true);
    const apiToken = await t.tokenFor('victor');
    for (const [index, route] of scimRoutes.entries()) {
      // A few with the API token: each refusal counts as a failed authentication, and ten make the address wait.
      for (const token of index < 5 ? [undefined, apiToken] : [undefined]) {
        const response = await t.call(route.method as 'GET', concreteUrl(route.url), token, {});
        expect({ route: `${route.method} ${route.url}`, status: response.statusCode }).toEqual({
          route: `${route.method} ${route.url}`,
          status: 401,
        });
        expect(response.json()).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'] });
      }
    }
  });

  it('answers 403 on every duty route to an identity that lacks the duty', async () => {
    const policy = t.runtime.loaded;
    const duties = new DutyIndex(policy, t.clock.now());
    const lacking = (needed: readonly Duty[]): string => {
      const found = [...policy.identities.values()].find(
        (i) => !i.disabled && !needed.some((duty) => duties.holdsAnywhere(i.name, duty)),
      );
      if (!found) throw new Error(`every identity of the example policy holds one of '${needed.join(', ')}'`);
      return found.name;
    };
    const guarded = routes().filter(
      (r) => r.access !== 'public' && r.access !== 'authenticated' && r.access !== 'scim',
    );
    expect(guarded.length).toBeGreaterThan(0); // /metrics at least
    for (const route of guarded) {
      const identity = lacking(requiredDuties(route.access));
      const response = await t.call(route.method as 'GET', concreteUrl(route.url), await t.tokenFor(identity), {});
      expect({ route: `${route.method} ${route.url}`, identity, status: response.statusCode }).toEqual({
        route: `${route.method} ${route.url}`,
        identity,
        status: 403,
      });
      expect(response.json()).toMatchObject({ code: 'forbidden' });
    }
  });
});
