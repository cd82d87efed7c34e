/**
 * What the request verbs share: loading a request's view, resolving the policy objects a request names, checking
 * that provisioning still matches what was approved, and retrying a verb that lost an optimistic race. What every
 * verb shares (input parsing, refusals, providers) is in app/verb-support.ts.
 */
import type { Transaction } from 'kysely';
import type { Reason } from '../../core/decision.js';
import { checkProvisioningUnchanged } from '../../decide/provisioning.decide.js';
import type { RequestRecord } from '../../decide/types.js';
import type { ActionDefinition, PolicySet, Resource, ResourceProfile } from '../../policy/model.js';
import { fromJsonText } from '../../store/columns.js';
import type { Schema } from '../../store/schema.js';
import { toRequestView, type RequestView } from './request.view.js';
import { findGrantByRequest } from '../grants/index.js';
import { getRequest, isVersionConflict } from './requests.repo.js';
import { remindersOf } from './request-reminders.repo.js';

/** The current view of a request, with its grant and the reminders sent for it. */
export async function loadRequestView(trx: Transaction<Schema>, id: string): Promise<RequestView> {
  const stored = await getRequest(trx, id);
  const reminders = (await remindersOf(trx, [id])).get(id) ?? [];
  return toRequestView(stored, await findGrantByRequest(trx, id), reminders);
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
