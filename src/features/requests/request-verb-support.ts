/**
 * What the request verbs share: input parsing, recording refusals in the decision log (in a transaction of
 * their own, so the refusal is kept even though the verb changes nothing), mapping refusal reasons to error
 * codes, resolving the policy objects a request names, and retrying a verb that lost an optimistic race.
 */
import type { Transaction } from 'kysely';
import type { z } from 'zod';
import type { Reason } from '../../core/decision.js';
import { AppError, type ErrorCode } from '../../core/errors.js';
import { checkProvisioningUnchanged } from '../../decide/provisioning.decide.js';
import type { RequestRecord } from '../../decide/types.js';
import type { ActionDefinition, PolicySet, Resource, ResourceProfile } from '../../policy/model.js';
import type { Provider } from '../../providers/provider.js';
import { fromJsonText } from '../../store/columns.js';
import type { Schema } from '../../store/schema.js';
import type { AppContext } from '../../app/context.js';
import { toRequestView, type RequestView } from './request.view.js';
import { findGrantByRequest } from '../grants/grants.repo.js';
import { getRequest, isVersionConflict } from './requests.repo.js';
import { inTransaction } from '../../app/transaction.js';

/** Parses verb input; every problem is listed in the `invalid` error. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) =>
    issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message,
  );
  throw new AppError('invalid', `invalid input: ${problems.join('; ')}`, { problems });
}

/** Codes of reasons that mean "the request is not in a state for this", whoever asks. */
const STATE_REASONS = new Set([
  'lifecycle.illegal_transition',
  'request.not_pending',
  'request.no_open_step',
  'request.wrong_status',
  'digest.mismatch',
  'digest.content_changed',
  'provisioning.changed',
  'provisioning.unknown',
]);

/**
 * The error code of a refusal: a wrong state is a `conflict`, acting on someone else's request is `forbidden`,
 * any other separation-of-duties reason is `sod_violation`, and the rest is `fallback`.
 */
export function refusalCode(reasons: readonly Reason[], fallback: ErrorCode): ErrorCode {
  if (reasons.some((r) => r.code === 'action.wrong_kind')) return 'invalid';
  if (reasons.some((r) => STATE_REASONS.has(r.code))) return 'conflict';
  if (reasons.some((r) => r.code === 'sod.not_requester')) return 'forbidden';
  if (reasons.some((r) => r.code.startsWith('sod.') && r.code !== 'sod.lifecycle_ok')) return 'sod_violation';
  return fallback;
}

export interface Refusal {
  readonly actor: string;
  /** `entity.verb_refused`, e.g. `request.approve_refused`. */
  readonly action: string;
  readonly subject: string;
  readonly code: ErrorCode;
  readonly message: string;
  readonly reasons: readonly Reason[];
  readonly details?: Readonly<Record<string, unknown>>;
}

/**
 * Records a refusal in the decision log in its own transaction and returns the error to throw. If even that
 * record cannot be written, the caller gets `audit_unavailable` instead: a refusal is never silent.
 */
export async function recordRefusal(app: AppContext, refusal: Refusal): Promise<AppError> {
  await inTransaction(app, async ({ audit }) => {
    audit({
      actor: refusal.actor,
      action: refusal.action,
      subject: refusal.subject,
      details: { ...refusal.details, code: refusal.code, reasons: refusal.reasons.map((r) => ({ ...r })) },
    });
  });
  return new AppError(refusal.code, refusal.message, { reasons: refusal.reasons });
}

/** The first reason's sentence, used as the error message. */
export function firstMessage(reasons: readonly Reason[], otherwise: string): string {
  return reasons[0]?.message ?? otherwise;
}

/** The current view of a request, with its grant. */
export async function loadRequestView(trx: Transaction<Schema>, id: string): Promise<RequestView> {
  const stored = await getRequest(trx, id);
  return toRequestView(stored, await findGrantByRequest(trx, id));
}

export interface RequestTarget {
  readonly resource: Resource;
  readonly profile: ResourceProfile;
  readonly action: ActionDefinition;
}

/** The resource, profile and action a stored request names, in the policy in force, or undefined. */
export function resolveTarget(policy: PolicySet, record: RequestRecord): RequestTarget | undefined {
  const resource = policy.resources.get(record.resource);
  const profile = resource === undefined ? undefined : policy.profiles.get(resource.profile);
  const action = profile?.actions.get(record.action);
  if (resource === undefined || profile === undefined || action === undefined) return undefined;
  return { resource, profile, action };
}

/**
 * The refusal reasons (none when it holds) of provisioning `record` under `target`: when the profile changed
 * since the request was evaluated, what the action provisions must be what was approved (`provisioning.decide`).
 */
export async function provisioningProblems(
  trx: Transaction<Schema>,
  record: RequestRecord,
  target: RequestTarget,
): Promise<readonly Reason[]> {
  if (target.profile.version === record.profileVersion) return [];
  const row = await trx
    .selectFrom('profile_versions')
    .select('definition')
    .where('profile', '=', record.profile)
    .where('version', '=', record.profileVersion)
    .executeTakeFirst();
  return checkProvisioningUnchanged({
    requestId: record.id,
    profile: record.profile,
    action: record.action,
    approved: row === undefined ? undefined : fromJsonText<Record<string, unknown>>(row.definition),
    current: target.profile.definition,
  });
}

/**
 * Whether an action is used the way the verb intends: `grant` actions are activated, `execute` actions run once.
 * Returns the refusal reason, or undefined.
 */
export function wrongActionKind(target: RequestTarget, id: string, verb: 'activate' | 'execute'): Reason | undefined {
  const runs = target.action.execute !== undefined;
  if (verb === 'activate' && runs) {
    return {
      code: 'action.wrong_kind',
      message: `action '${target.action.name}' of request '${id}' runs once: execute it`,
    };
  }
  if (verb === 'execute' && !runs) {
    return {
      code: 'action.wrong_kind',
      message: `action '${target.action.name}' of request '${id}' grants access: activate it`,
    };
  }
  return undefined;
}

/** The provider that serves a profile; `internal` when the wiring registered none (a deployment error). */
export function providerFor(app: AppContext, profile: ResourceProfile): Provider {
  const provider = app.providers.get(profile.provider.type);
  if (provider === undefined) {
    throw new AppError(
      'internal',
      `no '${profile.provider.type}' provider is configured for profile '${profile.name}'`,
      {
        provider: profile.provider.type,
      },
    );
  }
  return provider;
}

/**
 * A provider failure as users see it. The provider's own text may carry row data (a unique violation quotes the
 * key), so it is neither in the message nor attached as a cause that a logger would print: it is only in the
 * audit log, sealed (`describeFailure` under a `providerError` key).
 */
export function providerFailed(operation: string, requestId: string): AppError {
  return new AppError('provider_failed', `the provider could not ${operation} for request '${requestId}'`, {
    request: requestId,
    retryable: true,
  });
}

/**
 * A short, bounded description of a provider error (never a stack). It may carry row data or secrets: record it
 * only under a `providerError` key, which the audit redaction seals (src/audit/redact.ts), never in clear.
 */
export function describeFailure(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error';
  return text.slice(0, 300);
}

const VERSION_RETRIES = 3;

/**
 * Runs a verb again when it lost an optimistic race (another transaction changed the request first): the retry
 * re-reads and decides afresh, so it either succeeds on the new state or is refused with the real reason.
 */
export async function retryOnVersionConflict<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= VERSION_RETRIES || !isVersionConflict(error)) throw error;
    }
  }
}
