/**
 * Who hears of a pending request in chat (issue 13), and who a chat user is. Both are pure: the approval audience is
 * exactly the identities whose approval `decideApproval` would count now (so a message with buttons goes only to
 * people whose press can succeed); the escalation audience is the humans an escalation names, each marked with
 * whether their approval would count (escalation tells more people, it never makes anyone an approver); and a
 * Slack user maps to an identity by its declared Slack id or, failing that, by a verified e-mail address.
 */
import type { Reason } from '../core/decision.js';
import type { Identity, SubjectRef } from '../policy/model.js';
import { decideApproval, type ApprovalContext } from './approval.decide.js';
import { identityMatchesSubject } from './request.decide.js';
import type { RequestRecord } from './types.js';

/** Identities whose approval of `request` would count now, in policy order. */
export function approvalAudience(ctx: ApprovalContext, request: RequestRecord): string[] {
  if (request.status !== 'pending') return [];
  return [...ctx.policy.identities.values()]
    .filter((identity) => decideApproval(ctx, request, identity.name).outcome === 'counted')
    .map((identity) => identity.name);
}

export interface Listener {
  readonly identity: string;
  /** Their approval would count now: the message may carry buttons. */
  readonly canApprove: boolean;
}

/**
 * The enabled humans `refs` name, in policy order, each with whether their approval of `request` would count.
 * The requester is never told of their own request's escalation.
 */
export function escalationAudience(
  ctx: ApprovalContext,
  request: RequestRecord,
  refs: readonly SubjectRef[],
): Listener[] {
  const approvers = new Set(approvalAudience(ctx, request));
  return [...ctx.policy.identities.values()]
    .filter((identity) => identity.kind === 'human' && !identity.disabled && identity.name !== request.requester)
    .filter((identity) => refs.some((ref) => identityMatchesSubject(identity, ref)))
    .map((identity) => ({ identity: identity.name, canApprove: approvers.has(identity.name) }));
}

export type ChatUserMatch =
  { readonly identity: Identity; readonly via: 'slack_id' | 'email' } | { readonly refused: Reason };

/**
 * The identity a Slack user acts as. Invariant: only an enabled human; first the identity whose declared `slack`
 * id is the user's; otherwise, when Slack vouches for the user's e-mail address (`emailConfirmed`), the one
 * identity with that address (none, or several, is unknown). NHIs never act through chat: they have no hands.
 */
export function matchChatUser(
  identities: Iterable<Identity>,
  user: { readonly slackId: string; readonly email?: string; readonly emailConfirmed?: boolean },
): ChatUserMatch {
  const all = [...identities];
  const byId = all.filter((identity) => identity.slack === user.slackId);
  let match: { identity: Identity; via: 'slack_id' | 'email' } | undefined;
  if (byId.length === 1 && byId[0] !== undefined) match = { identity: byId[0], via: 'slack_id' };
  else if (byId.length === 0 && user.email !== undefined && user.emailConfirmed === true) {
    const email = user.email.toLowerCase();
    const byEmail = all.filter((identity) => identity.email?.toLowerCase() === email);
    if (byEmail.length === 1 && byEmail[0] !== undefined) match = { identity: byEmail[0], via: 'email' };
  }
  if (match === undefined) {
    return {
      refused: {
        code: 'chat.unknown_user',
        message: `Slack user '${user.slackId}' is not any Countersign identity (set the identity's 'slack' id, or confirm the same e-mail in Slack)`,
      },
    };
  }
  const { identity } = match;
  if (identity.kind !== 'human') {
    return {
      refused: {
        code: 'chat.not_human',
        message: `'${identity.name}' is a ${identity.kind} identity: only humans approve, and never through chat for an NHI`,
      },
    };
  }
  if (identity.disabled) {
    return { refused: { code: 'chat.disabled', message: `identity '${identity.name}' is disabled` } };
  }
  return match;
}
