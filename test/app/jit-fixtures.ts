/**
 * The walkthrough policy (examples/postgres-jit) for app tests: loaded once, optionally with a notifier that
 * hears reconciliation and drift events, and a helper that takes a `read` request of ana's through approval
 * and activation.
 */
import { activateRequest, approveRequest, createRequest } from '../../src/features/requests/requests.verbs.js';
import type { ActivationResult } from '../../src/features/requests/requests.verbs.js';
import type { AppContext } from '../../src/app/context.js';
import { formatProblem, parsePolicySources } from '../../src/policy/load.js';
import type { Notifier, PolicySet } from '../../src/policy/model.js';
import { readPolicyDirectory } from '../../src/policy/policy-files.js';

export const JIT_POLICY_DIR = 'examples/postgres-jit';
export const JIT_RESOURCE = 'local-db';

/** A notifier subscribed to everything, so tests can see what went into the outbox. */
export const ALL_EVENTS_NOTIFIER: Notifier = {
  name: 'test-sink',
  type: 'webhook',
  urlEnv: 'TEST_SINK_URL',
  secretEnv: 'TEST_SINK_SECRET',
  events: ['*'],
  format: 'json',
};

/** The walkthrough policy as loaded from disk, with `notifiers` added. */
export async function jitPolicy(notifiers: readonly Notifier[] = []): Promise<PolicySet> {
  const read = await readPolicyDirectory(JIT_POLICY_DIR);
  const loaded = read.problems.length === 0 ? parsePolicySources(read.sources) : { problems: read.problems };
  if (!loaded.policy)
    throw new Error(`${JIT_POLICY_DIR} does not load:\n${loaded.problems.map(formatProblem).join('\n')}`);
  return { ...loaded.policy, notifiers: new Map(notifiers.map((notifier) => [notifier.name, notifier])) };
}

/** ana asks for `read`, omar approves, ana activates: returns the activation (credential included). */
export async function activeReadGrant(app: AppContext, duration = '30m'): Promise<ActivationResult> {
  const created = await createRequest({
    app,
    actor: 'ana',
    input: { resource: JIT_RESOURCE, action: 'read', duration, justification: 'monthly report' },
  });
  await approveRequest({ app, actor: 'omar', input: { id: created.id, digest: created.digest } });
  return activateRequest({ app, actor: 'ana', input: { id: created.id } });
}
