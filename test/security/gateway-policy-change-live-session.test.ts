/**
 * Attack: a grant holder keeps a gateway session open while the profile is narrowed (a rule added after an
 * incident, a column masked, the action taken off the gateway), and goes on doing in that session what the new
 * profile refuses: the session was decided by the gateway block it opened with, until its grant ended, hours later.
 * Through Countersign's own wiring and the real PostgreSQL; the policy in force is swapped the way an applied change
 * set, a reload and the change follower of another replica all swap it (`PolicyRuntime.replace`).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.js';
import type { GatewayPolicy } from '../../src/policy/model.js';
import { startGateway, type RunningGateway } from '../../src/server/gateway-runner.js';
import { createTestApp } from '../app/harness.js';
import { everyType } from '../app/requests-fixtures.js';
import { gatewayCondition } from '../factories/profile.factory.js';
import {
  ALLOW_ALL,
  activeGatewayGrant,
  connectThroughGateway,
  gatewayAppOptions,
  gatewayPolicy,
  outcomeOf,
} from '../features/sessions/gateway-fixtures.js';
import { adminSql } from '../gateway/admin-sql.js';
import { RealRoleProvider } from '../gateway/real-role-provider.js';
import { describeEachDialect } from '../store/dialects.js';

const SUFFIX = `${process.pid}_${Date.now()}`;
const SECRET = `secret_notes_${SUFFIX}`;
const PEOPLE = `people_${SUFFIX}`;
const EMAIL = 'ada.lovelace@example.com';

const NO_SECRETS: GatewayPolicy = {
  ...ALLOW_ALL,
  rules: [
    {
      name: 'no-secrets',
      when: gatewayCondition('statement.tables.exists(t, t.startsWith("secret"))'),
      deny: 'secret tables are off limits',
    },
  ],
};

describeEachDialect('a gateway session while its profile is narrowed', (ctx) => {
  const provider = new RealRoleProvider([`grant select on ${SECRET}, ${PEOPLE} to \${role}`]);
  let app: AppContext;
  let gateway: RunningGateway;
  const clients: pg.Client[] = [];

  beforeAll(async () => {
    await adminSql(`create table ${SECRET} (note text); insert into ${SECRET} values ('swordfish')`, 'test');
    await adminSql(`create table ${PEOPLE} (id int, email text); insert into ${PEOPLE} values (1, '${EMAIL}')`, 'test');
    const { options } = gatewayAppOptions(ALLOW_ALL);
    app = (await createTestApp(ctx, { ...options, providers: everyType(provider) })).app;
    gateway = await startGateway(app, pino({ level: 'silent' }), {
      listen: '127.0.0.1:0',
      journalDir: mkdtempSync(join(tmpdir(), 'gateway-journal-')),
    });
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) await client.end().catch(() => undefined);
    app.policy.replace(gatewayPolicy(ALLOW_ALL));
  });
  afterAll(async () => {
    await gateway?.stop();
    await provider.dropRoles();
    await adminSql(`drop table if exists ${SECRET}, ${PEOPLE}`, 'test');
  });

  const openSession = async (identity: string): Promise<pg.Client> => {
    const client = await connectThroughGateway(gateway.port, await activeGatewayGrant(app, identity));
    clients.push(client);
    return client;
  };

  it('a rule added while the session is open refuses its next statement', async () => {
    const client = await openSession('gus');
    expect(await outcomeOf(client, `select note from ${SECRET}`)).toEqual({ rows: [{ note: 'swordfish' }] });
    app.policy.replace(gatewayPolicy(NO_SECRETS));
    expect(await outcomeOf(client, `select note from ${SECRET}`)).toMatchObject({
      code: '42501',
      message: expect.stringContaining("rule 'no-secrets'"),
    });
    // The rest of the session goes on under the new rules.
    expect(await outcomeOf(client, `select id from ${PEOPLE}`)).toEqual({ rows: [{ id: 1 }] });
  });

  it('a mask added while the session is open: nothing more runs in it, and a new session is masked', async () => {
    const client = await openSession('hana');
    app.policy.replace(gatewayPolicy({ ...ALLOW_ALL, masks: [{ column: 'email', mask: 'redact' }] }));
    const stale = await outcomeOf(client, `select email from ${PEOPLE}`);
    expect(stale).toMatchObject({ code: '42501', message: expect.stringContaining('reconnect') });
    expect(JSON.stringify(stale)).not.toContain(EMAIL);
    const fresh = await openSession('hana');
    const masked = await outcomeOf(fresh, `select email from ${PEOPLE}`);
    expect(JSON.stringify(masked)).not.toContain(EMAIL);
    expect(masked).toHaveProperty('rows');
  });

  it('an action taken off the gateway refuses every further statement of its open sessions', async () => {
    const client = await openSession('ivan');
    const { options } = gatewayAppOptions(undefined);
    const withoutGateway = options.policy;
    const profile = [...withoutGateway.profiles.values()][0]!;
    const query = profile.actions.get('query')!;
    const { gateway: _dropped, ...plain } = query;
    const actions = new Map(profile.actions).set('query', plain);
    const profiles = new Map(withoutGateway.profiles).set(profile.name, { ...profile, actions });
    app.policy.replace({ ...withoutGateway, profiles });
    expect(await outcomeOf(client, 'select 1')).toMatchObject({
      code: '42501',
      message: expect.stringContaining('no longer a gateway action'),
    });
  });
});
