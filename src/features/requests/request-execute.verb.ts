/**
 * `executeRequest` (SPEC §2.8): the requester runs an approved `execute` action once. Privilege exists only for
 * the execution, and its outcome is never lost: (1) a transaction re-checks the digest, re-validates the request
 * (including that what the action provisions is what was approved), claims it (`approved` → `executing`, naming
 * the version it read, so two racing calls never both run it) and records the intent with its idempotency key;
 * (2) the provider executes outside any transaction; (3) a second transaction records `completed` with the
 * summary and the output (HMAC'd in the log), or the failure with the provider's error text sealed. If that
 * second write fails, the answer says the action may have run and the request is flagged `needs_review`.
 */
import { gatherStoredRequestContext } from './request-context.js';
import { contextDetails } from './request-create.verb.js';
import { z } from 'zod';
import { refusalOf, type Reason } from '../../core/decision.js';
import { AppError } from '../../core/errors.js';
import { transition } from '../../decide/lifecycle.decide.js';
import { revalidateRequest } from '../../decide/revalidate.decide.js';
import { checkLifecycleActor } from '../../decide/sod-lifecycle.decide.js';
import { SYSTEM_EXECUTOR } from '../../policy/model.js';
import type { ExecuteResult } from '../../providers/provider.js';
import { newId } from '../../core/clock.js';
import type { AppContext, VerbCall } from '../../app/context.js';
import { flagOutcomeUnknown } from './execution-outcome.job.js';
import { finishIntent, insertIntent } from '../grants/index.js';
import { refuse } from '../../app/refuse.js';
import {
  loadRequestView,
  provisioningProblems,
  resolveTarget,
  wrongActionKind,
  type RequestTarget,
} from './request-verb-support.js';
import { describeFailure, parseInput, providerFailed, providerFor } from '../../app/verb-support.js';
import type { ExecutionView, RequestView } from './request.view.js';
import { getRequest, moveRequest } from './requests.repo.js';
import { getResourceState } from '../resources/index.js';
import { inTransaction, type TransactionScope } from '../../app/transaction.js';

/** `statusReason` of a failed execution: the provider's own words are sealed in the audit log, never shown. */
const EXECUTION_FAILED =
  "execution failed: the provider reported an error; its text is sealed in the audit log (event 'request.execute_failed')";

export const executeRequestSchema = z.strictObject({
  id: z.string().min(1).max(100),
  /** The digest the requester expects to run; refused when the stored content no longer matches it. */
  digest: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'a request digest is 64 lowercase hex characters')
    .optional(),
});
export type ExecuteRequestInput = z.input<typeof executeRequestSchema>;

/** The request (now `completed`), and the output in clear, returned once. */
export type ExecutionResult = ExecutionView;

type Claim =
  | { readonly refused: readonly Reason[] }
  | {
      readonly target: RequestTarget;
      readonly requester: string;
      readonly params: Readonly<Record<string, unknown>>;
      readonly expiresAt: number;
      /** The intent's id: the execution's idempotency key. */
      readonly intentId: string;
    };

/**
 * Executes an approved `execute` request. Invariants: only the requester executes; the stored content matches the
 * approved digest (and the one the caller names) and the action provisions what was approved; the request still
 * holds under the current policy; it runs at most once; the intent is durable before the provider is called; the
 * request ends `completed` whatever the provider did, or `needs_review` when that could not be recorded — never
 * `active`; the output and the provider's error text are only in HMAC'd form in the log.
 */
export async function executeRequest(call: VerbCall<ExecuteRequestInput>): Promise<ExecutionResult> {
  const { app, actor } = call;
  const input = parseInput(executeRequestSchema, call.input);
  const { id } = input;
  const context = await gatherStoredRequestContext(app, id);
  const { value: claim } = await inTransaction(app, async ({ trx, now, audit }): Promise<Claim> => {
    const stored = await getRequest(trx, id);
    const { record } = stored;
    const snapshot = await app.policy.snapshot(trx, now);
    const sod = checkLifecycleActor({ ...snapshot, request: record, actor, as: 'requester', now });
    if (!sod.allowed) return { refused: sod.reasons };
    const moved = transition(record.status, 'execute');
    if (!moved.ok) return { refused: [moved.reason] };
    if (input.digest !== undefined && input.digest !== record.digest) {
      return {
        refused: [{ code: 'digest.mismatch', message: `request '${id}' is not the content the caller expects to run` }],
      };
    }
    const target = resolveTarget(snapshot.policy, record);
    if (target === undefined)
      return { refused: [{ code: 'request.unresolvable', message: `request '${id}' no longer resolves` }] };
    const wrongKind = wrongActionKind(target, id, 'execute');
    if (wrongKind !== undefined) return { refused: [wrongKind] };
    const state = await getResourceState(trx, record.resource);
    const check = revalidateRequest({ ...snapshot, state, now, context }, record, 'execute');
    if (check.outcome === 'refused') return { refused: check.reasons };
    const changed = await provisioningProblems(trx, record, target);
    if (changed.length > 0) return { refused: changed };

    const expiresAt = now + record.durationSeconds * 1000;
    const intentId = newId('pin');
    await moveRequest(
      trx,
      stored,
      'execute',
      { activatedAt: now, firstActivatedAt: now, expiresAt, provisioner: SYSTEM_EXECUTOR },
      now,
    );
    const providerType = target.profile.provider.type;
    await insertIntent(trx, {
      id: intentId,
      requestId: id,
      operation: 'execute',
      provider: providerType,
      createdAt: now,
      deadlineAt: expiresAt,
    });
    audit({
      actor,
      action: 'request.execute',
      subject: `request:${id}`,
      details: {
        digest: record.digest,
        provisioner: SYSTEM_EXECUTOR,
        provider: providerType,
        idempotencyKey: intentId,
        expiresAt,
        reasons: check.reasons.map((r) => ({ ...r })),
        ...contextDetails(app, context),
      },
    });
    return { target, requester: record.requester, params: record.params ?? {}, expiresAt, intentId };
  });
  if ('refused' in claim) {
    throw await refuse(app, {
      actor,
      action: 'request.execute_refused',
      subject: `request:${id}`,
      refusal: refusalOf(claim.refused),
      otherwise: `request '${id}' cannot be executed`,
      details: contextDetails(app, context),
    });
  }

  const provider = providerFor(app, claim.target.profile);
  let result: ExecuteResult | undefined;
  let failure: unknown;
  try {
    result = await provider.execute({
      requestId: id,
      identity: claim.requester,
      resource: claim.target.resource,
      profile: claim.target.profile,
      action: claim.target.action,
      params: claim.params,
      expiresAt: claim.expiresAt,
    });
  } catch (error) {
    failure = error;
  }

  let view: RequestView;
  try {
    view = (
      await inTransaction(app, (scope) => recordOutcome(scope, id, claim.intentId, provider.type, result, failure))
    ).value;
  } catch {
    throw await outcomeLost(app, id, claim.intentId);
  }
  if (result === undefined) throw providerFailed('execute the action', id);
  return { request: view, output: result.output, summary: result.summary };
}

/** The outcome transaction: `executing` → `completed`, the intent finished, the outcome audited (sealed). */
async function recordOutcome(
  scope: TransactionScope,
  id: string,
  intentId: string,
  providerType: string,
  result: ExecuteResult | undefined,
  failure: unknown,
): Promise<RequestView> {
  const { trx, now, audit } = scope;
  const stored = await getRequest(trx, id);
  const moved = transition(stored.record.status, 'execution_finished');
  // Flagged for review meanwhile (the outcome came after the deadline): its status stands, the outcome is recorded.
  if (moved.ok) {
    const statusReason = result === undefined ? EXECUTION_FAILED : 'executed';
    await moveRequest(trx, stored, 'execution_finished', { statusReason, expiresAt: now }, now);
  }
  await finishIntent(trx, intentId, result === undefined ? 'failed' : 'succeeded', now);
  audit(
    result === undefined
      ? {
          actor: SYSTEM_EXECUTOR,
          action: 'request.execute_failed',
          subject: `request:${id}`,
          details: { provider: providerType, idempotencyKey: intentId, providerError: describeFailure(failure) },
        }
      : {
          actor: SYSTEM_EXECUTOR,
          action: 'request.complete',
          subject: `request:${id}`,
          details: { provider: providerType, idempotencyKey: intentId, summary: result.summary, output: result.output },
        },
  );
  return loadRequestView(trx, id);
}

/**
 * The answer when the outcome could not be recorded: the action may have run. Flags the request for review at
 * once if the store takes it; otherwise the scheduler flags it after the execution's deadline.
 */
async function outcomeLost(app: AppContext, id: string, intentId: string): Promise<AppError> {
  const flagged = await inTransaction(app, (scope) =>
    flagOutcomeUnknown(scope, { id: intentId, requestId: id }, SYSTEM_EXECUTOR, 'the outcome could not be recorded'),
  ).then(
    ({ value }) => value,
    () => false,
  );
  const next = flagged
    ? `it is flagged for review (needs_review)`
    : `it will be flagged for review once the store can be written`;
  return new AppError(
    'audit_unavailable',
    `request '${id}' may have run, but its outcome could not be recorded; ${next}. Do not run it again before checking the target`,
    { request: id, mayHaveRun: true, flagged, idempotencyKey: intentId },
  );
}
