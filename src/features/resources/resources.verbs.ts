/**
 * Resources and drift (SPEC §2.7): recording observed configuration and keeping one drift finding per
 * (resource, failing check) with first seen, last seen and resolved times. Registering a resource through the
 * API is `resource-put.verb.ts`, behind a second administrator's approval.
 * `findResource` and `getResourceState` are what the request verbs read to evaluate a request against a
 * resource's current posture.
 */
import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import { refusalOf, type Reason } from '../../core/decision.js';
import { AppError, isAppError } from '../../core/errors.js';
import { decideResourceWrite } from '../../decide/administration.decide.js';
import { decideObservationTime, evaluateBaseline, type BaselineCheckResult } from '../../decide/drift.decide.js';
import { NO_DRIFT, type ResourceState } from '../../decide/types.js';
import type { PolicySet, Resource, ResourceProfile, Severity } from '../../policy/model.js';
import { fromJsonText, toJsonText } from '../../store/columns.js';
import { rowToResource } from '../../store/resource-row.js';
import type { Row, Schema } from '../../store/schema.js';
import { newId } from '../../core/clock.js';
import type { VerbCall } from '../../app/context.js';
import { parseInput } from '../../app/verb-support.js';
import { refuse } from '../../app/refuse.js';
import { inTransaction, type TransactionScope } from '../../app/transaction.js';

const NAME = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, ".", "_" and "-"');

export { rowToResource } from '../../store/resource-row.js';

/** A resource by name: from the loaded policy, else registered through the API (and not removed). */
export async function findResource(
  trx: Kysely<Schema>,
  policy: PolicySet,
  name: string,
): Promise<Resource | undefined> {
  const fromPolicy = policy.resources.get(name);
  if (fromPolicy) return fromPolicy;
  const row = await trx
    .selectFrom('resources')
    .selectAll()
    .where('name', '=', name)
    .where('removed_at', 'is', null)
    .executeTakeFirst();
  return row ? rowToResource(row) : undefined;
}

/**
 * What CEL sees as `resource.config` and `resource.drift`: the newest observation by arrival (not by the
 * `observedAt` its sender claimed) and the open findings. No `config` means never observed: unknown state.
 */
export async function getResourceState(trx: Transaction<Schema>, resource: string): Promise<ResourceState> {
  const latest = await trx
    .selectFrom('observations')
    .select('config')
    .where('resource', '=', resource)
    .orderBy('arrival', 'desc')
    .limit(1)
    .executeTakeFirst();
  const counts = await trx
    .selectFrom('drift_findings')
    .select(['severity', (eb) => eb.fn.countAll().as('count')])
    .where('resource', '=', resource)
    .where('status', '=', 'open')
    .groupBy('severity')
    .execute();
  const drift: Record<Severity, number> = { ...NO_DRIFT };
  for (const row of counts) drift[row.severity] = Number(row.count);
  return latest ? { config: fromJsonText<Record<string, unknown>>(latest.config), drift } : { drift };
}

type Outcome<T> = { readonly done: T } | { readonly refused: readonly Reason[] };

/** Longest canonical JSON of one observed configuration. */
const MAX_CONFIG_LENGTH = 256 * 1024;

const observeInput = z.object({
  resource: NAME,
  config: z.record(z.string().max(200), z.unknown()),
  /** Epoch ms at which the configuration was seen; default: now. Never later than now plus the clock skew. */
  observedAt: z.number().int().positive().optional(),
  source: z.enum(['provider', 'api']).default('api'),
});
export type RecordObservationInput = z.input<typeof observeInput>;

export interface ObservationResult {
  readonly observationId: string;
  readonly resource: string;
  readonly observedAt: number;
  /** Its place in the resource's arrival order (1, 2, …): the newest arrival is the current state. */
  readonly arrival: number;
  readonly profileVersion: string;
  readonly results: readonly BaselineCheckResult[];
  /** Open findings by severity after this observation. */
  readonly drift: Readonly<Record<Severity, number>>;
  readonly newFindings: readonly string[];
  readonly resolvedFindings: readonly string[];
}

/**
 * Records an observed configuration and recomputes the resource's drift findings (`resource.observe`).
 * Invariants: an `observedAt` beyond now plus the allowed clock skew is refused (`invalid`, recorded), so no
 * observation can claim to come from the future; the observation gets the next place in the resource's arrival
 * order (unique per resource: the monotonic guard) and, as the newest arrival, always becomes the current state,
 * whatever `observedAt` an earlier one claimed; the sender is recorded (`recorded_by`). At most one open finding
 * per (resource, check); a still-failing check keeps its `first_seen` and moves `last_seen` (never backwards); a
 * check now compliant or not applicable is resolved; a check that could not be evaluated leaves its finding as it
 * was; new findings are notified as `drift.found`.
 */
export async function recordObservation({
  app,
  actor,
  input,
}: VerbCall<RecordObservationInput>): Promise<ObservationResult> {
  const parsed = parseInput(observeInput, input);
  const configText = toJsonText(parsed.config);
  if (configText.length > MAX_CONFIG_LENGTH)
    throw new AppError('invalid', `the observed configuration of '${parsed.resource}' is too large`);
  const record = () =>
    inTransaction(app, async (scope): Promise<Outcome<ObservationResult>> => {
      const { trx, now, audit } = scope;
      const snapshot = await app.policy.snapshot(trx, now);
      const resource = await findResource(trx, snapshot.policy, parsed.resource);
      if (!resource) throw new AppError('not_found', `resource '${parsed.resource}' does not exist`);
      const profile = snapshot.policy.profiles.get(resource.profile);
      if (!profile)
        throw new AppError(
          'conflict',
          `resource '${resource.name}' names profile '${resource.profile}', which is not loaded`,
        );
      const decision = decideResourceWrite(snapshot.duties, actor, profile, 'observe');
      if (!decision.allowed) return { refused: decision.reasons };
      const observedAt = parsed.observedAt ?? now;
      const timing = decideObservationTime(resource.name, observedAt, now);
      if (!timing.allowed) return { refused: timing.reasons };
      const last = await trx
        .selectFrom('observations')
        .select((eb) => eb.fn.max('arrival').as('arrival'))
        .where('resource', '=', resource.name)
        .executeTakeFirst();
      const arrival = Number(last?.arrival ?? 0) + 1;
      const observationId = newId('obs');
      await trx
        .insertInto('observations')
        .values({
          id: observationId,
          resource: resource.name,
          observed_at: observedAt,
          config: configText,
          source: parsed.source,
          recorded_by: actor,
          recorded_at: now,
          arrival,
        })
        .execute();
      const evaluation = evaluateBaseline({
        profile,
        resource,
        state: { config: parsed.config, drift: NO_DRIFT },
        now: observedAt,
      });
      const findings = await updateFindings(scope, resource.name, profile, evaluation.results, observedAt);
      const state = await getResourceState(trx, resource.name);
      audit({
        actor,
        action: 'resource.observe',
        subject: `resource:${resource.name}`,
        details: {
          observationId,
          observedAt,
          arrival,
          source: parsed.source,
          profileVersion: profile.version,
          drift: state.drift,
          ...findings,
        },
      });
      return {
        done: {
          observationId,
          resource: resource.name,
          observedAt,
          arrival,
          profileVersion: profile.version,
          results: evaluation.results,
          drift: state.drift,
          ...findings,
        },
      };
    });
  const { value } = await withArrivalRetry(record);
  if ('done' in value) return value.done;
  throw await refuse(app, {
    actor,
    action: 'resource.observe_refused',
    subject: `resource:${parsed.resource}`,
    refusal: refusalOf(value.refused),
    otherwise: `'${actor}' may not record observations of '${parsed.resource}'`,
    ...(parsed.observedAt !== undefined ? { details: { observedAt: parsed.observedAt } } : {}),
  });
}

/**
 * Two observations of one resource recorded at the same moment (on PostgreSQL) can read the same last arrival
 * number; the unique index refuses the second, which is then recorded again with the next number.
 */
async function withArrivalRetry<T>(record: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await record();
    } catch (error) {
      if (attempt >= 5 || !isAppError(error) || error.details['reason'] !== 'unique_violation') throw error;
    }
  }
}

/** Opens, moves and resolves a resource's findings from the results of its newest observation. */
async function updateFindings(
  { trx, notify }: Pick<TransactionScope, 'trx' | 'notify'>,
  resourceName: string,
  profile: ResourceProfile,
  results: readonly BaselineCheckResult[],
  observedAt: number,
): Promise<{ newFindings: string[]; resolvedFindings: string[] }> {
  const newFindings: string[] = [];
  const resolved: Row<'drift_findings'>[] = [];
  const open = await trx
    .selectFrom('drift_findings')
    .selectAll()
    .where('resource', '=', resourceName)
    .where('status', '=', 'open')
    .execute();
  const openByCheck = new Map(open.map((finding) => [finding.check_name, finding]));
  const checks = new Set(results.map((r) => r.check));
  for (const result of results) {
    const finding = openByCheck.get(result.check);
    if (result.status === 'non_compliant') {
      if (finding) {
        await trx
          .updateTable('drift_findings')
          .set({
            last_seen: Math.max(Number(finding.last_seen), observedAt),
            severity: result.severity,
            message: result.message,
            profile_version: profile.version,
          })
          .where('id', '=', finding.id)
          .execute();
      } else {
        const id = newId('drf');
        await trx
          .insertInto('drift_findings')
          .values({
            id,
            resource: resourceName,
            check_name: result.check,
            severity: result.severity,
            status: 'open',
            message: result.message,
            profile_version: profile.version,
            first_seen: observedAt,
            last_seen: observedAt,
            resolved_at: null,
          })
          .execute();
        newFindings.push(id);
        notify('drift.found', {
          resource: resourceName,
          profile: profile.name,
          check: result.check,
          severity: result.severity,
          message: result.message,
          findingId: id,
        });
      }
    } else if (finding && result.status !== 'error') {
      resolved.push(finding);
    }
  }
  // A check removed from the profile cannot fail any more.
  for (const finding of open) if (!checks.has(finding.check_name)) resolved.push(finding);
  if (resolved.length > 0) {
    // Never resolved before it was last seen failing, whatever `observedAt` this observation claims.
    const resolvedAt = Math.max(observedAt, ...resolved.map((finding) => Number(finding.last_seen)));
    await trx
      .updateTable('drift_findings')
      .set({ status: 'resolved', resolved_at: resolvedAt })
      .where(
        'id',
        'in',
        resolved.map((finding) => finding.id),
      )
      .execute();
  }
  return { newFindings, resolvedFindings: resolved.map((finding) => finding.id) };
}
