/**
 * What a session record keeps of a failed statement's error and of its login (issue 14): the server's message,
 * DETAIL and HINT sealed in the journal and in their own audit event (`gateway.statement_failed`, pointed at by the
 * statement's `error_audit_seq`), whichever batch the outcome is shipped in and however often; and whether the
 * login's SCRAM proof was bound to its TLS connection.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { AppContext } from '../../../src/app/context.js';
import {
  findGatewayLogin,
  listSessions,
  openGatewaySession,
  showSession,
  startSessionRecorder,
  type GatewayLogin,
  type StatementRecord,
} from '../../../src/features/sessions/index.js';
import type { JournalRecord } from '../../../src/features/sessions/session-records.js';
import { shipBatch } from '../../../src/features/sessions/session-shipper.js';
import { eventsOf } from '../../app/requests-fixtures.js';
import { describeEachDialect } from '../../store/dialects.js';
import { activeGatewayGrant, createGatewayApp } from './gateway-fixtures.js';

const scratch = mkdtempSync(join(tmpdir(), 'countersign-statement-error-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let dirs = 0;
const journalDir = (): string => join(scratch, `journal-${++dirs}`);

const DUPLICATE = 'duplicate key value violates unique constraint "merchants_email_key"';
const DETAIL = 'Key (email)=(ann@example.com) already exists.';

function insert(seq: number): StatementRecord {
  return {
    seq,
    sql: 'insert into merchants (email) values ($1)',
    params: ['ann@example.com'],
    facts: [{ kind: 'insert', command: 'INSERT', tables: ['merchants'], fingerprint: 'fpi' }],
    decision: { allowed: true, rule: 'writes', builtIn: false, message: 'allowed by rule writes' },
    at: seq,
  };
}

const failure = { code: '23505', message: DUPLICATE, detail: DETAIL, hint: 'look at ann' } as const;

async function openSession(app: AppContext, identity: string, channelBound?: boolean): Promise<string> {
  await activeGatewayGrant(app, identity);
  const login = (await findGatewayLogin(app, { user: identity, database: 'payments-db' })) as GatewayLogin;
  const meta = { gatewayId: 'gw-e', clientAddress: '127.0.0.1:5000', tls: true, method: 'scram' as const };
  return (await openGatewaySession(app, login, channelBound === undefined ? meta : { ...meta, channelBound }))
    .sessionId;
}

describeEachDialect('the record of a failed statement and of its login', (ctx) => {
  it('the journal on disk holds the error sealed; its event holds HMACs that an audit holder opens', async () => {
    const { t, app } = await createGatewayApp(ctx);
    const sessionId = await openSession(app, 'gus');
    const dir = journalDir();
    const recorder = await startSessionRecorder(app, { gatewayId: 'gw-e', journalDir: dir, shipIntervalMs: 3_600_000 });
    recorder.statement(sessionId, insert(1));
    recorder.outcome(sessionId, 1, { rows: 0, bytes: 0, durationMs: 0.3, error: failure });
    const journal = readdirSync(dir)
      .filter((name) => name.endsWith('.jsonl'))
      .map((name) => readFileSync(join(dir, name), 'utf8'))
      .join('');
    expect(journal).toContain('"code":"23505"');
    for (const clear of ['ann@example.com', 'violates unique', 'look at ann']) expect(journal).not.toContain(clear);
    await recorder.stop();

    const row = await ctx.database.db
      .selectFrom('gateway_statements')
      .selectAll()
      .where('session_id', '=', sessionId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ error_code: '23505', error_audit_seq: expect.any(Number) });
    const [event] = eventsOf(await t.auditEvents(), 'gateway.statement_failed', `session:${sessionId}`);
    expect(event?.details).toMatchObject({
      sessionId,
      seq: 1,
      errorCode: '23505',
      statementError: expect.stringMatching(/^hmac-sha256:/),
      statementErrorDetail: expect.stringMatching(/^hmac-sha256:/),
      statementErrorHint: expect.stringMatching(/^hmac-sha256:/),
    });
    expect(Number(event?.seq)).toBe(Number(row.error_audit_seq));

    const shown = await showSession({ app, actor: 'gus', input: { id: sessionId } });
    expect(shown.statements[0]).toMatchObject({ errorCode: '23505' });
    expect(JSON.stringify(shown)).not.toContain('ann@example.com');
    const opened = await showSession({ app, actor: 'carol', input: { id: sessionId, open: true } });
    expect(opened.statements[0]).toMatchObject({
      errorCode: '23505',
      errorMessage: DUPLICATE,
      errorDetail: DETAIL,
      errorHint: 'look at ann',
    });
  });

  it('an error whose outcome comes in a later batch than its statement gets its event once, however often shipped', async () => {
    const { t, app } = await createGatewayApp(ctx);
    const sessionId = await openSession(app, 'hana');
    const statement: JournalRecord = { t: 's', id: sessionId, ...insert(1), facts: insert(1).facts };
    const outcome: JournalRecord = {
      t: 'o',
      id: sessionId,
      seq: 1,
      rows: 0,
      bytes: 0,
      ms: 2,
      code: '23505',
      error: { message: DUPLICATE, detail: DETAIL },
    };
    await shipBatch(app, [statement]);
    // A journal shipped again after a crash: the outcome twice, the statement and outcome together once more.
    await shipBatch(app, [outcome]);
    await shipBatch(app, [outcome]);
    await shipBatch(app, [statement, outcome]);
    const failed = eventsOf(await t.auditEvents(), 'gateway.statement_failed', `session:${sessionId}`);
    expect(failed).toHaveLength(1);
    const row = await ctx.database.db
      .selectFrom('gateway_statements')
      .selectAll()
      .where('session_id', '=', sessionId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ error_code: '23505', error_audit_seq: Number(failed[0]?.seq) });
    const opened = await showSession({ app, actor: 'carol', input: { id: sessionId, open: true } });
    expect(opened.statements[0]).toMatchObject({ errorMessage: DUPLICATE, errorDetail: DETAIL });
    expect(opened.statements[0]?.errorHint).toBeUndefined();
    const opening = eventsOf(await t.auditEvents(), 'audit.opened', `session:${sessionId}`);
    expect(JSON.stringify(opening[0]?.details)).toContain('/statementErrorDetail');
  });

  it('a failure with no text, and a statement that did not fail, have no error event', async () => {
    const { t, app } = await createGatewayApp(ctx);
    const sessionId = await openSession(app, 'ivan');
    const recorder = await startSessionRecorder(app, { gatewayId: 'gw-e', journalDir: journalDir() });
    recorder.statement(sessionId, insert(1));
    recorder.outcome(sessionId, 1, { rows: 0, bytes: 0, durationMs: 0.3, error: { code: '57014', message: '' } });
    recorder.statement(sessionId, insert(2));
    recorder.outcome(sessionId, 2, { commandTag: 'INSERT 0 1', rows: 1, bytes: 0, durationMs: 0.3 });
    await recorder.stop();
    expect(eventsOf(await t.auditEvents(), 'gateway.statement_failed', `session:${sessionId}`)).toEqual([]);
    const opened = await showSession({ app, actor: 'carol', input: { id: sessionId, open: true } });
    expect(opened.statements.map((s) => [s.errorCode, s.errorMessage, s.errorSealed])).toEqual([
      ['57014', undefined, undefined],
      [null, undefined, undefined],
    ]);
  });

  it('a login whose SCRAM proof was bound to its TLS connection is recorded as channel-bound, others as not', async () => {
    const { t, app } = await createGatewayApp(ctx);
    const bound = await openSession(app, 'judy', true);
    const unbound = await openSession(app, 'kim');
    const rows = await ctx.database.db
      .selectFrom('gateway_sessions')
      .select(['id', 'channel_bound'])
      .where('id', 'in', [bound, unbound])
      .execute();
    expect(Object.fromEntries(rows.map((row) => [row.id, row.channel_bound]))).toEqual({ [bound]: 1, [unbound]: 0 });
    const [opened] = eventsOf(await t.auditEvents(), 'gateway.session.open', `session:${bound}`);
    expect(opened?.details).toMatchObject({ method: 'scram', tls: true, channelBound: true });
    const views = await listSessions({ app, actor: 'carol', input: {} });
    expect(
      views.filter((view) => [bound, unbound].includes(view.id)).map((view) => [view.id, view.channelBound]),
    ).toEqual(
      expect.arrayContaining([
        [bound, true],
        [unbound, false],
      ]),
    );
  });
});
