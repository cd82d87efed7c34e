/**
 * Issue #9 item 11 and its low items on the HTTP edge, written as the attacks: an identity that may not plan a
 * policy makes the server parse and compile one; a real policy directory is too large for plan and apply; a
 * deeply nested JSON body overflows the stack. On both dialects.
 */
import { expect, it } from 'vitest';
import { DutyIndex } from '../../src/decide/duties.js';
import { registeredRoutes } from '../../src/http/app.js';
import { requiredDuties } from '../../src/http/guard.js';
import { readPolicyDirectory } from '../../src/policy/policy-files.js';
import { EXAMPLE_POLICY_DIR } from '../app/harness.js';
import { createHttpTestApp } from '../http/http-fixtures.js';
import { describeEachDialect } from '../store/dialects.js';

async function exampleFiles(): Promise<{ path: string; text: string }[]> {
  const { sources } = await readPolicyDirectory(EXAMPLE_POLICY_DIR);
  return sources.map((s) => ({ path: s.path, text: s.text }));
}

/** The example policy grown past 70 KB with a documented file of comments, as real directories are. */
async function seventyKilobyteDirectory(): Promise<{ path: string; text: string }[]> {
  const files = await exampleFiles();
  const line = '# Runbook: who to call, which dashboards to read, and why each of these profiles exists.\n';
  const notes = { path: `${EXAMPLE_POLICY_DIR}/notes.yaml`, text: line.repeat(Math.ceil(40_000 / line.length)) };
  const all = [...files, notes];
  expect(JSON.stringify({ files: all }).length).toBeGreaterThan(70 * 1024);
  return all;
}

function nested(depth: number): string {
  return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

describeEachDialect('HTTP hardening', (ctx) => {
  it('an identity that may not read policy changes cannot make the server parse a policy plan: 403 before the body is read', async () => {
    const t = await createHttpTestApp(ctx);
    const quinn = await t.tokenFor('quinn');
    // A body that is not even JSON: a server that parsed before authorizing would answer 400.
    const broken = await t.http.inject({
      method: 'POST',
      url: '/v1/policy/plan',
      headers: { authorization: `Bearer ${quinn}`, 'content-type': 'application/json' },
      payload: '{"files": [{"path": "a.yaml", "text": ',
    });
    expect(broken.statusCode).toBe(403);
    expect(broken.json()).toMatchObject({ code: 'forbidden' });
    // Documents that would be compiled (and fail to): still 403, never the compiler's 400.
    const files = [{ path: 'roles.yaml', text: 'kind: Role\nmetadata: { name: x }\nspec: { duties: [fly] }\n' }];
    const compiled = await t.call('POST', '/v1/policy/plan', quinn, { files });
    expect(compiled.statusCode).toBe(403);
    expect(compiled.json()).toMatchObject({ code: 'forbidden' });
    // Larger than any route accepts: the refusal comes before the size is even looked at.
    const huge = await t.call('POST', '/v1/policy/plan', quinn, {
      files: [{ path: 'big.yaml', text: 'x'.repeat(5 * 1024 * 1024) }],
    });
    expect(huge.statusCode).toBe(403);
  });

  it('every route guarded by a duty refuses a non-holder before reading its body, even one that is not JSON', async () => {
    const t = await createHttpTestApp(ctx);
    const duties = new DutyIndex(t.runtime.loaded, t.clock.now());
    const identities = [...t.runtime.loaded.identities.values()].filter((i) => !i.disabled);
    const guarded = registeredRoutes(t.http).filter(
      (r) => ['POST', 'PUT', 'DELETE'].includes(r.method) && requiredDuties(r.access).length > 0,
    );
    expect(guarded.map((r) => r.url)).toContain('/v1/policy/plan');
    for (const route of guarded) {
      const needed = requiredDuties(route.access);
      const outsider = identities.find((i) => !needed.some((duty) => duties.holdsAnywhere(i.name, duty)));
      if (outsider === undefined) continue;
      const response = await t.http.inject({
        method: route.method as 'POST',
        url: route.url.replace(/:[A-Za-z]+/g, 'x1'),
        headers: { authorization: `Bearer ${await t.tokenFor(outsider.name)}`, 'content-type': 'application/json' },
        payload: '{"not json',
      });
      expect({ route: `${route.method} ${route.url}`, status: response.statusCode }).toEqual({
        route: `${route.method} ${route.url}`,
        status: 403,
      });
    }
  });

  it('a 70 KB policy directory is planned and submitted, where the default body limit answered 413', async () => {
    const t = await createHttpTestApp(ctx);
    const peggy = await t.tokenFor('peggy');
    const files = await seventyKilobyteDirectory();
    const applied = await t.call('POST', '/v1/policy/changes', peggy, { files, description: 'runbook notes' });
    expect(applied.statusCode).toBe(201);
    const plan = await t.call('POST', '/v1/policy/plan', peggy, { files });
    expect(plan.statusCode).toBe(200);
  });

  it('a body larger than the small default limit is still refused 413 on an ordinary route', async () => {
    const t = await createHttpTestApp(ctx);
    const response = await t.call('POST', '/v1/check', await t.tokenFor('quinn'), {
      identity: 'quinn',
      resource: 'x'.repeat(70 * 1024),
      action: 'read',
    });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ code: 'invalid' });
  });

  it('a JSON body nested 3,000 levels deep answers 400 invalid, not a 500 stack overflow', async () => {
    const t = await createHttpTestApp(ctx);
    const quinn = await t.tokenFor('quinn');
    for (const url of ['/v1/requests', '/v1/break-glass']) {
      const response = await t.http.inject({
        method: 'POST',
        url,
        headers: { authorization: `Bearer ${quinn}`, 'content-type': 'application/json' },
        payload: `{"resource":"payments-db","action":"read","duration":"1h","justification":"x","params":${nested(3000)}}`,
      });
      expect({ url, status: response.statusCode }).toEqual({ url, status: 400 });
      expect(response.json()).toMatchObject({ code: 'invalid', detail: expect.stringMatching(/nested/) });
    }
    // Nesting a policy can legitimately use still parses.
    const shallow = await t.call('POST', '/v1/check', quinn, {
      identity: 'quinn',
      resource: 'payments-db',
      action: 'read',
    });
    expect(shallow.statusCode).toBe(200);
  });
});
