/**
 * Browser sessions of the web console (issue 12): signing in with an API token, through the OIDC issuer (the
 * HTTP layer verifies and maps the ID token, then calls `startOidcSession`) or with a one-time login link
 * (`login-links.verbs.ts`); authenticating a request by its session cookie; listing and ending my sessions.
 * A session signed in with an API token carries that token's id and minter, so separation of duties sees the
 * same principal as when the token is used as a bearer (SPEC §2.4), and it dies with the token. Every start
 * and end is audited (`session.started`, `session.ended`) with the session's public id, never a secret.
 */
import type { AppContext, VerbCall } from '../../app/context.js';
import { inTransaction, type TransactionScope } from '../../app/transaction.js';
import { iso } from '../../app/view-fields.js';
import { newId } from '../../core/clock.js';
import { AppError } from '../../core/errors.js';
import {
  DEFAULT_SESSION_LIFETIME,
  describeSessionRefusal,
  judgeSession,
  type SessionLifetime,
} from '../../decide/session.decide.js';
import type { SignInMethod } from '../../store/schema.js';
import { generateSecret, hashSecret, looksLikeSecret } from './session-secret.js';
import {
  endSessionRow,
  findSessionBySecretHash,
  insertSession,
  openSessionsOf,
  touchSession,
  type SessionWithState,
} from './sessions.repo.js';
import type { OpenSessionView } from './session.view.js';
import { verifyToken } from './tokens.verbs.js';
import { identityStands } from './identity-standing.js';

/** A session just begun: the secret goes into the cookie once and is never seen again. */
export interface StartedSession {
  readonly secret: string;
  readonly sessionId: string;
  readonly identity: string;
  readonly method: SignInMethod;
  readonly expiresAt: number;
}

/** Who a session cookie authenticates, with the token and minter it acts with. */
export interface AuthenticatedSession {
  readonly sessionId: string;
  readonly identity: string;
  readonly method: SignInMethod;
  readonly tokenId?: string;
  readonly mintedBy?: string;
  readonly expiresAt: number;
}

export interface SignInContext {
  readonly app: AppContext;
  /** The client's address, recorded on the session and in its audit event. */
  readonly clientAddress: string;
  readonly lifetime?: SessionLifetime;
}

interface SessionStart {
  readonly identity: string;
  readonly method: SignInMethod;
  readonly tokenId?: string;
  readonly mintedBy?: string;
  readonly tokenExpiresAt?: number;
  /** What else the audit event should say (the login link used). */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** Inserts a session and its `session.started` event inside the caller's transaction. */
export async function startSessionIn(
  scope: Pick<TransactionScope, 'trx' | 'now' | 'audit'>,
  context: SignInContext,
  start: SessionStart,
): Promise<StartedSession> {
  const { trx, now, audit } = scope;
  const lifetime = context.lifetime ?? DEFAULT_SESSION_LIFETIME;
  const { secret, hash } = generateSecret();
  const sessionId = newId('ses');
  const absolute = now + lifetime.maxMs;
  await insertSession(trx, {
    id: sessionId,
    secretHash: hash,
    identity: start.identity,
    method: start.method,
    tokenId: start.tokenId ?? null,
    mintedBy: start.mintedBy ?? null,
    clientAddress: context.clientAddress,
    now,
    expiresAt: absolute,
  });
  audit({
    actor: start.identity,
    action: 'session.started',
    subject: `identity:${start.identity}`,
    details: {
      sessionId,
      identity: start.identity,
      method: start.method,
      tokenId: start.tokenId ?? null,
      clientAddress: context.clientAddress,
      ...start.details,
    },
  });
  const expiresAt = Math.min(now + lifetime.idleMs, absolute, start.tokenExpiresAt ?? Number.POSITIVE_INFINITY);
  return { secret, sessionId, identity: start.identity, method: start.method, expiresAt };
}

/**
 * Exchanges an API token for a session. Invariant: only a token that authenticates as a bearer would (valid,
 * unexpired, unrevoked, its identity enabled and in the policy) starts one, and the session keeps its id and
 * minter. Failures are `unauthenticated`, exactly as for a bad bearer token.
 */
export async function signInWithToken(context: SignInContext & { readonly token: string }): Promise<StartedSession> {
  const verified = await verifyToken({ app: context.app, token: context.token });
  const outcome = await inTransaction(context.app, (scope) =>
    startSessionIn(scope, context, {
      identity: verified.identity,
      method: 'api_token',
      tokenId: verified.tokenId,
      mintedBy: verified.mintedBy,
      tokenExpiresAt: verified.expiresAt,
    }),
  );
  return outcome.value;
}

/** Starts a session for an identity the HTTP layer mapped from a verified OIDC ID token. */
export async function startOidcSession(
  context: SignInContext & { readonly identity: string },
): Promise<StartedSession> {
  const outcome = await inTransaction(context.app, (scope) =>
    startSessionIn(scope, context, { identity: context.identity, method: 'oidc' }),
  );
  return outcome.value;
}

/**
 * The session a cookie's secret names. Invariant: only a session that `judgeSession` finds standing at this
 * instant authenticates; anything else is `unauthenticated` (an unknown secret says nothing more).
 */
export async function authenticateSession({
  app,
  secret,
  lifetime = DEFAULT_SESSION_LIFETIME,
  personActive = true,
}: {
  readonly app: AppContext;
  readonly secret: string;
  readonly lifetime?: SessionLifetime;
  /** Whether the request shows a person at work (`judgeSession`); background polls do not slide the idle end. */
  readonly personActive?: boolean;
}): Promise<AuthenticatedSession> {
  if (!looksLikeSecret(secret)) throw new AppError('unauthenticated', 'the session is not valid; sign in again');
  const found = await findSessionBySecretHash(app.database.db, hashSecret(secret));
  if (found === undefined) throw new AppError('unauthenticated', 'the session is not valid; sign in again');
  const now = app.clock.now();
  const verdict = judgeSession(stateOf(app, found), lifetime, now, personActive);
  if (!verdict.valid) throw new AppError('unauthenticated', describeSessionRefusal(verdict.refusal));
  const { session } = found;
  if (verdict.touch) await touchSession(app.database.db, session.id, now);
  return {
    sessionId: session.id,
    identity: session.identity,
    method: session.method,
    ...(session.token_id !== null ? { tokenId: session.token_id } : {}),
    ...(session.minted_by !== null ? { mintedBy: session.minted_by } : {}),
    expiresAt: verdict.expiresAt,
  };
}

function stateOf(app: AppContext, found: SessionWithState) {
  const { session } = found;
  return {
    createdAt: session.created_at,
    lastSeenAt: session.last_seen_at,
    expiresAt: session.expires_at,
    endedAt: session.ended_at,
    ...(found.token !== undefined ? { token: found.token } : {}),
    // An identity removed from the policy keeps its row (history) but signs in no more.
    identityUsable:
      found.identityKnown && !found.identityDisabled && identityStands(app, session.identity, found.identitySource),
  };
}

/** The actor's sessions that still stand, newest first; `current` marks the one making the request. */
export async function listSessions({
  app,
  actor,
  input,
}: VerbCall<{ readonly currentSessionId?: string; readonly lifetime?: SessionLifetime }>): Promise<OpenSessionView[]> {
  const now = app.clock.now();
  const lifetime = input.lifetime ?? DEFAULT_SESSION_LIFETIME;
  const found = await openSessionsOf(app.database.db, actor);
  const views: OpenSessionView[] = [];
  for (const entry of found) {
    const verdict = judgeSession(stateOf(app, entry), lifetime, now);
    if (!verdict.valid) continue;
    views.push({
      id: entry.session.id,
      method: entry.session.method,
      createdAt: iso(entry.session.created_at),
      lastSeenAt: iso(entry.session.last_seen_at),
      expiresAt: iso(verdict.expiresAt),
      current: entry.session.id === input.currentSessionId,
    });
  }
  return views;
}

export type SessionEndReason = 'signed_out' | 'revoked';

/**
 * Ends one of the actor's sessions (`signed_out` for the session signing out, `revoked` for another one). A
 * session of someone else, or one already ended, is `not_found`, so session ids cannot be probed. Audited as
 * `session.ended` with the reason.
 */
export async function endSession({
  app,
  actor,
  input,
}: VerbCall<{ readonly id: string; readonly reason: SessionEndReason }>): Promise<void> {
  await inTransaction(app, async ({ trx, now, audit }) => {
    const ended = await endSessionRow(trx, input.id, actor, now, input.reason);
    if (!ended) throw new AppError('not_found', `session '${input.id}' does not exist`);
    audit({
      actor,
      action: 'session.ended',
      subject: `identity:${actor}`,
      details: { sessionId: input.id, identity: actor, reason: input.reason },
    });
  });
}
