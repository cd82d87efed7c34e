/**
 * The provider side of taking a grant's privilege away: find the grant's resource and profile, call the
 * provider's `revoke(handle)`, and turn a failure into product words. Shared by the normal teardown
 * (`grant-teardown.ts`) and by the teardown that does not wait for the store (`revoke-without-store.ts`).
 */
import type { JsonObject } from '../../audit/audit-event.js';
import type { Resource, ResourceProfile } from '../../policy/model.js';
import { fromJsonText } from '../../store/columns.js';
import type { Row } from '../../store/schema.js';
import type { AppContext } from '../../app/context.js';
import { describeFailure } from '../../app/verb-support.js';
import { findResource } from '../resources/index.js';

/**
 * Why a revoke failed: `message` in product words, which may be shown and stored anywhere, and the provider's
 * own text, which may quote data (a server's error line) and so is only ever recorded under `providerError`,
 * which the audit log seals (HMAC, and encrypted for `audit` readers).
 */
export interface RevokeFailure {
  readonly message: string;
  readonly providerError?: string;
}

/** Calls the provider; returns why it failed, or undefined when the revoke succeeded. */
export async function revokeOnProvider(app: AppContext, grant: Row<'grants'>): Promise<RevokeFailure | undefined> {
  const located = await locate(app, grant);
  if (typeof located === 'string') return { message: located };
  const provider = app.providers.get(located.profile.provider.type);
  if (provider === undefined) {
    return { message: `no '${located.profile.provider.type}' provider is configured to revoke grant '${grant.id}'` };
  }
  const handle = grant.handle === null ? {} : fromJsonText<JsonObject>(grant.handle);
  try {
    await provider.revoke(handle, located.resource, located.profile);
    return undefined;
  } catch (error) {
    // Even a provider's own AppError may quote the target's text (the postgres provider quotes the server's
    // error line), so the provider's words are sealed; driver or network errors are described the same way.
    return {
      message:
        `the ${provider.type} provider could not revoke grant '${grant.id}' on resource '${grant.resource}'; ` +
        'its error is sealed in the audit log',
      providerError: describeFailure(error),
    };
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
