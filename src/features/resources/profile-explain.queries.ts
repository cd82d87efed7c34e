/**
 * The read behind `GET /v1/profiles/{name}/explain`: a profile in force explained in words by the same pure code
 * as `countersign policy explain` (`decide/policy-explain.ts`), with who holds which duty on it taken from the
 * snapshot in force (the policy's assignments and those made through the API). Visible to whoever may see the
 * profile (`decideProfileRead`), `not_found` otherwise, as `GET /v1/profiles/{name}`.
 */
import { AppError } from '../../core/errors.js';
import { explainProfile } from '../../decide/policy-explain.js';
import { profileSections } from '../../decide/policy-explain.sections.js';
import { decideProfileRead } from '../../decide/visibility.decide.js';
import type { VerbCall } from '../../app/context.js';
import { readWithSnapshot } from '../../app/snapshot.queries.js';
import type { ProfileExplanationView } from './profile-explain.view.js';

/** One profile in force explained in words; `not_found` also when the actor may not see it. */
export async function explainProfileInForce({
  app,
  actor,
  input,
}: VerbCall<{ name: string }>): Promise<ProfileExplanationView> {
  return readWithSnapshot(app, async ({ snapshot }) => {
    const profile = snapshot.policy.profiles.get(input.name);
    if (!profile || !decideProfileRead(snapshot.duties, actor, profile).allowed) {
      throw new AppError('not_found', `profile '${input.name}' does not exist`);
    }
    const summary = explainProfile(snapshot.policy, snapshot.duties, profile);
    return {
      profile: profile.name,
      version: profile.version,
      sections: profileSections(summary).map(({ title, lines }) => ({ title, lines })),
    };
  });
}
