/**
 * One-time login links (issue 12, operator bootstrap): `countersign login-link` mints a link for an identity; a
 * browser exchanges it once for a session (`POST /v1/session/link`). A link lives 10 minutes unless asked
 * otherwise, at most one hour; only its hash is stored; using it is one conditional update, so a replay, even a
 * racing one, is `unauthenticated`. Issuing is audited (`session.link_issued`, never the secret).
 */
import { z } from 'zod';
import type { VerbCall } from '../../app/context.js';
import { inTransaction } from '../../app/transaction.js';
import { parseInput } from '../../app/verb-support.js';
import { iso } from '../../app/view-fields.js';
import { newId } from '../../core/clock.js';
import { parseDurationSeconds } from '../../core/duration.js';
import { AppError } from '../../core/errors.js';
import { generateSecret, hashSecret, looksLikeSecret } from './session-secret.js';
import { consumeLoginLink, insertLoginLink } from './sessions.repo.js';
import { identityStands } from './identity-standing.js';
import { startSessionIn, type SignInContext, type StartedSession } from './sessions.verbs.js';
import type { LoginLinkView } from './session.view.js';

export const DEFAULT_LOGIN_LINK_TTL_SECONDS = 600;
export const MAX_LOGIN_LINK_TTL_SECONDS = 3600;

const issueInput = z.object({
  identity: z.string().min(1).max(200),
  ttl: z.string().min(2).max(20).optional(),
});
export type IssueLoginLinkInput = z.input<typeof issueInput>;

/**
 * Mints a login link for an enabled identity of the policy in force. Invariants: the link expires within an
 * hour, only its hash is stored, and `session.link_issued` names the identity and expiry only.
 */
export async function issueLoginLink({ app, actor, input }: VerbCall<IssueLoginLinkInput>): Promise<LoginLinkView> {
  const { identity, ttl } = parseInput(issueInput, input);
  const ttlSeconds = ttl === undefined ? DEFAULT_LOGIN_LINK_TTL_SECONDS : parseDurationSeconds(ttl);
  if (ttlSeconds === undefined || ttlSeconds > MAX_LOGIN_LINK_TTL_SECONDS) {
    throw new AppError('invalid', `'${ttl}' is not a duration of at most 1h (e.g. 10m)`);
  }
  const outcome = await inTransaction(app, async ({ trx, now, audit }) => {
    const row = await trx
      .selectFrom('identities')
      .select(['disabled_at', 'source'])
      .where('name', '=', identity)
      .executeTakeFirst();
    if (row === undefined || !identityStands(app, identity, row.source)) {
      throw new AppError('not_found', `identity '${identity}' does not exist in the policy in force`);
    }
    if (row.disabled_at !== null) throw new AppError('forbidden', `identity '${identity}' is disabled`);
    const { secret, hash } = generateSecret();
    const id = newId('lnk');
    const expiresAt = now + ttlSeconds * 1000;
    await insertLoginLink(trx, { id, secretHash: hash, identity, createdBy: actor, now, expiresAt });
    audit({
      actor,
      action: 'session.link_issued',
      subject: `identity:${identity}`,
      details: { linkId: id, identity, expiresAt, ttlSeconds },
    });
    return { id, identity, link: secret, expiresAt: iso(expiresAt) };
  });
  return outcome.value;
}

/**
 * Exchanges a login link for a session, in one transaction: the link is used up and the session begins, or
 * neither. An unknown, used or expired link, or one for an identity now disabled, is `unauthenticated`.
 */
export async function signInWithLink(context: SignInContext & { readonly link: string }): Promise<StartedSession> {
  const refused = new AppError('unauthenticated', 'the login link is not valid, was already used, or has expired');
  if (!looksLikeSecret(context.link)) throw refused;
  const outcome = await inTransaction(context.app, async (scope) => {
    const link = await consumeLoginLink(scope.trx, hashSecret(context.link), scope.now);
    if (link === undefined) throw refused;
    const row = await scope.trx
      .selectFrom('identities')
      .select(['disabled_at', 'source'])
      .where('name', '=', link.identity)
      .executeTakeFirst();
    if (row === undefined || row.disabled_at !== null || !identityStands(context.app, link.identity, row.source)) {
      throw refused;
    }
    return startSessionIn(scope, context, {
      identity: link.identity,
      method: 'login_link',
      details: { linkId: link.id },
    });
  });
  return outcome.value;
}
