/** The example policy with reminders on postgres-prod's `write` and a webhook notifier hearing them (issue 13). */
import type { PolicySet, ReminderPolicy, ResourceProfile } from '../../../src/policy/model.js';

export const REMINDERS: ReminderPolicy = {
  afterSeconds: 3600,
  escalateAfterSeconds: 4 * 3600,
  escalateTo: [{ type: 'group', name: 'security' }],
};

export function withReminders(policy: PolicySet, reminders: ReminderPolicy = REMINDERS): PolicySet {
  const profile = policy.profiles.get('postgres-prod') as ResourceProfile;
  const write = profile.actions.get('write');
  if (write === undefined) throw new Error('the example policy has no postgres-prod write');
  const actions = new Map(profile.actions);
  actions.set('write', { ...write, reminders });
  const profiles = new Map(policy.profiles);
  profiles.set(profile.name, { ...profile, actions });
  const notifiers = new Map(policy.notifiers);
  notifiers.set('reminders-hook', {
    name: 'reminders-hook',
    type: 'webhook',
    urlEnv: 'REMINDERS_URL',
    secretEnv: 'REMINDERS_SECRET',
    events: ['request.reminder', 'request.escalated'],
    format: 'json',
  });
  return { ...policy, profiles, notifiers };
}
