/**
 * `observeResource`: asks the resource's provider what the resource looks like now (`observe`) and records it as
 * an observation, which recomputes drift (SPEC §2.7). The provider is called between two transactions, never
 * inside one; who may trigger it is checked first, so nobody unentitled makes Countersign touch a target.
 */
import { AppError } from '../../core/errors.js';
import { decideResourceWrite } from '../../decide/administration.decide.js';
import type { VerbCall } from '../../app/context.js';
import { recordObservation, findResource, type ObservationResult } from './resources.verbs.js';
import { inTransaction } from '../../app/transaction.js';

export interface ObserveResourceInput {
  readonly resource: string;
}

/**
 * Observes one resource through its provider. Invariant: an observation recorded with `source: provider` is
 * exactly what the provider returned at that moment; a refused actor causes no provider call.
 */
export async function observeResource({
  app,
  actor,
  input,
}: VerbCall<ObserveResourceInput>): Promise<ObservationResult> {
  const { value: target } = await inTransaction(app, async ({ trx, now }) => {
    const snapshot = await app.policy.snapshot(trx, now);
    const resource = await findResource(trx, snapshot.policy, input.resource);
    if (!resource) throw new AppError('not_found', `resource '${input.resource}' does not exist`);
    const profile = snapshot.policy.profiles.get(resource.profile);
    if (!profile) {
      throw new AppError(
        'conflict',
        `resource '${resource.name}' names profile '${resource.profile}', which is not loaded`,
      );
    }
    const decision = decideResourceWrite(snapshot.duties, actor, profile, 'observe');
    if (!decision.allowed) {
      throw new AppError('forbidden', decision.reasons[0]?.message ?? `'${actor}' may not observe '${resource.name}'`);
    }
    return { resource, profile };
  });
  const provider = app.providers.get(target.profile.provider.type);
  if (!provider) {
    throw new AppError(
      'provider_failed',
      `no '${target.profile.provider.type}' provider is configured to observe '${target.resource.name}'`,
    );
  }
  const config = await provider.observe(target.resource, target.profile);
  return recordObservation({ app, actor, input: { resource: target.resource.name, config, source: 'provider' } });
}
