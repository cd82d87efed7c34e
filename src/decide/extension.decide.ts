/**
 * Asking to extend an active grant (SPEC §2.8 "Extension"): before an extension request is stored and sent for
 * approval, it must be one that could ever be applied — the grant is active, the action grants access (an
 * `execute` holds privilege only while it runs), the provider can lengthen what it made, and the new expiry is
 * later than the current one yet within the action's `maxDuration` counted from the first activation. Applying
 * an approved extension is decided again, under the policy then in force, by `decideExtension`.
 */
import { reason, type Reason } from '../core/decision.js';
import { formatDurationSeconds } from '../core/duration.js';
import type { ActionDefinition } from '../policy/model.js';
import type { RequestRecord } from './types.js';

export interface ExtensionRequestCheck {
  /** The request whose grant would be extended. */
  readonly active: RequestRecord;
  /** Its action in the policy in force, if it still exists. */
  readonly action: ActionDefinition | undefined;
  readonly providerType: string;
  /** Whether the provider can lengthen a grant it made (e.g. move a login's expiry on the target). */
  readonly providerExtends: boolean;
  /** How long the extension runs from `now`. */
  readonly durationSeconds: number;
  /** Epoch milliseconds. */
  readonly now: number;
}

/**
 * Whether `active` may be asked to be extended for `durationSeconds` from `now`. Invariant: an extension request
 * is only stored when, approved as it stands, it would end the grant later than now planned and never past
 * `maxDuration` from the lifecycle's first activation, on a provider that can extend.
 */
export function checkExtensionRequest(check: ExtensionRequestCheck): {
  readonly allowed: boolean;
  readonly reasons: readonly Reason[];
} {
  const { active, action, now } = check;
  const problems: Reason[] = [];
  const expiresAt = active.expiresAt ?? Number.NEGATIVE_INFINITY;
  if (active.status !== 'active' || expiresAt <= now) {
    problems.push(reason('grant.not_active', `request '${active.id}' has no active grant to extend`));
    return { allowed: false, reasons: problems };
  }
  if (action === undefined) {
    return {
      allowed: false,
      reasons: [reason('action.unknown', `profile '${active.profile}' has no action '${active.action}'`)],
    };
  }
  if (action.execute !== undefined) {
    const message = `action '${action.name}' runs once and holds no grant to extend`;
    problems.push(reason('extension.not_a_grant', message));
  }
  if (!check.providerExtends) {
    const message = `the '${check.providerType}' provider cannot extend a grant it made; request new access when this one ends`;
    problems.push(reason('provider.cannot_extend', message));
  }
  const newExpiry = now + check.durationSeconds * 1000;
  const first = active.firstActivatedAt ?? active.activatedAt ?? now;
  const limit = first + action.maxDurationSeconds * 1000;
  if (newExpiry > limit) {
    const over = formatDurationSeconds(Math.ceil((newExpiry - limit) / 1000));
    const message = `the extension would run ${over} past the ${formatDurationSeconds(action.maxDurationSeconds)} maximum of action '${action.name}', counted from the first activation`;
    problems.push(reason('extension.past_max_duration', message));
  }
  if (newExpiry <= expiresAt) {
    const message = `an extension of ${formatDurationSeconds(check.durationSeconds)} from now would not end the grant of request '${active.id}' later`;
    problems.push(reason('extension.not_later', message));
  }
  if (problems.length > 0) return { allowed: false, reasons: problems };
  const message = `request '${active.id}' may ask to be extended until ${formatDurationSeconds(check.durationSeconds)} from now`;
  return { allowed: true, reasons: [reason('extension.may_ask', message)] };
}
