/**
 * Reading gateway sessions (issue 14): `listSessions` and `showSession` for the API and the CLI. Who sees which
 * session follows `decideSessionVisibility` (its own identity; `approve` and `audit` holders on the profiles they
 * cover). `showSession` with `open` also opens each statement's text and parameters from its audit event, for an
 * `audit` holder covering the session's profile only, and records the opening (`audit.opened`) in the
 * transaction that read them: no text is shown unless its opening is on record.
 */
import { z } from 'zod';
import { AppError } from '../../core/errors.js';
import {
  decideAuditVisibility,
  decideSessionVisibility,
  mayView,
  type VisibilityDecision,
} from '../../decide/request-visibility.decide.js';
import type { Transaction } from 'kysely';
import type { Row, Schema } from '../../store/schema.js';
import type { AppContext, VerbCall } from '../../app/context.js';
import { readWithSnapshot } from '../../app/snapshot.queries.js';
import { inTransaction } from '../../app/transaction.js';
import { parseInput } from '../../app/verb-support.js';
import {
  SESSION_STATUSES,
  toSessionView,
  toStatementView,
  type SessionDetailView,
  type SessionView,
  type StatementView,
} from './session.view.js';

export const MAX_SESSION_PAGE = 200;
export const MAX_STATEMENT_PAGE = 1000;

const name = z.string().min(1).max(400);

export const listSessionsSchema = z.strictObject({
  identity: name.optional(),
  resource: name.optional(),
  grant: z.string().min(1).max(100).optional(),
  status: z.enum(SESSION_STATUSES).optional(),
  limit: z.number().int().min(1).max(MAX_SESSION_PAGE).optional(),
});
export type ListSessionsInput = z.input<typeof listSessionsSchema>;

export const showSessionSchema = z.strictObject({
  id: z.string().min(1).max(100),
  open: z.boolean().optional(),
  after: z.number().int().min(0).optional(),
  limit: z.number().int().min(1).max(MAX_STATEMENT_PAGE).optional(),
});
export type ShowSessionInput = z.input<typeof showSessionSchema>;

function refuseOthers(decision: VisibilityDecision, what: string): AppError {
  return new AppError('forbidden', `${decision.reasons[0]?.message ?? 'you see only your own'}; ${what}`, {
    reasons: decision.reasons.map((r) => ({ ...r })),
  });
}

async function countsOf(
  db: Transaction<Schema>,
  ids: readonly string[],
): Promise<Map<string, { statements: number; refused: number }>> {
  const counts = new Map<string, { statements: number; refused: number }>();
  if (ids.length === 0) return counts;
  const rows = await db
    .selectFrom('gateway_statements')
    .select((eb) => [
      'session_id',
      eb.fn.countAll<number | string>().as('statements'),
      eb.fn.sum<number | string | null>(eb.case().when('allowed', '=', 0).then(1).else(0).end()).as('refused'),
    ])
    .where('session_id', 'in', [...ids])
    .groupBy('session_id')
    .execute();
  for (const row of rows) {
    counts.set(row.session_id, { statements: Number(row.statements), refused: Number(row.refused ?? 0) });
  }
  return counts;
}

/** Sessions `actor` may see, newest first, narrowed by the filter. */
export async function listSessions({ app, actor, input }: VerbCall<ListSessionsInput>): Promise<SessionView[]> {
  const filter = parseInput(listSessionsSchema, input);
  return readWithSnapshot(app, async ({ trx, snapshot }) => {
    const visibility = decideSessionVisibility(snapshot.duties, actor);
    if (visibility.scope === 'own' && filter.identity !== undefined && filter.identity !== actor) {
      throw refuseOthers(visibility, `the gateway sessions of '${filter.identity}' are not yours to list`);
    }
    let query = trx.selectFrom('gateway_sessions').selectAll();
    if (filter.identity !== undefined) query = query.where('identity', '=', filter.identity);
    if (filter.resource !== undefined) query = query.where('resource', '=', filter.resource);
    if (filter.grant !== undefined) query = query.where('grant_id', '=', filter.grant);
    if (filter.status === 'open') query = query.where('closed_at', 'is', null);
    if (filter.status === 'abnormal') query = query.where('end_reason', '=', 'abnormal');
    if (filter.status === 'closed') {
      query = query.where('closed_at', 'is not', null).where('end_reason', '!=', 'abnormal');
    }
    if (visibility.scope === 'own') query = query.where('identity', '=', actor);
    if (visibility.scope === 'profiles') {
      const profiles = [...visibility.profiles];
      query = query.where((eb) => eb.or([eb('identity', '=', actor), eb('profile', 'in', profiles)]));
    }
    const rows = await query
      .orderBy('opened_at', 'desc')
      .orderBy('id', 'desc')
      .limit(filter.limit ?? 50)
      .execute();
    const counts = await countsOf(
      trx,
      rows.map((row) => row.id),
    );
    return rows.map((row) => toSessionView(row, counts.get(row.id) ?? { statements: 0, refused: 0 }));
  });
}

/**
 * One session with a page of its statements (in order, from `after`). With `open`, the statements' text and
 * parameters too, for an `audit` holder on the session's profile; the opening is audited.
 */
export async function showSession({ app, actor, input }: VerbCall<ShowSessionInput>): Promise<SessionDetailView> {
  const query = parseInput(showSessionSchema, input);
  const { value } = await inTransaction(app, async ({ trx, now, audit }) => {
    const snapshot = await app.policy.snapshot(trx, now);
    const row = await trx.selectFrom('gateway_sessions').selectAll().where('id', '=', query.id).executeTakeFirst();
    const visibility = decideSessionVisibility(snapshot.duties, actor);
    if (row === undefined || !mayView(visibility, actor, row.identity, row.profile)) {
      throw new AppError('not_found', `gateway session '${query.id}' does not exist or is not yours to read`);
    }
    const limit = query.limit ?? 500;
    const rows = await trx
      .selectFrom('gateway_statements')
      .selectAll()
      .where('session_id', '=', row.id)
      .where('seq', '>', query.after ?? 0)
      .orderBy('seq')
      .limit(limit + 1)
      .execute();
    const page = rows.slice(0, limit);
    let statements: StatementView[] = page.map(toStatementView);
    if (query.open === true) {
      const auditor = decideAuditVisibility(snapshot.duties, actor);
      if (auditor.scope !== 'all' && !auditor.profiles.has(row.profile)) {
        throw new AppError('forbidden', `opening statement text needs 'audit' on profile '${row.profile}'`, {
          duty: 'audit',
        });
      }
      const opened = await openStatements(app, trx, page);
      statements = opened.statements;
      if (opened.record.length > 0) {
        audit({
          actor,
          action: 'audit.opened',
          subject: `session:${row.id}`,
          details: {
            sessionId: row.id,
            opened: opened.record,
            values: opened.record.reduce((sum, item) => sum + item.pointers.length, 0),
          },
        });
      }
    }
    const counts = await countsOf(trx, [row.id]);
    const next = rows.length > limit ? (page[page.length - 1]?.seq ?? null) : null;
    return {
      session: toSessionView(row, counts.get(row.id) ?? { statements: 0, refused: 0 }),
      statements,
      next,
    };
  });
  return value;
}

type AuditEventRow = Row<'audit_events'>;
type OpenedValues = ReturnType<AppContext['auditLog']['openValues']>;

/** Why an opened value is not shown, or undefined when it opened. */
function sealedReason(value: OpenedValues[string] | undefined): string | undefined {
  if (value === undefined) return 'sealed';
  return 'message' in value ? value.message : undefined;
}

/** An opened string value, or undefined. */
function openedText(value: OpenedValues[string] | undefined): string | undefined {
  return value !== undefined && 'value' in value && typeof value.value === 'string' ? value.value : undefined;
}

/**
 * The statements with their text and parameters opened from their audit events, and a failed statement's error
 * text from its `gateway.statement_failed` event; and what was opened, by event.
 */
async function openStatements(
  app: AppContext,
  trx: Transaction<Schema>,
  rows: readonly Row<'gateway_statements'>[],
): Promise<{ statements: StatementView[]; record: { seq: number; pointers: string[] }[] }> {
  const seqs = rows.flatMap((row) => [row.audit_seq, row.error_audit_seq]).filter((seq): seq is number => seq !== null);
  const events =
    seqs.length === 0 ? [] : await trx.selectFrom('audit_events').selectAll().where('seq', 'in', seqs).execute();
  const bySeq = new Map(events.map((event) => [Number(event.seq), event]));
  const record: { seq: number; pointers: string[] }[] = [];
  const open = (event: AuditEventRow): { details: Record<string, unknown>; values: OpenedValues } => {
    const details = JSON.parse(event.details) as Record<string, unknown>;
    const values = app.auditLog.openValues({
      seq: Number(event.seq),
      prevHash: event.prev_hash,
      actor: event.actor,
      action: event.action,
      subject: event.subject,
      details,
    });
    const pointers = Object.entries(values)
      .filter(([, value]) => 'value' in value)
      .map(([pointer]) => pointer);
    if (pointers.length > 0) record.push({ seq: Number(event.seq), pointers });
    return { details, values };
  };
  const statements = rows.map((row): StatementView => {
    const view = { ...toStatementView(row), ...openedError(row, bySeq, open) };
    const event = row.audit_seq === null ? undefined : bySeq.get(row.audit_seq);
    if (event === undefined) return { ...view, sealed: 'its audit event is not recorded yet' };
    const { details, values } = open(event);
    const paramsOf = typeof details['paramsOfSeq'] === 'number' ? { paramsOf: details['paramsOfSeq'] } : {};
    const text = openedText(values['/statementText']);
    if (text === undefined) return { ...view, sealed: sealedReason(values['/statementText']) ?? 'sealed' };
    const paramsValue = values['/statementParams'];
    const params =
      paramsValue !== undefined && 'value' in paramsValue && Array.isArray(paramsValue.value)
        ? paramsValue.value.map((param) => (typeof param === 'string' ? param : null))
        : undefined;
    return { ...view, text, ...(params === undefined ? {} : { params }), ...paramsOf };
  });
  return { statements, record };
}

/** A failed statement's error text opened from its event, or why it stays sealed; nothing when it has none. */
function openedError(
  row: Row<'gateway_statements'>,
  bySeq: ReadonlyMap<number, AuditEventRow>,
  open: (event: AuditEventRow) => { values: OpenedValues },
): Pick<StatementView, 'errorMessage' | 'errorDetail' | 'errorHint' | 'errorSealed'> {
  if (row.error_audit_seq === null) return {};
  const event = bySeq.get(row.error_audit_seq);
  if (event === undefined) return { errorSealed: 'its audit event is not found' };
  const { values } = open(event);
  const message = openedText(values['/statementError']);
  if (message === undefined) return { errorSealed: sealedReason(values['/statementError']) ?? 'sealed' };
  const detail = openedText(values['/statementErrorDetail']);
  const hint = openedText(values['/statementErrorHint']);
  return {
    errorMessage: message,
    ...(detail === undefined ? {} : { errorDetail: detail }),
    ...(hint === undefined ? {} : { errorHint: hint }),
  };
}
