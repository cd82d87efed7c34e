/**
 * Reads of separation of duties for the administration API: SoD exceptions (all of them for readers of
 * exceptions, else those that concern the caller) and the detective SoD scan. Who may read what is decided in
 * `decide/visibility.decide.ts`.
 */
import { scanSod } from '../../decide/sod.decide.js';
import { decideAreaRead, decideExceptionRead } from '../../decide/visibility.decide.js';
import type { SubjectRef } from '../../policy/model.js';
import { rowToSodException } from '../../store/sod-exception-row.js';
import type { VerbCall } from '../../app/context.js';
import { readWithSnapshot, requireRead } from '../../app/snapshot.queries.js';
import { toSodExceptionView, type SodExceptionStatus, type SodExceptionView } from './sod-exception.view.js';
import type { SodScanView } from './sod-scan.view.js';

const refText = (ref: SubjectRef): string => `${ref.type}:${ref.name}`;

export interface ListExceptionsInput {
  readonly status?: SodExceptionStatus;
  readonly identity?: string;
  readonly rule?: string;
}

/** SoD exceptions, newest first: all of them for readers of exceptions, else those that concern the actor. */
export async function listExceptions({
  app,
  actor,
  input,
}: VerbCall<ListExceptionsInput>): Promise<SodExceptionView[]> {
  return readWithSnapshot(app, async ({ trx, snapshot, now }) => {
    let query = trx.selectFrom('sod_exceptions').selectAll();
    if (input.identity !== undefined) query = query.where('identity', '=', input.identity);
    if (input.rule !== undefined) query = query.where('rule', '=', input.rule);
    const rows = await query.orderBy('created_at', 'desc').orderBy('id').limit(5000).execute();
    return rows
      .map(rowToSodException)
      .filter(
        (exception) =>
          decideExceptionRead(snapshot.duties, actor, { identity: exception.identity, createdBy: exception.createdBy })
            .allowed,
      )
      .map((exception) => toSodExceptionView(exception, now))
      .filter((item) => input.status === undefined || item.status === input.status);
  });
}

/**
 * Runs the detective SoD scan over the policy in force with the API's assignments, activations and exceptions
 * (`scanSod`), for `administer` or `audit` readers. Suppressed conflicts carry their exception.
 */
export async function scanSodConflicts({ app, actor }: VerbCall<Record<string, never>>): Promise<SodScanView> {
  return readWithSnapshot(app, async ({ trx, snapshot, now }) => {
    requireRead(decideAreaRead(snapshot.duties, actor, 'sod'));
    const scan = scanSod({ policy: snapshot.policy, exceptions: snapshot.exceptions, now, duties: snapshot.duties });
    const ids = [...new Set(scan.conflicts.flatMap((c) => (c.suppressedBy ? [c.suppressedBy] : [])))];
    const rows =
      ids.length === 0 ? [] : await trx.selectFrom('sod_exceptions').selectAll().where('id', 'in', ids).execute();
    const exceptions = new Map(rows.map((row) => [row.id, toSodExceptionView(rowToSodException(row), now)]));
    return {
      at: new Date(scan.at).toISOString(),
      identities: scan.identities,
      rules: scan.rules,
      unsuppressed: scan.unsuppressed,
      suppressed: scan.suppressed,
      conflicts: scan.conflicts.map((c) => ({
        rule: c.rule,
        scope: c.scope,
        identity: c.identity,
        profile: c.profile ?? null,
        holdings: c.holdings.map((h) => ({
          duty: h.duty,
          role: h.role,
          via: refText(h.via),
          assignment: h.assignment,
        })),
        message: c.reason.message,
        exception: c.suppressedBy === undefined ? null : (exceptions.get(c.suppressedBy) ?? null),
      })),
      humanOnly: scan.humanOnly.map((v) => ({
        identity: v.identity,
        duty: v.holding.duty,
        role: v.holding.role,
        message: v.reason.message,
      })),
    };
  });
}
