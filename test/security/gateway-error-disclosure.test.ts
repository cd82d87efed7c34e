/**
 * A failed statement's error message is recorded for auditors, and only for them (issue 14). PostgreSQL quotes
 * data in its errors — a unique violation's DETAIL names the duplicate value (`Key (email)=(ada@…) already
 * exists.`), a bad cast quotes its input — so the message, DETAIL and HINT are evidence an auditor needs and data
 * nobody else may read. Through the real gateway and PostgreSQL, with both protocols: an `audit` holder who opens
 * the session reads them (`GET /v1/sessions/{id}?open=true`, `countersign sessions replay --open`), the opening
 * audited; the session's own identity, an approver, the audit log, the session tables and the gateway's journal
 * on disk never hold them in clear. Before, only the SQLSTATE was recorded and no auditor could read the message
 * (the first test failed there); the disclosure checks guard that recording it does not leak it.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sessionDetailSchema, type SessionDetailView } from '../../src/features/sessions/session.view.js';
import { startGateway, type RunningGateway } from '../../src/server/gateway-runner.js';
import { everyType } from '../app/requests-fixtures.js';
import { runClient } from '../cli/client-harness.js';
import { activeGatewayGrant, connectThroughGateway, gatewayAppOptions } from '../features/sessions/gateway-fixtures.js';
import { RealRoleProvider } from '../gateway/real-role-provider.js';
import { createHttpTestApp, type HttpTestApp } from '../http/http-fixtures.js';
import { describeEachDialect } from '../store/dialects.js';

const UNIQUE_VIOLATION = 'duplicate key value violates unique constraint "accounts_email_key"';

describeEachDialect('red team: the error message of a failed statement', (ctx) => {
  const provider = new RealRoleProvider();
  const journalDir = mkdtempSync(join(tmpdir(), 'gateway-journal-'));
  let t: HttpTestApp;
  let gateway: RunningGateway;
  let url = '';

  beforeAll(async () => {
    const { options } = gatewayAppOptions();
    t = await createHttpTestApp(ctx, { ...options, providers: everyType(provider) });
    gateway = await startGateway(t.app, pino({ level: 'silent' }), { listen: '127.0.0.1:0', journalDir });
    await t.http.listen({ host: '127.0.0.1', port: 0 });
    url = `http://127.0.0.1:${(t.http.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await gateway?.stop();
    await t?.http.close();
    await provider.dropRoles();
  });

  async function connect(identity: string): Promise<pg.Client> {
    return connectThroughGateway(gateway.port, await activeGatewayGrant(t.app, identity));
  }

  /** The session of `identity`, once `failed` of its statements are shipped with their error's event. */
  async function shippedSession(identity: string, failed: number): Promise<string> {
    const failures = () =>
      ctx.database.db
        .selectFrom('gateway_statements')
        .innerJoin('gateway_sessions', 'gateway_sessions.id', 'gateway_statements.session_id')
        .select(['gateway_sessions.id as id'])
        .where('gateway_sessions.identity', '=', identity)
        .where('gateway_statements.error_audit_seq', 'is not', null)
        .execute();
    await expect.poll(async () => (await failures()).length, { timeout: 10_000 }).toBe(failed);
    return (await failures())[0]!.id;
  }

  async function detailFor(identity: string, sessionId: string, open: boolean) {
    const response = await t.call(
      'GET',
      `/v1/sessions/${sessionId}${open ? '?open=true' : ''}`,
      await t.tokenFor(identity),
    );
    return { status: response.statusCode, body: response.body };
  }

  /** Every place the record is kept, as text: the journal files on disk, the session tables, the audit log. */
  async function everythingStored(): Promise<string> {
    const journal = readdirSync(journalDir)
      .filter((name) => name.endsWith('.jsonl'))
      .map((name) => readFileSync(join(journalDir, name), 'utf8'))
      .join('');
    const statements = await ctx.database.db.selectFrom('gateway_statements').selectAll().execute();
    const sessions = await ctx.database.db.selectFrom('gateway_sessions').selectAll().execute();
    const events = await ctx.database.db.selectFrom('audit_events').select(['action', 'details']).execute();
    return [journal, JSON.stringify(statements), JSON.stringify(sessions), JSON.stringify(events)].join('\n');
  }

  it('a unique violation quoting the value: message and detail only for an audit holder, the opening audited', async () => {
    const value = `ada.${randomBytes(6).toString('hex')}@example.com`;
    const client = await connect('gus');
    await client.query('create temp table accounts (email text unique)');
    await client.query(`insert into accounts values ('${value}')`);
    // The simple protocol, then the extended one (the value only in a parameter).
    for (const send of [
      () => client.query(`insert into accounts values ('${value}')`),
      () => client.query('insert into accounts values ($1)', [value]),
    ]) {
      await expect(send()).rejects.toMatchObject({
        code: '23505',
        detail: `Key (email)=(${value}) already exists.`,
      });
    }
    // The journal on disk holds the outcomes (with their SQLSTATE) while the gateway runs, the text sealed.
    const journal = () =>
      readdirSync(journalDir)
        .filter((name) => name.endsWith('.jsonl'))
        .map((name) => readFileSync(join(journalDir, name), 'utf8'))
        .join('');
    await expect.poll(() => journal().split('"code":"23505"').length - 1).toBe(2);
    expect(journal()).not.toContain(value);
    expect(journal()).not.toContain('violates unique constraint');
    await client.end();
    const sessionId = await shippedSession('gus', 2);

    const stored = await everythingStored();
    expect(stored).not.toContain(value);
    expect(stored).not.toContain('violates unique constraint');
    const failedEvents = await ctx.database.db
      .selectFrom('audit_events')
      .select(['details'])
      .where('action', '=', 'gateway.statement_failed')
      .where('subject', '=', `session:${sessionId}`)
      .execute();
    expect(failedEvents.map((event) => JSON.parse(event.details) as Record<string, unknown>)).toEqual([
      expect.objectContaining({ errorCode: '23505', statementError: expect.stringMatching(/^hmac-sha256:/) }),
      expect.objectContaining({ statementErrorDetail: expect.stringMatching(/^hmac-sha256:/) }),
    ]);

    // The session's own identity and an approver see the SQLSTATE, never the message; neither may open it.
    for (const reader of ['gus', 'bob']) {
      const shown = await detailFor(reader, sessionId, false);
      expect(shown.status).toBe(200);
      expect(shown.body).toContain('"errorCode":"23505"');
      expect(shown.body).not.toContain(value);
      expect(shown.body).not.toContain('violates unique constraint');
      const opened = await detailFor(reader, sessionId, true);
      expect(opened.status).toBe(403);
      expect(opened.body).not.toContain(value);
    }

    // An audit holder opens them; the opening is on record.
    const opened = await detailFor('carol', sessionId, true);
    expect(opened.status).toBe(200);
    const detail = sessionDetailSchema.parse(JSON.parse(opened.body)) as SessionDetailView;
    const failed = detail.statements.filter((statement) => statement.errorCode !== null);
    expect(
      failed.map(({ errorCode, errorMessage, errorDetail }) => ({ errorCode, errorMessage, errorDetail })),
    ).toEqual([
      { errorCode: '23505', errorMessage: UNIQUE_VIOLATION, errorDetail: `Key (email)=(${value}) already exists.` },
      { errorCode: '23505', errorMessage: UNIQUE_VIOLATION, errorDetail: `Key (email)=(${value}) already exists.` },
    ]);
    const openings = await ctx.database.db
      .selectFrom('audit_events')
      .select(['details'])
      .where('action', '=', 'audit.opened')
      .where('actor', '=', 'carol')
      .where('subject', '=', `session:${sessionId}`)
      .execute();
    expect(openings.map((event) => event.details).join('')).toContain('/statementErrorDetail');

    // The CLI: the transcript with the error for the audit holder; without --open, the SQLSTATE only.
    const replay = await runClient(['sessions', 'replay', sessionId, '--open'], {
      server: url,
      token: await t.tokenFor('carol'),
    });
    expect(replay.code, replay.stderr).toBe(0);
    expect(replay.stdout.split('\n')).toContain(`-- error 23505: ${UNIQUE_VIOLATION}`);
    expect(replay.stdout.split('\n')).toContain(`-- detail: Key (email)=(${value}) already exists.`);
    const own = await runClient(['sessions', 'replay', sessionId], { server: url, token: await t.tokenFor('gus') });
    expect(own.code, own.stderr).toBe(0);
    expect(own.stdout).toContain('error 23505');
    expect(own.stdout).not.toContain(value);
    expect(own.stdout).not.toContain('violates unique constraint');
  });

  it('a message too long is cut and says so; a credential-looking part stays hidden, the rest readable', async () => {
    const client = await connect('hana');
    const long = `${randomBytes(3).toString('hex')}${'x'.repeat(5000)}`;
    // A bad cast quotes its whole input in the message.
    await expect(client.query(`select '${long}'::int`)).rejects.toMatchObject({ code: '22P02' });
    await client.query('create temp table accounts (email text unique)');
    const dsn = `postgres://app:hunter2-${randomBytes(4).toString('hex')}@db.internal/payments`;
    await client.query('insert into accounts values ($1)', [dsn]);
    await expect(client.query('insert into accounts values ($1)', [dsn])).rejects.toMatchObject({ code: '23505' });
    await client.end();
    const sessionId = await shippedSession('hana', 2);
    const stored = await everythingStored();
    expect(stored).not.toContain(long.slice(0, 40));
    expect(stored).not.toContain('hunter2');

    const detail = JSON.parse((await detailFor('carol', sessionId, true)).body) as SessionDetailView;
    const [cast, duplicate] = detail.statements.filter((statement) => statement.errorCode !== null);
    expect(cast?.errorMessage).toMatch(
      new RegExp(
        `^invalid input syntax for type integer: "${long.slice(0, 40)}x+ \\[countersign: cut at 2048 of \\d+ characters\\]$`,
      ),
    );
    expect(cast?.errorMessage?.length).toBeLessThan(2048 + 100);
    expect(duplicate?.errorDetail).toMatch(
      /^Key \(email\)=\(postgres:\/\/app:\[secret hmac-sha256 [0-9a-f]{64}\]@db\.internal\/payments\) already exists\.$/,
    );
  });
});
