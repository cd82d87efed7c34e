/**
 * A grant holder must not be able to make the text of the statements they run unreadable to `audit` holders, so
 * that the record of a use says what kind of statement ran but never which. Two ways, each alone, both failing on
 * the code before the fix:
 * - a comment that looks like a credential (`-- x://a:b@c`, a URL with a password; a JWT does too): the audit
 *   log's redaction kept the whole statement as an HMAC only. Now only the credential-looking part is replaced by
 *   its HMAC in the readable copy;
 * - padding the statement past ~190 kB (a comment): the encrypted copy no longer fitted the 256 kB event and was
 *   dropped. Now a text the record could not keep readable is refused before it reaches the server.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SessionDetailView } from '../../src/features/sessions/session.view.js';
import { query } from '../../src/gateway/postgres/protocol/frontend-builders.js';
import { startGateway, type RunningGateway } from '../../src/server/gateway-runner.js';
import { everyType } from '../app/requests-fixtures.js';
import { activeGatewayGrant, gatewayAppOptions } from '../features/sessions/gateway-fixtures.js';
import { RawClient } from '../gateway/raw-client.js';
import { RealRoleProvider } from '../gateway/real-role-provider.js';
import { createHttpTestApp, type HttpTestApp } from '../http/http-fixtures.js';
import { ADMIN_URL, describeEachDialect } from '../store/dialects.js';

describeEachDialect('red team: statement text hidden from auditors', (ctx) => {
  const provider = new RealRoleProvider();
  let t: HttpTestApp;
  let gateway: RunningGateway;

  beforeAll(async () => {
    const { options } = gatewayAppOptions();
    t = await createHttpTestApp(ctx, { ...options, providers: everyType(provider) });
    gateway = await startGateway(t.app, pino({ level: 'silent' }), {
      listen: '127.0.0.1:0',
      journalDir: mkdtempSync(join(tmpdir(), 'gateway-journal-')),
    });
  });
  afterAll(async () => {
    await gateway?.stop();
    await provider.dropRoles();
  });

  async function openedTexts(identity: string, statements: readonly string[]): Promise<SessionDetailView> {
    const login = (await activeGatewayGrant(t.app, identity)).gateway!;
    const raw = await RawClient.connect(gateway.port, login.user, login.database, login.secret);
    for (const sql of statements) {
      raw.send(query(sql));
      await raw.untilReady();
    }
    raw.close();
    const sessions = () =>
      ctx.database.db
        .selectFrom('gateway_statements')
        .innerJoin('gateway_sessions', 'gateway_sessions.id', 'gateway_statements.session_id')
        .select(['gateway_sessions.id as id'])
        .where('gateway_sessions.identity', '=', identity)
        .execute();
    await expect.poll(async () => (await sessions()).length, { timeout: 10_000 }).toBe(statements.length);
    const [first] = await sessions();
    const token = await t.tokenFor('carol');
    return t.call('GET', `/v1/sessions/${first!.id}?open=true`, token).then((r) => r.json<SessionDetailView>());
  }

  it('a comment that looks like a credential leaves the statement readable to an auditor, the credential hidden', async () => {
    const sql = `select current_user -- x://a:b@c`;
    const detail = await openedTexts('gus', [sql]);
    expect(detail.statements[0]?.text).toMatch(
      /^select current_user -- x:\/\/a:\[secret hmac-sha256 [0-9a-f]{64}\]@c$/,
    );
  });

  it('a statement padded past what the record can keep readable is refused and never reaches the server', async () => {
    const login = (await activeGatewayGrant(t.app, 'hana')).gateway!;
    const raw = await RawClient.connect(gateway.port, login.user, login.database, login.secret);
    raw.send(query(`select pg_advisory_lock(4242) /* ${'x'.repeat(200_000)} */`));
    const answer = await raw.untilReady();
    const error = answer.find((message) => message.type === 'E'.charCodeAt(0));
    expect(error?.body.toString()).toContain('the record can keep readable');
    // The lock would be held by the session while it is open, had the statement reached the server.
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    try {
      const locks = await admin.query(
        "select count(*)::int as n from pg_locks where locktype = 'advisory' and objid = 4242",
      );
      expect(locks.rows).toEqual([{ n: 0 }]);
    } finally {
      await admin.end();
      raw.close();
    }
  });

  it('a statement padded to just under that bound stays readable to an auditor', async () => {
    const sql = `select current_user /* ${'x'.repeat(140_000)} */`;
    const detail = await openedTexts('ivan', [sql]);
    expect(detail.statements[0]?.text).toBe(sql);
  });
});
