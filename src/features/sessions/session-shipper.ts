/**
 * Moves journal records into the database in batches (issue 14): one transaction per batch inserts the new
 * statements (skipping any already stored, so a journal shipped twice after a crash records each statement
 * once), appends one audit event per statement — its text and parameters sealed like command output (HMAC in the
 * chain, an AES-GCM copy for `audit` readers) — updates outcomes and closes sessions. An outcome that arrives in
 * the same batch as its statement is written with it, so the usual statement costs one row and one event.
 */
import type { NewAuditEvent } from '../../audit/audit-event.js';
import { toJsonText } from '../../store/columns.js';
import { toStoreError } from '../../store/errors.js';
import { isAppError } from '../../core/errors.js';
import type { NewRow } from '../../store/schema.js';
import type { AppContext } from '../../app/context.js';
import type { JournalRecord } from './session-records.js';
import { closeSession, insertStatements, recordOutcome, statementKey, storedStatementKeys } from './sessions.repo.js';

type StatementLine = Extract<JournalRecord, { t: 's' }>;
type OutcomeLine = Extract<JournalRecord, { t: 'o' }>;

/** Who a session's events are recorded for; a session missing from the store is recorded under the gateway. */
interface SessionFacts {
  readonly identity: string;
  readonly resource: string;
  readonly grantId: string | null;
}

const UNKNOWN_SESSION: SessionFacts = { identity: 'system:gateway', resource: '', grantId: null };

function statementEvent(line: StatementLine, session: SessionFacts, outcome: OutcomeLine | undefined, now: number) {
  const refused = !line.decision.allowed;
  const event: NewAuditEvent = {
    time: now,
    actor: session.identity,
    action: refused ? 'gateway.statement_refused' : 'gateway.statement',
    subject: `session:${line.id}`,
    details: {
      sessionId: line.id,
      seq: line.seq,
      at: line.at,
      resource: session.resource,
      grantId: session.grantId,
      kinds: line.facts.map((facts) => facts.kind),
      commands: line.facts.map((facts) => facts.command),
      tables: [...new Set(line.facts.flatMap((facts) => facts.tables))],
      fingerprint: fingerprintOf(line),
      allowed: line.decision.allowed,
      rule: line.decision.rule ?? null,
      builtIn: line.decision.builtIn,
      message: line.decision.message,
      ...(line.refusalId === undefined ? {} : { refusalId: line.refusalId }),
      statementText: line.sql,
      statementParams: line.params === undefined ? null : [...line.params],
      ...(outcome === undefined ? {} : { outcome: outcomeDetails(outcome) }),
    },
  };
  return event;
}

function outcomeDetails(outcome: OutcomeLine) {
  return {
    commandTag: outcome.tag ?? null,
    rowCount: outcome.rows,
    byteCount: outcome.bytes,
    errorCode: outcome.code ?? null,
    durationMs: outcome.ms,
  };
}

function fingerprintOf(line: StatementLine): string {
  return line.facts.map((facts) => facts.fingerprint).join(',');
}

async function sessionsOf(app: AppContext, ids: readonly string[]): Promise<Map<string, SessionFacts>> {
  const facts = new Map<string, SessionFacts>();
  if (ids.length === 0) return facts;
  const rows = await app.database.db
    .selectFrom('gateway_sessions')
    .select(['id', 'identity', 'resource', 'grant_id'])
    .where('id', 'in', [...ids])
    .execute();
  for (const row of rows) facts.set(row.id, { identity: row.identity, resource: row.resource, grantId: row.grant_id });
  return facts;
}

/**
 * Ships one batch, in journal order, in one transaction; throws (and nothing is recorded) if the database
 * refuses. Returns the sessions this batch closed.
 */
export async function shipBatch(app: AppContext, batch: readonly JournalRecord[]): Promise<string[]> {
  if (batch.length === 0) return [];
  const statements = batch.filter((line): line is StatementLine => line.t === 's');
  const outcomes = new Map<string, OutcomeLine>();
  for (const line of batch) if (line.t === 'o') outcomes.set(statementKey(line.id, line.seq), line);
  const sessions = await sessionsOf(app, [...new Set(batch.map((line) => line.id))]);
  const closed: string[] = [];
  const now = app.clock.now();
  try {
    await app.database.db.transaction().execute(async (trx) => {
      const stored = await storedStatementKeys(
        trx,
        statements.map((line) => ({ sessionId: line.id, seq: line.seq })),
      );
      const fresh = statements.filter((line) => !stored.has(statementKey(line.id, line.seq)));
      const merged = new Set<string>();
      const events: NewAuditEvent[] = fresh.map((line) => {
        const key = statementKey(line.id, line.seq);
        const outcome = outcomes.get(key);
        if (outcome !== undefined) merged.add(key);
        return statementEvent(line, sessions.get(line.id) ?? UNKNOWN_SESSION, outcome, now);
      });
      const closes = batch.filter((line) => line.t === 'c');
      for (const line of closes) {
        if (!(await closeSession(trx, line.id, line.reason, line.at))) continue;
        closed.push(line.id);
        const session = sessions.get(line.id) ?? UNKNOWN_SESSION;
        events.push({
          time: now,
          actor: session.identity,
          action: 'gateway.session.close',
          subject: `session:${line.id}`,
          details: { sessionId: line.id, resource: session.resource, grantId: session.grantId, reason: line.reason },
        });
      }
      const records = await app.auditLog.append(trx, events);
      const rows: NewRow<'gateway_statements'>[] = fresh.map((line, index) => {
        const outcome = outcomes.get(statementKey(line.id, line.seq));
        return {
          session_id: line.id,
          seq: line.seq,
          at: line.at,
          kinds: toJsonText(line.facts.map((facts) => facts.kind)),
          commands: toJsonText(line.facts.map((facts) => facts.command)),
          tables: toJsonText([...new Set(line.facts.flatMap((facts) => facts.tables))]),
          fingerprint: fingerprintOf(line),
          allowed: line.decision.allowed ? 1 : 0,
          rule: line.decision.rule ?? null,
          built_in: line.decision.builtIn ? 1 : 0,
          message: line.decision.message.slice(0, 2000),
          refusal_id: line.refusalId ?? null,
          audit_seq: records[index]?.seq ?? null,
          command_tag: outcome?.tag ?? null,
          rows: outcome?.rows ?? null,
          bytes: outcome?.bytes ?? null,
          error_code: outcome?.code ?? null,
          duration_ms: outcome?.ms ?? null,
        };
      });
      await insertStatements(trx, rows);
      for (const [key, outcome] of outcomes) {
        if (merged.has(key)) continue;
        await recordOutcome(trx, {
          sessionId: outcome.id,
          seq: outcome.seq,
          commandTag: outcome.tag ?? null,
          rows: outcome.rows,
          bytes: outcome.bytes,
          errorCode: outcome.code ?? null,
          durationMs: outcome.ms,
        });
      }
    });
  } catch (error) {
    throw isAppError(error) ? error : toStoreError(error);
  }
  await app.auditLog.awaitDurable(app.database.db);
  return closed;
}
