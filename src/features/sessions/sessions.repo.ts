/**
 * The only writer of `gateway_sessions` and `gateway_statements` (migration 0024). Statements arrive in batches
 * from the recorder's journal (session-shipper.ts), possibly more than once after a crash: inserts skip the
 * (session, seq) pairs already stored, outcome updates and closes are idempotent.
 */
import type { Transaction } from 'kysely';
import type { GatewayEndReason, NewRow, Schema } from '../../store/schema.js';

type Trx = Transaction<Schema>;

export async function insertSession(trx: Trx, row: NewRow<'gateway_sessions'>): Promise<void> {
  await trx.insertInto('gateway_sessions').values(row).execute();
}

/** The (session, seq) pairs among `keys` that are already stored. */
export async function storedStatementKeys(
  trx: Trx,
  keys: readonly { readonly sessionId: string; readonly seq: number }[],
): Promise<Set<string>> {
  const stored = new Set<string>();
  for (const [sessionId, seqs] of seqsBySession(keys)) {
    const rows = await trx
      .selectFrom('gateway_statements')
      .select('seq')
      .where('session_id', '=', sessionId)
      .where('seq', '>=', Math.min(...seqs))
      .where('seq', '<=', Math.max(...seqs))
      .execute();
    for (const row of rows) stored.add(statementKey(sessionId, row.seq));
  }
  return stored;
}

/**
 * The (session, seq) pairs among `keys` whose statement is stored without the event of its error text yet: an
 * outcome shipped again after a crash finds its event already there and must not append a second one.
 */
export async function statementsAwaitingErrorEvent(
  trx: Trx,
  keys: readonly { readonly sessionId: string; readonly seq: number }[],
): Promise<Set<string>> {
  const awaiting = new Set<string>();
  for (const [sessionId, seqs] of seqsBySession(keys)) {
    const rows = await trx
      .selectFrom('gateway_statements')
      .select('seq')
      .where('session_id', '=', sessionId)
      .where('seq', 'in', seqs)
      .where('error_audit_seq', 'is', null)
      .execute();
    for (const row of rows) awaiting.add(statementKey(sessionId, row.seq));
  }
  return awaiting;
}

function seqsBySession(keys: readonly { readonly sessionId: string; readonly seq: number }[]): Map<string, number[]> {
  const bySession = new Map<string, number[]>();
  for (const { sessionId, seq } of keys) {
    const seqs = bySession.get(sessionId);
    if (seqs) seqs.push(seq);
    else bySession.set(sessionId, [seq]);
  }
  return bySession;
}

export function statementKey(sessionId: string, seq: number): string {
  return `${sessionId}\0${seq}`;
}

/** Inserts statements in chunks small enough for SQLite's bound-parameter limit. */
export async function insertStatements(trx: Trx, rows: readonly NewRow<'gateway_statements'>[]): Promise<void> {
  const CHUNK = 400;
  for (let start = 0; start < rows.length; start += CHUNK) {
    await trx
      .insertInto('gateway_statements')
      .values(rows.slice(start, start + CHUNK))
      .execute();
  }
}

export interface StatementOutcomeRow {
  readonly sessionId: string;
  readonly seq: number;
  readonly commandTag: string | null;
  readonly rows: number;
  readonly bytes: number;
  readonly errorCode: string | null;
  readonly durationMs: number;
  /** The event carrying its error text sealed; absent: the column is left as it is (an outcome shipped again). */
  readonly errorAuditSeq?: number;
}

export async function recordOutcome(trx: Trx, outcome: StatementOutcomeRow): Promise<void> {
  await trx
    .updateTable('gateway_statements')
    .set({
      command_tag: outcome.commandTag,
      rows: outcome.rows,
      bytes: outcome.bytes,
      error_code: outcome.errorCode,
      duration_ms: outcome.durationMs,
      ...(outcome.errorAuditSeq === undefined ? {} : { error_audit_seq: outcome.errorAuditSeq }),
    })
    .where('session_id', '=', outcome.sessionId)
    .where('seq', '=', outcome.seq)
    .execute();
}

/** Closes the session if still open; true when this call closed it. */
export async function closeSession(
  trx: Trx,
  sessionId: string,
  reason: GatewayEndReason,
  at: number,
): Promise<boolean> {
  const result = await trx
    .updateTable('gateway_sessions')
    .set({ closed_at: at, end_reason: reason })
    .where('id', '=', sessionId)
    .where('closed_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
