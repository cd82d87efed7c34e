/** Resource profiles over HTTP: the profiles one holds a duty on, one in full, and every version loaded. */
import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../store/dialects.js';
import { createHttpTestApp, type HttpTestApp } from './http-fixtures.js';

describeEachDialect('profiles over HTTP', (ctx) => {
  let t: HttpTestApp;
  beforeAll(async () => {
    t = await createHttpTestApp(ctx);
  });

  it('lists only the profiles an identity holds a duty on', async () => {
    const quinn = await t.call('GET', '/v1/profiles', await t.tokenFor('quinn'));
    expect(quinn.json()).toMatchObject({ profiles: [{ name: 'postgres-staging', extends: 'postgres-base' }] });
    const olivia = await t.call('GET', '/v1/profiles', await t.tokenFor('olivia'));
    expect(olivia.json<{ profiles: { name: string }[] }>().profiles.map((p) => p.name)).toEqual(
      [...t.runtime.loaded.profiles.keys()].sort(),
    );
  });

  it('shows a profile with its actions, approval rules summarised, baseline, break-glass and governance', async () => {
    const response = await t.call('GET', '/v1/profiles/postgres-prod', await t.tokenFor('alice'));
    expect(response.statusCode).toBe(200);
    const profile = response.json<{
      actionDetails: { name: string; approval: { summary: string; outcome: string }[] }[];
      baseline: { name: string }[];
    }>();
    expect(profile).toMatchObject({
      name: 'postgres-prod',
      version: t.runtime.loaded.profiles.get('postgres-prod')?.version,
      classification: 'restricted',
      environment: 'production',
      breakGlass: { maxDuration: expect.any(String), reviewWithin: expect.any(String) },
      governance: { approvers: expect.arrayContaining([expect.stringMatching(/^(group|identity):/)]) },
    });
    const runSql = profile.actionDetails.find((a) => a.name === 'run-sql');
    expect(runSql).toMatchObject({ kind: 'execute', risk: 'high' });
    expect(runSql?.approval.map((r) => r.outcome)).toContain('steps');
    expect(runSql?.approval.find((r) => r.outcome === 'steps')?.summary).toMatch(
      /1 of group:dba \(independent\), then 1 of group:security/,
    );
    expect(profile.baseline.map((c) => c.name)).toEqual(expect.arrayContaining(['tls-on', 'log-connections']));
    expect((await t.call('GET', '/v1/profiles/postgres-prod', await t.tokenFor('quinn'))).statusCode).toBe(404);
    expect((await t.call('GET', '/v1/profiles/nope', await t.tokenFor('olivia'))).statusCode).toBe(404);
  });

  it('lists every version of a profile ever loaded, the one in force marked current', async () => {
    const response = await t.call('GET', '/v1/profiles/postgres-staging/versions', await t.tokenFor('quinn'));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      versions: [
        expect.objectContaining({ version: t.runtime.loaded.profiles.get('postgres-staging')?.version, current: true }),
      ],
    });
    expect((await t.call('GET', '/v1/profiles/postgres-prod/versions', await t.tokenFor('quinn'))).statusCode).toBe(
      404,
    );
  });
});
