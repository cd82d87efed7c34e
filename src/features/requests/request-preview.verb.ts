/**
 * `previewRequest` (`POST /v1/requests/preview`, the console's New request page): what `createRequest` would
 * decide for the same body, now, without storing or auditing anything — through the create verb's own parsing
 * and judgement (`judgeNewRequest`) — and who could approve each step, so that a step nobody can approve is
 * warned about before the request is made rather than found out when it times out.
 */
import { gatherRequestContext } from './request-context.js';
import { kindOf, type Reason } from '../../core/decision.js';
import { eligibleApprovers } from '../../decide/approver-eligibility.decide.js';
import { formatSubject } from '../../decide/request.decide.js';
import type { RequestRecord } from '../../decide/types.js';
import type { PolicySnapshot, VerbCall } from '../../app/context.js';
import { ERROR_CODE_OF_REFUSAL, firstMessage } from '../../app/refuse.js';
import { linksOf } from '../../app/request-principals.js';
import { readWithSnapshot } from '../../app/snapshot.queries.js';
import { parseInput } from '../../app/verb-support.js';
import {
  createRequestSchema,
  judgeNewRequest,
  toRequestInput,
  type CreateRequestInput,
} from './request-create.verb.js';
import { MAX_LISTED_APPROVERS, type RequestPreviewView } from './request-preview.view.js';

/** The id the previewed record carries; it is never stored. */
const PREVIEW_ID = 'req_preview';

/**
 * Previews a request by `actor`. Invariants: `allowed`, `code` and `matchedRule` are what `createRequest` with the
 * same input would store or answer under the same policy and state (both run `judgeNewRequest`); a body that
 * creating would refuse as malformed is refused the same way (`invalid`); nothing is written, not even the
 * decision log; `eligibleApprovers` of a step are the identities `decideApproval` would count there for this
 * requester (eligible and separate from the requester's principal, the token it uses now included).
 */
export async function previewRequest({ app, actor, input }: VerbCall<CreateRequestInput>): Promise<RequestPreviewView> {
  const request = toRequestInput(actor, parseInput(createRequestSchema, input), false);
  // The same context a creation would see (from the same cache), asked before the read transaction.
  const context = await gatherRequestContext(app, request);
  return readWithSnapshot(app, async ({ trx, now, snapshot: inForce }) => {
    const target = inForce.policy.profiles
      .get(inForce.policy.resources.get(request.resource)?.profile ?? '')
      ?.actions.get(request.action);
    const limit = target === undefined ? {} : { maxDurationSeconds: target.maxDurationSeconds };
    const judged = await judgeNewRequest({ trx, now }, app, actor, request, PREVIEW_ID, context);
    if (judged.refused !== undefined) {
      const { kind, reasons } = judged.refused;
      return {
        ...refusedPreview(ERROR_CODE_OF_REFUSAL[kind], reasons[0], firstMessage(reasons, 'the request was refused')),
        reasons: reasons.map(copy),
        ...limit,
      };
    }
    const { record, evaluation, snapshot } = judged;
    const reasons = evaluation.reasons.map(copy);
    const rule = record.matchedRule === '(none)' ? {} : { matchedRule: record.matchedRule };
    if (evaluation.outcome === 'denied') {
      const deciding = evaluation.reasons.find((r) => kindOf(r) === 'policy');
      return { ...refusedPreview('policy_denied', deciding, evaluation.message), reasons, ...rule, ...limit };
    }
    const steps = stepsOf(snapshot, { ...record, principalLinks: linksOf(snapshot.policy, actor) }, now);
    const warnings = steps
      .filter((step) => step.eligibleCount < step.required)
      .map((step) => ({
        code: 'no_eligible_approver' as const,
        step: step.step,
        message:
          `step ${step.step} needs ${step.required} approval${step.required === 1 ? '' : 's'} from ` +
          `${step.from.join(', ')}, but ${step.eligibleCount === 0 ? 'nobody' : `only ${step.eligibleCount}`} ` +
          `could approve it for '${actor}'`,
      }));
    return {
      allowed: true,
      reasons,
      ...rule,
      autoApproved: evaluation.outcome === 'auto_approved',
      steps,
      warnings,
      ...limit,
    };
  });
}

function copy(reason: Reason): Reason {
  return { code: reason.code, message: reason.message };
}

function refusedPreview(
  code: string,
  deciding: Reason | undefined,
  message: string,
): Pick<RequestPreviewView, 'allowed' | 'code' | 'reason' | 'message' | 'autoApproved' | 'steps' | 'warnings'> {
  return {
    allowed: false,
    code,
    ...(deciding !== undefined ? { reason: deciding.code } : {}),
    message,
    autoApproved: false,
    steps: [],
    warnings: [],
  };
}

/** Each step of the record it would be stored as, with who could approve it (humans, by name). */
function stepsOf(snapshot: PolicySnapshot, record: RequestRecord, now: number): RequestPreviewView['steps'] {
  const ctx = { ...snapshot, now };
  const candidates = [...snapshot.policy.identities.values()]
    .filter((identity) => identity.kind === 'human' && !identity.disabled)
    .map((identity) => identity.name)
    .sort();
  return record.steps.map((step, index) => {
    const eligible = eligibleApprovers(ctx, record, index, candidates);
    return {
      step: index + 1,
      required: step.count,
      independent: step.independent,
      from: step.from.map(formatSubject),
      eligibleApprovers: eligible.slice(0, MAX_LISTED_APPROVERS),
      eligibleCount: eligible.length,
    };
  });
}
