/**
 * Moves journal records into the database in batches (issue 14): one transaction per batch inserts the new
 * statements (skipping any already stored, so a journal shipped twice after a crash records each statement
 * once), appends one audit event per statement — its text and parameters sealed like command output (HMAC in the
 * chain, an AES-GCM copy for `audit` readers) — updates outcomes and closes sessions. An outcome that arrives in
 * the same batch as its statement is written with it, so the usual statement costs one row and one event. A
 * statement that failed with an error text gets one more event, `gateway.statement_failed`, carrying that text
 * sealed the same way (its row's `error_audit_seq`), once, whichever batch its outcome comes in.
 */
import { createHash } from 'node:crypto';
import type { NewAuditEvent } from '../../audit/audit-event.js';
import { toJsonText } from '../../store/columns.js';
import { toStoreError } from '../../store/errors.js';
import { isAppError } from '../../core/errors.js';
import type { NewRow } from '../../store/schema.js';
import type { AppContext } from '../../app/context.js';
import type { JournalRecord, RecordedError } from './session-records.js';
import {
  closeSession,
  insertStatements,
  recordOutcome,
  statementKey,
  statementsAwaitingErrorEvent,
  storedStatementKeys,
} from './sessions.repo.js';

type StatementLine = Extract<JournalRecord, { t: 's' }>;
type OutcomeLine = Extract<JournalRecord, { t: 'o' }>;
/** An outcome that carries the server's error text. */
type FailedLine = OutcomeLine & { readonly error: RecordedError };

/** Who a session's events are recorded for; a session missing from the store is recorded under the gateway. */
interface SessionFacts {
  readonly identity: string;
  readonly resource: string;
  readonly grantId: string | null;
}

const UNKNOWN_SESSION: SessionFacts = { identity: 'system:gateway', resource: '', grantId: null };

/** A message of more statements than this lists each kind and command once, and one digest of their fingerprints. */
const LISTED_STATEMENTS = 100;
/** Relation names a record keeps, and their length (the views' bounds). */
const LISTED_TABLES = 200;
const TABLE_NAME_CHARS = 400;
const MESSAGE_CHARS = 2000;

/** What a record says of a message's statements (`kinds`, `commands`, `tables`, `fingerprint`, `statements`). */
interface RecordedShape {
  readonly kinds: string[];
  readonly commands: string[];
  readonly tables: string[];
  readonly fingerprint: string;
  readonly statements: number;
}

/**
 * The statements of one message as their record keeps them, bounded whatever the message holds: one Query may
 * carry tens of thousands of statements, and lists that long would make its audit event too large to append (the
 * shipper would fail on it for good, and every later record of the gateway with it) and its view too large to
 * answer. Beyond `LISTED_STATEMENTS` statements each kind and command is listed once (so a DELETE among ten
 * thousand SELECTs still shows) and the fingerprints are digested; `statements` keeps the count.
 */
function recordedShape(line: StatementLine): RecordedShape {
  const { facts } = line;
  const listed = facts.length <= LISTED_STATEMENTS;
  const distinct = (values: readonly string[]): string[] => [...new Set(values)].slice(0, LISTED_STATEMENTS);
  const kinds = facts.map((fact) => fact.kind);
  const commands = facts.map((fact) => fact.command);
  const fingerprints = facts.map((fact) => fact.fingerprint).join(',');
  return {
    kinds: listed ? kinds : distinct(kinds),
    commands: listed ? commands : distinct(commands),
    tables: [...new Set(facts.flatMap((fact) => fact.tables))]
      .slice(0, LISTED_TABLES)
      .map((table) => table.slice(0, TABLE_NAME_CHARS)),
    fingerprint: listed ? fingerprints : createHash('sha256').update(fingerprints).digest('hex').slice(0, 16),
    statements: facts.length,
  };
}

function statementEvent(line: StatementLine, session: SessionFacts, outcome: OutcomeLine | undefined, now: number) {
  const refused = !line.decision.allowed;
  const shape = recordedShape(line);
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
      kinds: shape.kinds,
      commands: shape.commands,
      tables: shape.tables,
      fingerprint: shape.fingerprint,
      statementCount: shape.statements,
      allowed: line.decision.allowed,
      rule: line.decision.rule ?? null,
      builtIn: line.decision.builtIn,
      message: line.decision.message.slice(0, MESSAGE_CHARS),
      ...(line.refusalId === undefined ? {} : { refusalId: line.refusalId }),
      statementText: line.sql,
      statementParams: line.params === undefined ? null : [...line.params],
      // The same portal executed again: its parameters are those of the statement with this seq.
      ...(line.paramsOf === undefined ? {} : { paramsOfSeq: line.paramsOf }),
      ...(outcome === undefined ? {} : { outcome: outcomeDetails(outcome) }),
    },
  };
  return event;
}

/**
 * The event of a failed statement's error text (`gateway.statement_failed`): its message, detail and hint under
 * output keys, so the chain holds their HMACs and `audit` holders a copy; whatever in them looks like a credential
 * is replaced by its HMAC in the copy. An event of its own, not a member of the statement's: a long message must
 * never make the statement's event too large and push its text's copy out.
 */
function failureEvent(outcome: FailedLine, session: SessionFacts, now: number): NewAuditEvent {
  const { error } = outcome;
  return {
    time: now,
    actor: session.identity,
    action: 'gateway.statement_failed',
    subject: `session:${outcome.id}`,
    details: {
      sessionId: outcome.id,
      seq: outcome.seq,
      resource: session.resource,
      grantId: session.grantId,
      errorCode: outcome.code ?? null,
      statementError: error.message,
      ...(error.detail === undefined ? {} : { statementErrorDetail: error.detail }),
      ...(error.hint === undefined ? {} : { statementErrorHint: error.hint }),
    },
  };
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
      // Error texts get their events once: with their statement, or later if its statement is stored without one.
      const failed = [...outcomes.values()].filter((line): line is FailedLine => line.error !== undefined);
      const awaiting = await statementsAwaitingErrorEvent(
        trx,
        failed
          .filter((line) => !merged.has(statementKey(line.id, line.seq)))
          .map((line) => ({ sessionId: line.id, seq: line.seq })),
      );
      const failures = failed.filter((line) => {
        const key = statementKey(line.id, line.seq);
        return merged.has(key) || awaiting.has(key);
      });
      for (const line of failures) {
        events.push(failureEvent(line, sessions.get(line.id) ?? UNKNOWN_SESSION, now));
      }
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
      const errorEvents = new Map<string, number>();
      failures.forEach((line, index) => {
        const seq = records[fresh.length + index]?.seq;
        if (seq !== undefined) errorEvents.set(statementKey(line.id, line.seq), seq);
      });
      const rows: NewRow<'gateway_statements'>[] = fresh.map((line, index) => {
        const outcome = outcomes.get(statementKey(line.id, line.seq));
        const shape = recordedShape(line);
        return {
          session_id: line.id,
          seq: line.seq,
          at: line.at,
          kinds: toJsonText(shape.kinds),
          commands: toJsonText(shape.commands),
          tables: toJsonText(shape.tables),
          fingerprint: shape.fingerprint,
          allowed: line.decision.allowed ? 1 : 0,
          rule: line.decision.rule ?? null,
          built_in: line.decision.builtIn ? 1 : 0,
          message: line.decision.message.slice(0, MESSAGE_CHARS),
          refusal_id: line.refusalId ?? null,
          audit_seq: records[index]?.seq ?? null,
          command_tag: outcome?.tag ?? null,
          rows: outcome?.rows ?? null,
          bytes: outcome?.bytes ?? null,
          error_code: outcome?.code ?? null,
          duration_ms: outcome?.ms ?? null,
          error_audit_seq: errorEvents.get(statementKey(line.id, line.seq)) ?? null,
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
          ...(errorEvents.has(key) ? { errorAuditSeq: errorEvents.get(key) } : {}),
        });
      }
    });
  } catch (error) {
    throw isAppError(error) ? error : toStoreError(error);
  }
  await app.auditLog.awaitDurable(app.database.db);
  return closed;
}
