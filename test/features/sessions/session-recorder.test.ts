/**
 * The session recorder (issue 14): statements are journaled synchronously and shipped in batches into the
 * session tables and the audit log (text and parameters sealed); a recorder started on the journal of one that
 * died ships what it left and closes its sessions as abnormal; when the database does not take the records for
 * too long, `statement` refuses (no record, no statement).
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { AppContext } from '../../../src/app/context.js';
import { AppError } from '../../../src/core/errors.js';
import {
  closeAbandonedSessions,
  findGatewayLogin,
  openGatewaySession,
  startSessionRecorder,
  type GatewayLogin,
  type StatementRecord,
} from '../../../src/features/sessions/index.js';
import { openDatabase } from '../../../src/store/database.js';
import { describeEachDialect } from '../../store/dialects.js';
import { eventsOf } from '../../app/requests-fixtures.js';
import { activeGatewayGrant, createGatewayApp } from './gateway-fixtures.js';

const scratch = mkdtempSync(join(tmpdir(), 'countersign-recorder-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let dirs = 0;
const journalDir = (): string => join(scratch, `journal-${++dirs}`);

const META = { gatewayId: 'gw-a', clientAddress: '127.0.0.1:5000', tls: true, method: 'scram' as const };

function select(seq: number, sql = `select ${seq}`, at = 1): StatementRecord {
  return {
    seq,
    sql,
    facts: [{ kind: 'select', command: 'SELECT', tables: ['merchants'], fingerprint: `fp${seq}` }],
    decision: { allowed: true, rule: 'reads', builtIn: false, message: 'allowed by rule reads' },
    at,
  };
}

function refusedDelete(seq: number): StatementRecord {
  return {
    seq,
    sql: "delete from merchants where email = 'ann@example.com'",
    params: ['42', null],
    facts: [{ kind: 'delete', command: 'DELETE', tables: ['merchants'], fingerprint: 'fpd' }],
    decision: { allowed: false, rule: 'no-writes', builtIn: false, message: 'writes need the run-sql action' },
    at: 2,
  };
}

async function openSession(app: AppContext, identity: string, gatewayId = 'gw-a'): Promise<string> {
  await activeGatewayGrant(app, identity);
  const login = (await findGatewayLogin(app, { user: identity, database: 'payments-db' })) as GatewayLogin;
  return (await openGatewaySession(app, login, { ...META, gatewayId })).sessionId;
}

describeEachDialect('the session recorder', (ctx) => {
  it('records statements, outcomes and the close in the tables and the audit log, with the text sealed', async () => {
    const { t, app } = await createGatewayApp(ctx);
    const sessionId = await openSession(app, 'gus');
    const recorder = await startSessionRecorder(app, { gatewayId: 'gw-a', journalDir: journalDir() });
    expect(recorder.statement(sessionId, select(1, 'select * from merchants'))).toEqual({});
    recorder.outcome(sessionId, 1, { commandTag: 'SELECT 3', rows: 3, bytes: 120, durationMs: 1.5 });
    const { refusalId } = recorder.statement(sessionId, refusedDelete(2));
    expect(refusalId).toMatch(/^ref_/);
    recorder.close(sessionId, { reason: 'client', at: t.clock.now() });
    await recorder.stop();

    const statements = await ctx.database.db
      .selectFrom('gateway_statements')
      .selectAll()
      .where('session_id', '=', sessionId)
      .orderBy('seq')
      .execute();
    expect(statements).toMatchObject([
      { seq: 1, allowed: 1, rule: 'reads', command_tag: 'SELECT 3', rows: 3, bytes: 120, refusal_id: null },
      { seq: 2, allowed: 0, rule: 'no-writes', refusal_id: refusalId, command_tag: null },
    ]);
    expect(JSON.stringify(statements)).not.toContain('ann@example.com');
    const session = await ctx.database.db
      .selectFrom('gateway_sessions')
      .selectAll()
      .where('id', '=', sessionId)
      .executeTakeFirstOrThrow();
    expect(session).toMatchObject({ end_reason: 'client' });

    const events = await t.auditEvents();
    const refused = eventsOf(events, 'gateway.statement_refused', `session:${sessionId}`);
    expect(refused).toHaveLength(1);
    expect(refused[0]?.actor).toBe('gus');
    expect(JSON.stringify(events)).not.toContain('ann@example.com');
    expect(String(refused[0]?.details['statementText'])).toMatch(/^hmac-sha256:/);
    const stored = await ctx.database.db
      .selectFrom('audit_events')
      .selectAll()
      .where('seq', '=', statements[1]?.audit_seq ?? -1)
      .executeTakeFirstOrThrow();
    const opened = app.auditLog.openValues({
      seq: Number(stored.seq),
      prevHash: stored.prev_hash,
      actor: stored.actor,
      action: stored.action,
      subject: stored.subject,
      details: JSON.parse(stored.details) as Record<string, unknown>,
    });
    expect(opened['/statementText']).toEqual({ value: "delete from merchants where email = 'ann@example.com'" });
    expect(opened['/statementParams']).toEqual({ value: ['42', null] });
    expect(eventsOf(events, 'gateway.session.close', `session:${sessionId}`)).toHaveLength(1);
  });

  it('keeps shipping after a round that found nothing to ship (statements reach the database while the session lives)', async () => {
    const { app } = await createGatewayApp(ctx);
    const sessionId = await openSession(app, 'gus');
    const recorder = await startSessionRecorder(app, {
      gatewayId: 'gw-a',
      journalDir: journalDir(),
      shipIntervalMs: 10,
    });
    try {
      await new Promise((resolve) => setTimeout(resolve, 60)); // a few rounds with an empty backlog
      recorder.statement(sessionId, select(1));
      const deadline = Date.now() + 5_000;
      let shipped = 0;
      while (shipped === 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        const rows = await ctx.database.db
          .selectFrom('gateway_statements')
          .select('seq')
          .where('session_id', '=', sessionId)
          .execute();
        shipped = rows.length;
      }
      expect(shipped).toBe(1);
    } finally {
      await recorder.stop();
    }
  });

  it('ships a large burst in batches, each statement once', async () => {
    const { app } = await createGatewayApp(ctx);
    const sessionId = await openSession(app, 'hana');
    const recorder = await startSessionRecorder(app, { gatewayId: 'gw-a', journalDir: journalDir(), batchSize: 50 });
    for (let seq = 1; seq <= 420; seq += 1) {
      recorder.statement(sessionId, select(seq));
      recorder.outcome(sessionId, seq, { commandTag: 'SELECT 1', rows: 1, bytes: 10, durationMs: 0.1 });
    }
    await recorder.stop();
    const rows = await ctx.database.db
      .selectFrom('gateway_statements')
      .select(['seq', 'rows'])
      .where('session_id', '=', sessionId)
      .execute();
    expect(rows).toHaveLength(420);
    expect(rows.every((row) => row.rows === 1)).toBe(true);
  });

  it('a recorder started on the journal of one that died ships what it left and closes its sessions abnormally', async () => {
    const { t, app } = await createGatewayApp(ctx);
    const sessionId = await openSession(app, 'ivan', 'gw-dead');
    const dir = journalDir();
    // Never ships on its own (a long interval), and is never stopped: as if killed after journaling.
    const dead = await startSessionRecorder(app, { gatewayId: 'gw-dead', journalDir: dir, shipIntervalMs: 3_600_000 });
    dead.statement(sessionId, select(1));
    dead.outcome(sessionId, 1, { commandTag: 'SELECT 1', rows: 1, bytes: 8, durationMs: 0.2 });
    dead.statement(sessionId, select(2));
    expect(
      await ctx.database.db
        .selectFrom('gateway_statements')
        .select('seq')
        .where('session_id', '=', sessionId)
        .execute(),
    ).toEqual([]);

    const next = await startSessionRecorder(app, { gatewayId: 'gw-next', journalDir: dir });
    const rows = await ctx.database.db
      .selectFrom('gateway_statements')
      .select(['seq', 'rows'])
      .where('session_id', '=', sessionId)
      .orderBy('seq')
      .execute();
    expect(rows).toEqual([
      { seq: 1, rows: 1 },
      { seq: 2, rows: null },
    ]);
    const session = await ctx.database.db
      .selectFrom('gateway_sessions')
      .select('end_reason')
      .where('id', '=', sessionId)
      .executeTakeFirstOrThrow();
    expect(session.end_reason).toBe('abnormal');
    expect(eventsOf(await t.auditEvents(), 'gateway.statement', `session:${sessionId}`)).toHaveLength(2);
    await next.stop();
    expect(readdirSync(dir).filter((name) => name.endsWith('.jsonl'))).toEqual([]);
  });

  it('a torn line in a journal left behind (a write cut short) loses only that record', async () => {
    const { app } = await createGatewayApp(ctx);
    const sessionId = await openSession(app, 'maya', 'gw-torn');
    const dir = journalDir();
    mkdirSync(dir, { recursive: true });
    const line = (seq: number) =>
      JSON.stringify({
        t: 's',
        id: sessionId,
        seq,
        at: 1,
        sql: `select ${seq}`,
        facts: [{ kind: 'select', command: 'SELECT', tables: [], fingerprint: 'f' }],
        decision: { allowed: true, builtIn: false, message: 'allowed' },
      });
    writeFileSync(
      join(dir, '1-000000.jsonl'),
      `${line(1)}\n${line(2).slice(0, 40)}\n${line(3)}\n${line(4).slice(0, 10)}`,
    );
    const recorder = await startSessionRecorder(app, { gatewayId: 'gw-next', journalDir: dir });
    await recorder.stop();
    const rows = await ctx.database.db
      .selectFrom('gateway_statements')
      .select('seq')
      .where('session_id', '=', sessionId)
      .orderBy('seq')
      .execute();
    expect(rows.map((row) => row.seq)).toEqual([1, 3]);
  });

  it('the scheduler closes the sessions of a gateway whose heartbeat lapsed, and leaves live ones open', async () => {
    const { t, app } = await createGatewayApp(ctx);
    const live = await startSessionRecorder(app, { gatewayId: 'gw-live', journalDir: journalDir() });
    const orphan = await openSession(app, 'judy', 'gw-gone');
    const served = await openSession(app, 'kim', 'gw-live');
    t.clock.advance(60_000);
    await live.stop();
    await startSessionRecorder(app, { gatewayId: 'gw-live', journalDir: journalDir(), heartbeatMs: 60_000 }).then(
      async (again) => {
        await closeAbandonedSessions(app);
        await again.stop();
      },
    );
    const rows = await ctx.database.db
      .selectFrom('gateway_sessions')
      .select(['id', 'end_reason'])
      .where('id', 'in', [orphan, served])
      .execute();
    expect(new Map(rows.map((row) => [row.id, row.end_reason]))).toEqual(
      new Map([
        [orphan, 'abnormal'],
        [served, null],
      ]),
    );
  });

  it('when the database does not take the records, statements are refused once the backlog is full or old', async () => {
    const { app } = await createGatewayApp(ctx);
    const sessionId = await openSession(app, 'liam');
    for (const bound of [{ maxBacklogRecords: 3 }, { maxBacklogAgeMs: 50 }]) {
      // A connection of its own, closed under the running recorder: the database is gone for it.
      const database = await openDatabase(ctx.url);
      const failures: unknown[] = [];
      const recorder = await startSessionRecorder(
        { ...app, database },
        {
          gatewayId: 'gw-cut',
          journalDir: journalDir(),
          shipIntervalMs: 10,
          onShipError: (e) => failures.push(e),
          ...bound,
        },
      );
      await database.close();
      recorder.statement(sessionId, select(1));
      recorder.statement(sessionId, select(2));
      await new Promise((resolve) => setTimeout(resolve, 120));
      let thrown: unknown;
      try {
        recorder.statement(sessionId, select(3));
        recorder.statement(sessionId, select(4));
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(AppError);
      expect((thrown as AppError).code).toBe('database_unavailable');
      expect(failures.length).toBeGreaterThan(0);
      await recorder.stop();
    }
  });
});
