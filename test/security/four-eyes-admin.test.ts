/**
 * Issue #9 item 2, "one administrator must not be able to run a privileged action alone": binding a resource to
 * a production DSN, giving a machine identity a request role and minting it a token were three single-admin
 * calls that chained into an auto-approved `run-sql` on production. Administrative changes that widen access
 * now wait for a second administrator, and a resource registered through the API names only a connection the
 * operator allow-listed, never an environment variable or a file of the host.
 */
import { expect, it } from 'vitest';
import { describeEachDialect } from '../store/dialects.js';
import { createHttpTestApp, type HttpTestApp } from '../http/http-fixtures.js';

/** What the operator allow-listed: the production primary, under a name. */
const ALLOWED = new Map([['payments-primary', { dsnEnv: 'PAYMENTS_DB_DSN' }]]);

const RUN_SQL = {
  resource: 'shadow-payments',
  action: 'run-sql',
  duration: '15m',
  justification: 'cleanup',
  params: { sql: 'update payouts set amount = 0' },
};

/** The NHI's token: minted by the administrator if that is still allowed, else assume it leaked anyway. */
async function nhiToken(t: HttpTestApp, adminToken: string): Promise<string> {
  const minted = await t.call('POST', '/v1/tokens', adminToken, { identity: 'deploy-bot', ttl: '1h' });
  return minted.statusCode === 201 ? (minted.json() as { token: string }).token : t.tokenFor('deploy-bot');
}

/** Everything the chain would have to leave behind to count as a success for the attacker. */
async function leftBehind(t: HttpTestApp) {
  const db = t.app.database.db;
  const resources = await db
    .selectFrom('resources')
    .select('name')
    .where('name', '=', 'shadow-payments')
    .where('removed_at', 'is', null)
    .execute();
  const assignments = await db
    .selectFrom('role_assignments')
    .select('id')
    .where('subject_name', '=', 'deploy-bot')
    .where('source', '=', 'api')
    .where('removed_at', 'is', null)
    .execute();
  const executions = (await t.auditEvents()).filter((e) => e.action === 'request.execute');
  return { resources, assignments, executions };
}

describeEachDialect('no single administrator runs a privileged action alone', (ctx) => {
  it('one administrator binding a resource to the production DSN, giving an NHI a request role and minting it a token does not get a run-sql executed', async () => {
    const t = await createHttpTestApp(ctx, { allowedConnections: ALLOWED });
    const victor = await t.tokenFor('victor');

    // 1. A lax profile (staging: run-sql auto-approved while healthy), bound to production's DSN variable.
    const freeForm = await t.call('PUT', '/v1/resources/shadow-payments', victor, {
      profile: 'postgres-staging',
      connection: { dsnEnv: 'PAYMENTS_DB_DSN' },
    });
    expect(freeForm.statusCode).toBe(400);
    expect(freeForm.json()).toMatchObject({ code: 'invalid' });
    const byName = await t.call('PUT', '/v1/resources/shadow-payments', victor, {
      profile: 'postgres-staging',
      connection: { name: 'payments-primary' },
    });
    expect(byName.statusCode).toBe(202);
    expect(byName.json()).toMatchObject({ status: 'pending', kind: 'resource', author: 'victor' });
    // The attacker also reports the resource as observed and clean, so that a drift-gated auto rule matches.
    await t.call('POST', '/v1/resources/shadow-payments/observations', victor, { config: {} });

    // 2. A request role for a machine identity.
    const assigned = await t.call('POST', '/v1/role-assignments', victor, {
      role: 'dba-staging',
      subject: 'identity:deploy-bot',
    });
    expect(assigned.statusCode).toBe(202);

    // 3. A token for the machine, and the auto-approved run-sql as the machine.
    const bot = await nhiToken(t, victor);
    const created = await t.call('POST', '/v1/requests', bot, RUN_SQL);
    expect(created.statusCode).toBeGreaterThanOrEqual(400);
    const id = created.statusCode === 201 ? (created.json() as { id: string }).id : 'none';
    await t.call('POST', `/v1/requests/${id}/execute`, bot, {});

    // Nor may the author approve their own changes.
    for (const change of [byName, assigned]) {
      const own = await t.call('POST', `/v1/admin-changes/${(change.json() as { id: string }).id}/approve`, victor, {});
      expect(own.statusCode).toBe(403);
    }
    expect(await leftBehind(t)).toEqual({ resources: [], assignments: [], executions: [] });
  });

  it('a resource the API registered before the allow-list keeps no free-form connection to a host variable or file', async () => {
    const t = await createHttpTestApp(ctx, { allowedConnections: ALLOWED });
    const now = t.clock.now();
    for (const [name, connection] of [
      ['legacy-env', { dsnEnv: 'PAYMENTS_DB_DSN' }],
      ['legacy-file', { dsnFile: '/etc/countersign/payments.dsn' }],
    ] as const) {
      await t.app.database.db
        .insertInto('resources')
        .values({
          name,
          profile: 'postgres-staging',
          labels: '{}',
          owner: null,
          connection: JSON.stringify(connection),
          attributes: '{}',
          source: 'api',
          created_at: now,
          updated_at: now,
          removed_at: null,
        })
        .execute();
    }
    const snapshot = await t.app.database.db.transaction().execute((trx) => t.app.policy.snapshot(trx, now));
    expect(snapshot.policy.resources.get('legacy-env')?.connection).toEqual({});
    expect(snapshot.policy.resources.get('legacy-file')?.connection).toEqual({});
  });
});
