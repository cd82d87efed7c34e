/**
 * Whether an identity row still stands for someone who may authenticate: the policy in force defines it, or a
 * SCIM client provisioned it (a directory identity, overlaid on every snapshot by `app/directory-overlay.ts`).
 * An identity the files no longer name keeps its row for history but authenticates nobody; a directory identity
 * stops authenticating when it is deactivated or deleted (its row is then disabled), never by a policy load.
 */
import type { AppContext } from '../../app/context.js';
import type { DirectorySource } from '../../store/schema.js';

export function identityStands(app: AppContext, name: string, source: DirectorySource | null | undefined): boolean {
  return source === 'scim' || app.policy.loaded.identities.has(name);
}
