/** Resource profiles over HTTP: the profiles one holds a duty on, one in full, and every version loaded. */
import { beforeAll, expect, it } from 'vitest';
import { profileViewSchema, type ProfileView } from '../../src/features/resources/profile.view.js';
import { gatewayCondition as when } from '../factories/profile.factory.js';
import type { GatewayPolicy } from '../../src/policy/model.js';
import { gatewayAppOptions } from '../features/sessions/gateway-fixtures.js';
import { describeEachDialect } from '../store/dialects.js';
import { createHttpTestApp, type HttpTestApp } from './http-fixtures.js';
import { viewContract } from './view-contract.js';

const READS_ONLY: GatewayPolicy = {
  rules: [
    { name: 'reads', when: when('statement.kind == "select"'), allow: true },
    { name: 'no-writes', deny: 'writes need the change action' },
  ],
  otherwise: 'deny',
  statementTimeoutSeconds: 30,
  maxRows: 10_000,
  maxBytes: 200 * 1024 * 1024,
  masks: [
    { table: 'public.merchants', column: 'email', mask: 'hash' },
    { column: 'card_number', mask: 'last4' },
  ],
};

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

  it("shows a gateway-only action's statement rules, budgets and masks, and no gateway block on other actions", async () => {
    const gatewayApp = await createHttpTestApp(ctx, gatewayAppOptions(READS_ONLY).options);
    const answer = await gatewayApp.call('GET', '/v1/profiles/postgres-prod', await gatewayApp.tokenFor('gus'));
    expect(answer.statusCode).toBe(200);
    const profile = (await viewContract(gatewayApp)).expectAnswer(
      'GET /v1/profiles/{name}',
      200,
      answer.json<ProfileView>(),
      profileViewSchema,
    );
    expect(profile.actionDetails.find((action) => action.name === 'query')?.gateway).toEqual({
      rules: [
        { name: 'reads', when: 'statement.kind == "select"', outcome: 'allow', message: null },
        { name: 'no-writes', when: null, outcome: 'deny', message: 'writes need the change action' },
      ],
      default: 'deny',
      statementTimeoutSeconds: 30,
      maxRows: 10_000,
      maxBytes: 209_715_200,
      masks: [
        { table: 'public.merchants', column: 'email', mask: 'hash' },
        { table: null, column: 'card_number', mask: 'last4' },
      ],
    });
    expect(profile.actionDetails.find((action) => action.name === 'read')?.gateway).toBeNull();
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
