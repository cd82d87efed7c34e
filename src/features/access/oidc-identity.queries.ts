/**
 * Which identity verified OIDC claims name, by one rule for every way an OIDC token arrives (a bearer JWT on
 * the API, an ID token at the console's sign-in callback): by `sub` against the identity's `subject` first;
 * only when no identity has that subject, by the verified e-mail address (the verifier passes `email` only when
 * the token says `email_verified: true`), and then only to an identity that has no `subject` and opted in with
 * `emailLogin: true`. Unknown, ambiguous, disabled identities and identities the policy no longer has
 * authenticate nobody (`unauthenticated`).
 */
import type { AppContext } from '../../app/context.js';
import { AppError } from '../../core/errors.js';
import { identityStands } from './identity-standing.js';

export async function identityForOidcClaims(
  app: AppContext,
  subject: string,
  email: string | undefined,
): Promise<string> {
  const db = app.database.db;
  const columns = ['name', 'disabled_at', 'source'] as const;
  let rows = await db.selectFrom('identities').select(columns).where('subject', '=', subject).limit(2).execute();
  if (rows.length === 0 && email !== undefined) {
    // An identity bound to a subject never logs in by e-mail; the others only when they opted in.
    const byEmail = await db
      .selectFrom('identities')
      .select(columns)
      .where('email', '=', email)
      .where('subject', 'is', null)
      .limit(2)
      .execute();
    // A directory identity (SCIM) has no known subject: it signs in by the address its IdP verified.
    rows = byEmail.filter(
      (row) => row.source === 'scim' || app.policy.loaded.identities.get(row.name)?.emailLogin === true,
    );
  }
  const [row, second] = rows;
  if (!row) throw new AppError('unauthenticated', 'the OIDC token names no known identity');
  if (second) throw new AppError('unauthenticated', 'the OIDC token matches more than one identity');
  if (!identityStands(app, row.name, row.source)) {
    throw new AppError('unauthenticated', 'the OIDC token names an identity the policy no longer has');
  }
  if (row.disabled_at !== null) throw new AppError('unauthenticated', 'the OIDC token names a disabled identity');
  return row.name;
}
