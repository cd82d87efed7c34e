/**
 * Issue 14, gateway-only actions, as the attacks on them: the provider's password of a gateway grant must never
 * reach the requester (activation answer), the audit log, the server's logs or any table in clear; the gateway
 * secret must stop working the moment the grant is revoked or expires; and nobody else's API token or secret, nor
 * a sealed credential moved onto another grant, opens a login.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { pino } from 'pino';
import { expect, it } from 'vitest';
import {
  findGatewayLogin,
  openGatewaySession,
  startSessionRecorder,
  verifyGatewayPassword,
  type GatewayLogin,
} from '../../src/features/sessions/index.js';
import type { Database } from '../../src/store/database.js';
import { gatewayAppOptions } from '../features/sessions/gateway-fixtures.js';
import { createHttpTestApp, type HttpTestApp } from '../http/http-fixtures.js';
import { refusal } from '../app/requests-fixtures.js';
import { describeEachDialect } from '../store/dialects.js';

const META = { gatewayId: 'gw-sec', clientAddress: '203.0.113.9:4000', tls: true, method: 'password' as const };

interface Activated {
  readonly requestId: string;
  readonly grantId: string;
  readonly secret: string;
  readonly body: string;
}

/** Every row of every table of the database, as text. */
async function everyRow(database: Database): Promise<string> {
  const names =
    database.dialect === 'sqlite'
      ? await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(database.db)
      : await sql<{
          name: string;
        }>`select table_name as name from information_schema.tables where table_schema = current_schema()`.execute(
          database.db,
        );
  const texts: string[] = [];
  for (const { name } of names.rows) {
    const rows = await sql`select * from ${sql.table(name)}`.execute(database.db);
    texts.push(JSON.stringify(rows.rows));
  }
  return texts.join('\n');
}

describeEachDialect('gateway credentials under attack', (ctx) => {
  async function setup() {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const { provider, options } = gatewayAppOptions();
    const t = await createHttpTestApp(ctx, { ...options, build: { logger: pino({ level: 'trace' }, sink) } });
    return { t, provider, lines };
  }

  async function activate(t: HttpTestApp, identity: string): Promise<Activated> {
    const token = await t.tokenFor(identity);
    const created = await t.call('POST', '/v1/requests', token, {
      resource: 'payments-db',
      action: 'query',
      duration: '30m',
    });
    const requestId = created.json<{ id: string }>().id;
    const answer = await t.call('POST', `/v1/requests/${requestId}/activate`, token);
    expect(answer.statusCode).toBe(200);
    const body = answer.json<{ request: { grant: { id: string } }; gateway: { secret: string } }>();
    return { requestId, grantId: body.request.grant.id, secret: body.gateway.secret, body: answer.body };
  }

  it('the provider password reaches no answer, audit event, log line or table, even after a recorded session', async () => {
    const { t, provider, lines } = await setup();
    const activated = await activate(t, 'maya');
    const password = provider.passwords.at(-1) ?? 'missing';
    expect(activated.body).not.toContain(password);
    const login = (await findGatewayLogin(t.app, { user: 'maya', database: 'payments-db' })) as GatewayLogin;
    const opened = await openGatewaySession(t.app, login, META);
    expect(opened.upstream.password).toBe(password);
    const recorder = await startSessionRecorder(t.app, {
      gatewayId: 'gw-sec',
      journalDir: join(mkdtempSync(join(tmpdir(), 'countersign-sec-')), 'journal'),
    });
    recorder.statement(opened.sessionId, {
      seq: 1,
      sql: 'select 1',
      facts: [{ kind: 'select', command: 'SELECT', tables: [], fingerprint: 'f' }],
      decision: { allowed: true, builtIn: false, message: 'allowed' },
      at: t.clock.now(),
    });
    recorder.close(opened.sessionId, { reason: 'client', at: t.clock.now() });
    await recorder.stop();
    const token = await t.tokenFor('maya');
    for (const url of ['/v1/sessions', `/v1/sessions/${opened.sessionId}`, `/v1/requests/${activated.requestId}`]) {
      const answer = await t.call('GET', url, token);
      expect(answer.statusCode).toBe(200);
      expect(answer.body).not.toContain(password);
    }
    await t.call('POST', `/v1/requests/${activated.requestId}/revoke`, token, {});
    const everything = await everyRow(ctx.database);
    expect(everything).not.toContain(password);
    expect(everything).not.toContain(activated.secret);
    expect(lines.join('')).not.toContain(password);
    expect(lines.join('')).not.toContain(activated.secret);
  });

  it('the secret stops working the moment the grant is revoked, and when it expires', async () => {
    const { t } = await setup();
    const revoked = await activate(t, 'nina');
    const login = (await findGatewayLogin(t.app, { user: 'nina', database: 'payments-db' })) as GatewayLogin;
    expect(await verifyGatewayPassword(t.app, login, revoked.secret)).toBe('secret');
    const answer = await t.call('POST', `/v1/requests/${revoked.requestId}/revoke`, await t.tokenFor('nina'), {});
    expect(answer.statusCode).toBe(200);
    expect(await verifyGatewayPassword(t.app, login, revoked.secret)).toBeUndefined();
    expect(await findGatewayLogin(t.app, { user: 'nina', database: 'payments-db' })).toBeUndefined();
    expect((await refusal(openGatewaySession(t.app, login, META))).code).toBe('forbidden');

    const expiring = await activate(t, 'omar');
    const before = (await findGatewayLogin(t.app, { user: 'omar', database: 'payments-db' })) as GatewayLogin;
    t.clock.advance(30 * 60_000);
    expect(await findGatewayLogin(t.app, { user: 'omar', database: 'payments-db' })).toBeUndefined();
    expect(await verifyGatewayPassword(t.app, before, expiring.secret)).toBeUndefined();
    expect((await refusal(openGatewaySession(t.app, before, META))).code).toBe('forbidden');
  });

  it("another identity's API token or gateway secret does not open a login", async () => {
    const { t } = await setup();
    const victim = await activate(t, 'pia');
    const attacker = await activate(t, 'liam');
    const login = (await findGatewayLogin(t.app, { user: 'pia', database: 'payments-db' })) as GatewayLogin;
    expect(await verifyGatewayPassword(t.app, login, attacker.secret)).toBeUndefined();
    expect(await verifyGatewayPassword(t.app, login, await t.tokenFor('liam'))).toBeUndefined();
    expect(await verifyGatewayPassword(t.app, login, await t.tokenFor('carol'))).toBeUndefined();
    // Naming the victim's grant as one's own database does not make it one's own.
    expect(await findGatewayLogin(t.app, { user: 'liam', database: `payments-db@${victim.grantId}` })).toBeUndefined();
    // The victim's secret does not log the attacker in either.
    const own = (await findGatewayLogin(t.app, { user: 'liam', database: 'payments-db' })) as GatewayLogin;
    expect(await verifyGatewayPassword(t.app, own, victim.secret)).toBeUndefined();
  });

  it("a sealed credential copied onto another grant's row does not open there", async () => {
    const { t, provider } = await setup();
    const victim = await activate(t, 'kim');
    const victimPassword = provider.passwords.at(-1) ?? 'missing';
    const attacker = await activate(t, 'judy');
    const { sealed_credential: sealed } = await ctx.database.db
      .selectFrom('gateway_credentials')
      .select('sealed_credential')
      .where('grant_id', '=', victim.grantId)
      .executeTakeFirstOrThrow();
    await ctx.database.db
      .updateTable('gateway_credentials')
      .set({ sealed_credential: sealed })
      .where('grant_id', '=', attacker.grantId)
      .execute();
    const login = (await findGatewayLogin(t.app, { user: 'judy', database: 'payments-db' })) as GatewayLogin;
    const error = await refusal(openGatewaySession(t.app, login, META));
    expect(error.code).toBe('invalid');
    expect(JSON.stringify(error)).not.toContain(victimPassword);
  });
});
