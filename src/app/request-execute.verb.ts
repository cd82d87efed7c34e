/**
 * `executeRequest` (SPEC §2.8): the requester runs an approved `execute` action once. Privilege exists only for
 * the execution: (1) a transaction re-checks the digest and re-validates the request, and claims it (`approved` →
 * `active`, naming the version it read, so two racing calls never both run it); (2) the provider executes outside
 * any transaction; (3) a second transaction records `completed` with the summary and the output, which the audit
 * log HMACs. A failed execution also ends the request (an approval is for one run), with the failure recorded.
 */
import { z } from 'zod';
import type { JsonObject } from '../audit/audit-event.js';
import type { Reason } from '../core/decision.js';
import { transition } from '../decide/lifecycle.decide.js';
import { revalidateRequest } from '../decide/revalidate.decide.js';
import { checkLifecycleActor } from '../decide/sod-lifecycle.decide.js';
import { SYSTEM_EXECUTOR } from '../policy/model.js';
import type { ExecuteResult } from '../providers/provider.js';
import type { VerbCall } from './context.js';
import {
  describeFailure,
  firstMessage,
  loadRequestView,
  parseInput,
  providerFailed,
  providerFor,
  recordRefusal,
  refusalCode,
  resolveTarget,
  wrongActionKind,
  type RequestTarget,
} from './request-verb-support.js';
import type { RequestView } from './request-view.js';
import { getRequest, updateRequest } from './requests.repo.js';
import { getResourceState } from './resources.verbs.js';
import { inTransaction } from './transaction.js';

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
export interface ExecutionResult {
  readonly request: RequestView;
  readonly output: JsonObject;
  readonly summary: JsonObject;
}

type Claim =
  | { readonly refused: readonly Reason[] }
  | {
      readonly target: RequestTarget;
      readonly requester: string;
      readonly params: Readonly<Record<string, unknown>>;
      readonly expiresAt: number;
    };

/**
 * Executes an approved `execute` request. Invariants: only the requester executes; the stored content matches the
 * approved digest (and the one the caller names); the request still holds under the current policy; it runs at
 * most once; the request ends `completed` whatever the outcome, with the output only in HMAC'd form in the log.
 */
export async function executeRequest(call: VerbCall<ExecuteRequestInput>): Promise<ExecutionResult> {
  const { app, actor } = call;
  const input = parseInput(executeRequestSchema, call.input);
  const { id } = input;
  const { value: claim } = await inTransaction(app, async ({ trx, now, audit }): Promise<Claim> => {
    const stored = await getRequest(trx, id);
    const { record } = stored;
    const snapshot = await app.policy.snapshot(trx, now);
    const sod = checkLifecycleActor({ ...snapshot, request: record, actor, as: 'requester', now });
    if (!sod.allowed) return { refused: sod.reasons };
    const moved = transition(record.status, 'activate');
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
    const check = revalidateRequest({ ...snapshot, state, now }, record, 'execute');
    if (check.outcome === 'refused') return { refused: check.reasons };

    const expiresAt = now + record.durationSeconds * 1000;
    await updateRequest(
      trx,
      id,
      stored.version,
      { status: moved.to, activatedAt: now, firstActivatedAt: now, expiresAt, provisioner: SYSTEM_EXECUTOR },
      now,
    );
    audit({
      actor,
      action: 'request.execute',
      subject: `request:${id}`,
      details: {
        digest: record.digest,
        provisioner: SYSTEM_EXECUTOR,
        expiresAt,
        reasons: check.reasons.map((r) => ({ ...r })),
      },
    });
    return { target, requester: record.requester, params: record.params ?? {}, expiresAt };
  });
  if ('refused' in claim) {
    throw await recordRefusal(app, {
      actor,
      action: 'request.execute_refused',
      subject: `request:${id}`,
      code: refusalCode(claim.refused, 'policy_denied'),
      message: firstMessage(claim.refused, `request '${id}' cannot be executed`),
      reasons: claim.refused,
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

  const { value: view } = await inTransaction(app, async ({ trx, now, audit }) => {
    const stored = await getRequest(trx, id);
    const moved = transition(stored.record.status, 'complete');
    // Someone revoked the request while it ran: its status stands, the outcome is still recorded below.
    if (moved.ok) {
      const statusReason = result === undefined ? `execution failed: ${describeFailure(failure)}` : 'executed';
      await updateRequest(trx, id, stored.version, { status: moved.to, statusReason, expiresAt: now }, now);
    }
    audit(
      result === undefined
        ? {
            actor: SYSTEM_EXECUTOR,
            action: 'request.execute_failed',
            subject: `request:${id}`,
            details: { provider: provider.type, error: describeFailure(failure) },
          }
        : {
            actor: SYSTEM_EXECUTOR,
            action: 'request.complete',
            subject: `request:${id}`,
            details: { provider: provider.type, summary: result.summary, output: result.output },
          },
    );
    return loadRequestView(trx, id);
  });
  if (result === undefined) throw providerFailed('execute the action', id, failure);
  return { request: view, output: result.output, summary: result.summary };
}
