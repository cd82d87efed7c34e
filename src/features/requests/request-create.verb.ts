/**
 * `createRequest` (SPEC §2.6, §2.8): a requester asks for an action on a resource for a while. The policy decides
 * at once — approved by policy, denied, or pending on approval steps — and the request is stored with that
 * decision, the profile version it was evaluated against and the digest its approvals will bind to.
 *
 * A request the policy denies is stored as `denied` and returned (status `denied`, `statusReason` the rule's
 * message) rather than thrown: it is a decision with a record, and the requester can see it in their list. The
 * HTTP layer answers it with 403 `policy_denied`. Requests the requester may not make at all (`forbidden`) or
 * that are malformed (`invalid`) are not stored; they are recorded in the decision log and thrown.
 */
import type { Transaction } from 'kysely';
import { z } from 'zod';
import { canonicalJson } from '../../core/canonical-json.js';
import { refusalAs, refusalOf, type Reason, type Refusal } from '../../core/decision.js';
import { parseDurationSeconds } from '../../core/duration.js';
import { AppError } from '../../core/errors.js';
import { initialStatus } from '../../decide/lifecycle.decide.js';
import {
  evaluateRequest,
  MAX_JUSTIFICATION_LENGTH,
  MAX_TICKET_LENGTH,
  type RequestEvaluation,
} from '../../decide/request.decide.js';
import { checkLifecycleActor } from '../../decide/sod-lifecycle.decide.js';
import { NO_DRIFT, type RequestInput, type RequestRecord } from '../../decide/types.js';
import { SYSTEM_POLICY } from '../../policy/model.js';
import { durationSchema, nameSchema } from '../../policy/schema-primitives.js';
import type { Schema } from '../../store/schema.js';
import { newId } from '../../core/clock.js';
import type { AppContext, PolicySnapshot, VerbCall } from '../../app/context.js';
import { parseInput } from '../../app/verb-support.js';
import { refuse } from '../../app/refuse.js';
import { toRequestView, type RequestView } from './request.view.js';
import { insertRequest, getRequest } from './requests.repo.js';
import { getResourceState } from '../resources/index.js';
import { inTransaction, type TransactionScope } from '../../app/transaction.js';
import { contextRecord } from '../../decide/context.decide.js';
import type { ContextValues } from '../../policy/context-sources.js';
import { gatherRequestContext } from './request-context.js';

/** Largest canonical JSON of `params` accepted (the largest action schema allows 20k of SQL). */
export const MAX_PARAMS_LENGTH = 64 * 1024;

const paramsSchema = z
  .record(z.string().max(200), z.unknown())
  .refine((params) => canonicalJson(params).length <= MAX_PARAMS_LENGTH, {
    message: `parameters are larger than ${MAX_PARAMS_LENGTH} characters`,
  });

/** The body of `POST /v1/requests`. */
export const createRequestSchema = z.strictObject({
  resource: nameSchema,
  action: z.string().min(1).max(100),
  duration: durationSchema,
  justification: z.string().max(MAX_JUSTIFICATION_LENGTH).optional(),
  ticket: z.string().max(MAX_TICKET_LENGTH).optional(),
  params: paramsSchema.optional(),
});
export type CreateRequestInput = z.input<typeof createRequestSchema>;

/** The body of `POST /v1/break-glass`: the same, and no ticket is needed. */
export const breakGlassSchema = createRequestSchema;
export type BreakGlassInput = CreateRequestInput;

/** Turns the parsed body into the decision input for `requester`. */
export function toRequestInput(
  requester: string,
  body: z.output<typeof createRequestSchema>,
  breakGlass: boolean,
): RequestInput {
  const durationSeconds = parseDurationSeconds(body.duration);
  if (durationSeconds === undefined) {
    throw new AppError('invalid', `'${body.duration}' is not a duration such as '30m' or '8h'`, {
      duration: body.duration,
    });
  }
  return {
    requester,
    resource: body.resource,
    action: body.action,
    durationSeconds,
    breakGlass,
    ...(body.justification !== undefined ? { justification: body.justification } : {}),
    ...(body.ticket !== undefined ? { ticket: body.ticket } : {}),
    ...(body.params !== undefined ? { params: body.params } : {}),
  };
}

/**
 * Evaluates a request against the policy in force, the resource's observed state and what the context sources
 * said (`context`, gathered before the transaction by `gatherRequestContext`), inside `trx`.
 */
export async function evaluateInTransaction(
  scope: { readonly trx: Transaction<Schema>; readonly now: number },
  app: AppContext,
  input: RequestInput,
  context?: ContextValues,
): Promise<{ evaluation: RequestEvaluation; snapshot: PolicySnapshot }> {
  const snapshot = await app.policy.snapshot(scope.trx, scope.now);
  const known = snapshot.policy.resources.has(input.resource);
  const state = known ? await getResourceState(scope.trx, input.resource) : { drift: NO_DRIFT };
  const evaluation = evaluateRequest({ ...snapshot, state, now: scope.now, ...(context ? { context } : {}) }, input);
  return { evaluation, snapshot };
}

type RefusedEvaluation = Extract<RequestEvaluation, { outcome: 'invalid' | 'forbidden' }>;

/** Narrows an evaluation to the outcomes that store nothing (TypeScript cannot narrow its two-valued tag). */
export function isRefusal(evaluation: RequestEvaluation): evaluation is RefusedEvaluation {
  return evaluation.outcome === 'invalid' || evaluation.outcome === 'forbidden';
}

export type Decided = Exclude<RequestEvaluation, { outcome: 'invalid' | 'forbidden' | 'break_glass' }>;

/** The record a new request is stored as, given the policy's decision. */
export function newRecord(id: string, input: RequestInput, evaluation: Decided, now: number): RequestRecord {
  const base = {
    ...input,
    id,
    profile: evaluation.profile,
    profileVersion: evaluation.profileVersion,
    digest: evaluation.digest,
    status: initialStatus(evaluation.outcome),
    createdAt: now,
    matchedRule: evaluation.rule ?? '(none)',
    steps: [],
    approvals: [],
  } satisfies RequestRecord;
  switch (evaluation.outcome) {
    case 'pending':
      return { ...base, steps: evaluation.steps, expiresAt: evaluation.pendingUntil };
    case 'auto_approved':
      return {
        ...base,
        approvals: [{ approver: SYSTEM_POLICY, step: 0, at: now, digest: evaluation.digest }],
        approvedAt: now,
        expiresAt: evaluation.activateBy,
      };
    case 'denied':
      return base;
  }
}

/** What creating a request decides before anything is stored: a refusal, or the record it would be stored as. */
export type NewRequestJudgement =
  | { readonly refused: Refusal }
  | {
      readonly refused: undefined;
      readonly record: RequestRecord;
      readonly evaluation: Decided;
      readonly snapshot: PolicySnapshot;
    };

/**
 * Judges a new request by `actor` inside `scope`, storing nothing: the policy's evaluation (its refusal judged as
 * a whole: `invalid` input, or a requester who may not ask), the record it would be stored as, and the requester
 * side of separation of duties. `createRequest` stores what this returns and `previewRequest` only shows it, so
 * a preview cannot disagree with the creation that follows it under the same policy and state.
 */
export async function judgeNewRequest(
  scope: { readonly trx: Transaction<Schema>; readonly now: number },
  app: AppContext,
  actor: string,
  request: RequestInput,
  id: string,
  context?: ContextValues,
): Promise<NewRequestJudgement> {
  const { evaluation, snapshot } = await evaluateInTransaction(scope, app, request, context);
  if (isRefusal(evaluation)) return { refused: refusalAs(evaluation.outcome, evaluation.reasons) };
  if (evaluation.outcome === 'break_glass') return { refused: refusalAs('invalid', []) };
  const record = newRecord(id, request, evaluation, scope.now);
  const sod = checkLifecycleActor({ ...snapshot, request: record, actor, as: 'requester', now: scope.now });
  if (!sod.allowed) return { refused: refusalOf(sod.reasons) };
  return { refused: undefined, record, evaluation, snapshot };
}

/**
 * Creates a request for `actor`. Invariants: the stored request carries the decision the policy made now, the
 * profile version and the digest; an auto-approval is recorded as an approval by `system:policy` naming the
 * rule; the requester is always the acting identity; nothing is stored for a request that is malformed or that
 * the actor may not make (those are refused in the decision log and thrown).
 */
export async function createRequest({ app, actor, input }: VerbCall<CreateRequestInput>): Promise<RequestView> {
  const request = toRequestInput(actor, parseInput(createRequestSchema, input), false);
  const id = newId('req');
  // Network I/O before the transaction, never inside it: the decision gets the answers as input.
  const context = await gatherRequestContext(app, request);
  const { value } = await inTransaction(app, async (scope) => {
    const { trx } = scope;
    const judged = await judgeNewRequest(scope, app, actor, request, id, context);
    if (judged.refused !== undefined) return { refused: judged.refused, view: undefined };
    const { record, evaluation } = judged;

    const statusReason = evaluation.outcome === 'denied' ? evaluation.message : undefined;
    await insertRequest(trx, record, statusReason !== undefined ? { statusReason } : {});
    const seen = contextRecord(judged.snapshot.policy, context);
    recordCreation(scope, { actor, record, evaluation, statusReason, reasons: evaluation.reasons, context: seen });
    return { refused: undefined, view: toRequestView(await getRequest(trx, id)) };
  });
  if (value.view !== undefined) return value.view;
  throw await refuse(app, {
    actor,
    action: 'request.create_refused',
    subject: `resource:${request.resource}`,
    refusal: value.refused,
    otherwise: 'the request was refused',
    details: { resource: request.resource, action: request.action, ...contextDetails(app, context) },
  });
}

/** `{ context }` for an audit event's details when any source was consulted: what the decision saw. */
export function contextDetails(app: AppContext, context: ContextValues): { context?: Record<string, unknown> } {
  return context.size === 0 ? {} : { context: contextRecord(app.policy.loaded, context) };
}

/**
 * The `request.create` event of a stored request, with the approval `system:policy` gives an auto-approved one,
 * and the notifications of its outcome (created, then approved, approval needed or denied). `extra` (such as
 * the request an extension extends) goes into the event's details and every notification.
 */
export function recordCreation(
  { audit, notify }: Pick<TransactionScope, 'audit' | 'notify'>,
  input: {
    readonly actor: string;
    readonly record: RequestRecord;
    readonly evaluation: Decided;
    readonly statusReason: string | undefined;
    readonly reasons: readonly Reason[];
    readonly extra?: Readonly<Record<string, string>>;
    /** What the context sources said (`contextRecord`), so that "why was this allowed" has an answer. */
    readonly context?: Readonly<Record<string, unknown>>;
  },
): void {
  const { actor, record, evaluation, statusReason, extra = {}, context = {} } = input;
  const subject = `request:${record.id}`;
  audit({
    actor,
    action: 'request.create',
    subject,
    details: {
      outcome: evaluation.outcome,
      status: record.status,
      ...extra,
      resource: record.resource,
      action: record.action,
      durationSeconds: record.durationSeconds,
      profile: record.profile,
      profileVersion: record.profileVersion,
      digest: record.digest,
      rule: record.matchedRule,
      ...(statusReason !== undefined ? { message: statusReason } : {}),
      reasons: input.reasons.map((r) => ({ ...r })),
      ...(Object.keys(context).length > 0 ? { context } : {}),
    },
  });
  const summary = { request: record.id, ...extra, requester: actor, resource: record.resource, action: record.action };
  notify('request.created', { ...summary, status: record.status });
  if (evaluation.outcome === 'auto_approved') {
    audit({
      actor: SYSTEM_POLICY,
      action: 'request.approve',
      subject,
      details: { rule: record.matchedRule, final: true },
    });
    notify('request.approved', { ...summary, rule: record.matchedRule });
  } else if (evaluation.outcome === 'pending') {
    notify('request.approval_needed', { ...summary, steps: record.steps.length });
  } else {
    notify('request.denied', { ...summary, rule: record.matchedRule, message: evaluation.message });
  }
}
