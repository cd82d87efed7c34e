/**
 * After an OIDC token was mapped to an identity (a bearer token, or the console's sign-in): when the issuer's
 * groups claim feeds directory groups (`--oidc-sync-groups`), the identity's claimed memberships are brought in
 * line with the token (`syncOidcGroups`: only existing directory groups, audited when they change). The bearer
 * path runs it on each verification the authentication cache does not answer, so at most once per cache period.
 */
import type { AppContext } from '../../app/context.js';
import { syncOidcGroups } from '../../features/directory/index.js';
import type { OidcClaims } from './oidc-verifier.js';

export async function syncClaimedGroups(app: AppContext, identity: string, claims: OidcClaims): Promise<void> {
  if (claims.syncGroups !== true || claims.groups === undefined) return;
  await syncOidcGroups(app, { identity, issuer: claims.issuer, groups: claims.groups });
}
