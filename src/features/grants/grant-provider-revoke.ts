/**
 * The provider side of taking a grant's privilege away: find the grant's resource and profile, call the
 * provider's `revoke(handle)`, and turn a failure into product words. Shared by the normal teardown
 * (`grant-teardown.ts`) and by the teardown that does not wait for the store (`revoke-without-store.ts`).
 */
import type { JsonObject } from '../../audit/audit-event.js';
import { isAppError } from '../../core/errors.js';
import type { Resource, ResourceProfile } from '../../policy/model.js';
import { fromJsonText } from '../../store/columns.js';
import type { Row } from '../../store/schema.js';
import type { AppContext } from '../../app/context.js';
import { findResource } from '../resources/index.js';

/** Calls the provider; returns the failure in product words, or undefined when the revoke succeeded. */
export async function revokeOnProvider(app: AppContext, grant: Row<'grants'>): Promise<string | undefined> {
  const located = await locate(app, grant);
  if (typeof located === 'string') return located;
  const provider = app.providers.get(located.profile.provider.type);
  if (provider === undefined) {
    return `no '${located.profile.provider.type}' provider is configured to revoke grant '${grant.id}'`;
  }
  const handle = grant.handle === null ? {} : fromJsonText<JsonObject>(grant.handle);
  try {
    await provider.revoke(handle, located.resource, located.profile);
    return undefined;
  } catch (error) {
    // Provider errors may carry driver or network text; only our own AppError messages are product words.
    const detail = isAppError(error) ? `: ${error.message}` : '';
    return `the ${provider.type} provider could not revoke grant '${grant.id}' on resource '${grant.resource}'${detail}`;
  }
}

/** The grant's resource and profile: from the policy files, else registered through the API (and not removed). */
async function locate(
  app: AppContext,
  grant: Row<'grants'>,
): Promise<{ readonly resource: Resource; readonly profile: ResourceProfile } | string> {
  const policy = app.policy.loaded;
  const resource = await findResource(app.database.db, policy, grant.resource);
  if (resource === undefined) return `resource '${grant.resource}' of grant '${grant.id}' no longer exists`;
  const profile = policy.profiles.get(resource.profile);
  if (profile === undefined)
    return `profile '${resource.profile}' of resource '${grant.resource}' is no longer in the policy`;
  return { resource, profile };
}
