/**
 * What a chat message about a request shows and who receives it (issue 13), read in one read transaction with the
 * policy in force: the request view (digest, steps, who approved), its profile's context (classification,
 * environment, the action's risk), the resource's drift (open findings by severity, or never observed), and the
 * audience the pure rules pick (`decide/chat-audience.decide.ts`).
 */
import type { AppContext } from '../../app/context.js';
import { readWithSnapshot } from '../../app/snapshot.queries.js';
import { approvalAudience, escalationAudience, type Listener } from '../../decide/chat-audience.decide.js';
import type { Identity, PolicySet } from '../../policy/model.js';
import { findRequest, loadRequestView, resolveTarget, type RequestView } from '../requests/index.js';
import { getResourceState } from '../resources/index.js';
import type { Severity } from '../../core/domain.js';

export interface ApprovalCard {
  readonly view: RequestView;
  readonly classification?: string;
  readonly environment?: string;
  readonly risk?: string;
  readonly actionDescription?: string;
  /** Open drift findings by severity; `undefined` when the resource was never observed (unknown, not clean). */
  readonly drift?: Readonly<Record<Severity, number>>;
}

export interface ApprovalAudience {
  readonly card: ApprovalCard;
  /** Who hears of it, each with a Slack id or e-mail to find them by. */
  readonly listeners: readonly (Listener & { readonly person: Identity })[];
}

export type AudienceKind = 'approvers' | 'escalation';

/**
 * The card of `requestId` and, for `approvers`, the identities whose approval would count now; for `escalation`,
 * the humans of the action's `escalateTo` (with whether they can approve). Undefined for an unknown request.
 */
export async function loadApprovalAudience(
  app: AppContext,
  requestId: string,
  kind: AudienceKind,
): Promise<ApprovalAudience | undefined> {
  return readWithSnapshot(app, async ({ trx, snapshot, now }) => {
    const stored = await findRequest(trx, requestId);
    if (stored === undefined) return undefined;
    const card = await buildCard(trx, snapshot.policy, requestId);
    const ctx = { ...snapshot, now };
    const target = resolveTarget(snapshot.policy, stored.record);
    const listeners =
      kind === 'approvers'
        ? approvalAudience(ctx, stored.record).map((identity) => ({ identity, canApprove: true }))
        : escalationAudience(ctx, stored.record, target?.action.reminders?.escalateTo ?? []);
    return {
      card,
      listeners: listeners.flatMap((listener) => {
        const person = snapshot.policy.identities.get(listener.identity);
        return person === undefined ? [] : [{ ...listener, person }];
      }),
    };
  });
}

/** The card of `requestId` as it stands now, or undefined for an unknown request. */
export async function loadApprovalCard(app: AppContext, requestId: string): Promise<ApprovalCard | undefined> {
  return readWithSnapshot(app, async ({ trx, snapshot }) => {
    if ((await findRequest(trx, requestId)) === undefined) return undefined;
    return buildCard(trx, snapshot.policy, requestId);
  });
}

async function buildCard(
  trx: Parameters<typeof loadRequestView>[0],
  policy: PolicySet,
  requestId: string,
): Promise<ApprovalCard> {
  const view = await loadRequestView(trx, requestId);
  const stored = await findRequest(trx, requestId);
  const target = stored === undefined ? undefined : resolveTarget(policy, stored.record);
  const state = await getResourceState(trx, view.resource);
  return {
    view,
    ...(target !== undefined
      ? {
          classification: target.profile.classification,
          environment: target.profile.environment,
          risk: target.action.risk,
          ...(target.action.description !== undefined ? { actionDescription: target.action.description } : {}),
        }
      : {}),
    ...(state.config !== undefined ? { drift: state.drift } : {}),
  };
}
