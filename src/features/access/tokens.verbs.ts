/**
 * API token verbs (SPEC §2.1): mint, verify, list and revoke. A token is shown once, stored only as its
 * SHA-256, and always expires; minting and revoking are audited (`token.issue`, `token.revoke`) with the
 * token's id and visible prefix, never the token. Who may mint or revoke what, and how long a token minted with
 * another one may last, is `token.decide.ts`'s call; `origin_at` carries the start of a human's chain of tokens.
 */
import { refusalOf } from '../../core/decision.js';
import type { Transaction } from 'kysely';
import { z } from 'zod';
import { generateToken, hashToken, looksLikeApiToken } from './api-token.js';
import { parseDurationSeconds } from '../../core/duration.js';
import { AppError } from '../../core/errors.js';
import {
  DEFAULT_TOKEN_LIMITS,
  decideTokenIssue,
  decideTokenRevoke,
  type MintingChain,
  type TokenDecision,
  type TokenLimits,
} from '../../decide/token.decide.js';
import type { Schema } from '../../store/schema.js';
import { credentialInUse } from '../../app/credential-context.js';
import { newId } from '../../core/clock.js';
import type { AppContext, VerbCall } from '../../app/context.js';
import { parseInput } from '../../app/verb-support.js';
import { identityStands } from './identity-standing.js';
import { refuse } from '../../app/refuse.js';
import { inTransaction } from '../../app/transaction.js';
import type { IssuedTokenView, RevokedTokenView, TokenView } from './token.view.js';

/** Lifetime when none is asked for. */
export const DEFAULT_TOKEN_TTL_SECONDS = 3600;
/** `last_used_at` is written at most this often per token, to keep verification off the write path. */
const LAST_USED_RESOLUTION_MS = 60_000;

const issueInput = z.object({
  identity: z.string().min(1).max(200),
  /** A duration such as `1h` or `30d`. */
  ttl: z.string().min(2).max(20).optional(),
  description: z.string().max(200).optional(),
});
export type IssueTokenInput = z.input<typeof issueInput>;

export interface VerifiedToken {
  readonly identity: string;
  readonly tokenId: string;
  readonly expiresAt: number;
  /** Who minted the token (`api_tokens.created_by`): one principal with the identity when it acts with it. */
  readonly mintedBy: string;
  /** When the chain of human tokens it descends from began (its own creation for older tokens). */
  readonly originAt: number;
}

/**
 * Mints a token for `input.identity`. Invariants: the decision allows it (see `decideTokenIssue`), the token
 * expires, only its hash is stored, and the `token.issue` event names the token id and prefix only. Refusals
 * are recorded as `token.issue_refused`.
 */
export async function issueToken({
  app,
  actor,
  input,
  limits = DEFAULT_TOKEN_LIMITS,
}: VerbCall<IssueTokenInput> & { readonly limits?: TokenLimits }): Promise<IssuedTokenView> {
  const { identity, ttl, description } = parseInput(issueInput, input);
  const ttlSeconds = ttl === undefined ? DEFAULT_TOKEN_TTL_SECONDS : parseDurationSeconds(ttl);
  if (ttlSeconds === undefined) throw new AppError('invalid', `'${ttl}' is not a duration such as 30m, 8h or 30d`);
  const subject = `identity:${identity}`;
  type Outcome = { readonly refused: TokenDecision } | { readonly issued: IssuedTokenView };
  const outcome = await inTransaction(app, async ({ trx, now, audit }): Promise<Outcome> => {
    const snapshot = await app.policy.snapshot(trx, now);
    const chain = await mintingChain(trx, actor, now);
    const decision = decideTokenIssue(snapshot.duties, actor, identity, ttlSeconds, limits, chain);
    if (!decision.allowed) return { refused: decision };
    const minted = generateToken();
    const id = newId('tok');
    const expiresAt = now + ttlSeconds * 1000;
    await trx
      .insertInto('api_tokens')
      .values({
        id,
        identity,
        hash: minted.hash,
        prefix: minted.prefix,
        description: description ?? null,
        expires_at: expiresAt,
        created_at: now,
        created_by: actor,
        revoked_at: null,
        last_used_at: null,
        origin_at: identity === actor && chain !== undefined ? chain.originAt : now,
      })
      .execute();
    audit({
      actor,
      action: 'token.issue',
      subject,
      details: {
        tokenId: id,
        prefix: minted.prefix,
        identity,
        expiresAt,
        ttlSeconds,
        description: description ?? null,
      },
    });
    return { issued: { id, token: minted.token, prefix: minted.prefix, identity, expiresAt: iso(expiresAt) } };
  });
  const value = outcome.value;
  if ('refused' in value) {
    const { refusal, reasons } = value.refused;
    throw await refuse(app, {
      actor,
      action: 'token.issue_refused',
      subject,
      refusal: refusal === undefined ? refusalOf(reasons) : { kind: refusal, reasons },
      otherwise: `'${actor}' may not mint a token for '${identity}'`,
      details: { identity, ttlSeconds },
    });
  }
  return value.issued;
}

/**
 * When the chain of the API token `actor` mints with began, if it mints with one: the token's `origin_at`
 * (its creation for tokens minted before chains were recorded). An OIDC sign-in or the operator starts a chain.
 */
async function mintingChain(trx: Transaction<Schema>, actor: string, now: number): Promise<MintingChain | undefined> {
  const credential = credentialInUse();
  if (credential?.identity !== actor || credential.tokenId === undefined) return undefined;
  const row = await trx
    .selectFrom('api_tokens')
    .select(['origin_at', 'created_at'])
    .where('id', '=', credential.tokenId)
    .executeTakeFirst();
  if (row === undefined) throw new AppError('unauthenticated', 'the API token is not valid');
  return { originAt: Number(row.origin_at ?? row.created_at), now };
}

/**
 * The identity a token authenticates. Invariant: an unknown, expired or revoked token, or one whose identity
 * is disabled or gone, authenticates nobody (`unauthenticated`).
 */
export async function verifyToken({ app, token }: { app: AppContext; token: string }): Promise<VerifiedToken> {
  if (!looksLikeApiToken(token)) throw new AppError('unauthenticated', 'the API token is not valid');
  const now = app.clock.now();
  const row = await app.database.db
    .selectFrom('api_tokens')
    .innerJoin('identities', 'identities.name', 'api_tokens.identity')
    .select([
      'api_tokens.id as id',
      'api_tokens.identity as identity',
      'api_tokens.expires_at as expiresAt',
      'api_tokens.revoked_at as revokedAt',
      'api_tokens.last_used_at as lastUsedAt',
      'api_tokens.created_by as createdBy',
      'api_tokens.created_at as createdAt',
      'api_tokens.origin_at as originAt',
      'identities.disabled_at as disabledAt',
      'identities.source as identitySource',
    ])
    .where('api_tokens.hash', '=', hashToken(token))
    .executeTakeFirst();
  // An identity removed from the policy keeps its row (history) but authenticates no more.
  if (
    !row ||
    row.revokedAt !== null ||
    row.disabledAt !== null ||
    !identityStands(app, row.identity, row.identitySource)
  ) {
    throw new AppError('unauthenticated', 'the API token is not valid');
  }
  const expiresAt = Number(row.expiresAt);
  if (expiresAt <= now) throw new AppError('unauthenticated', 'the API token has expired');
  if (row.lastUsedAt === null || Number(row.lastUsedAt) + LAST_USED_RESOLUTION_MS <= now) {
    await app.database.db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', row.id).execute();
  }
  const originAt = Number(row.originAt ?? row.createdAt);
  return { identity: row.identity, tokenId: row.id, expiresAt, mintedBy: row.createdBy, originAt };
}

const listInput = z.object({ includeInactive: z.boolean().optional() });
export type ListTokensInput = z.input<typeof listInput>;

/** The actor's own tokens, metadata only (never hashes), newest first; active ones unless asked otherwise. */
export async function listTokens({ app, actor, input }: VerbCall<ListTokensInput>): Promise<TokenView[]> {
  const { includeInactive } = parseInput(listInput, input);
  const now = app.clock.now();
  let query = app.database.db
    .selectFrom('api_tokens')
    .select([
      'id',
      'identity',
      'prefix',
      'description',
      'created_at',
      'created_by',
      'expires_at',
      'revoked_at',
      'last_used_at',
    ])
    .where('identity', '=', actor);
  if (includeInactive !== true) query = query.where('revoked_at', 'is', null).where('expires_at', '>', now);
  const rows = await query.orderBy('created_at', 'desc').orderBy('id').limit(500).execute();
  return rows.map((row) => ({
    id: row.id,
    identity: row.identity,
    prefix: row.prefix,
    description: row.description,
    createdAt: iso(row.created_at),
    createdBy: row.created_by,
    expiresAt: iso(row.expires_at),
    revokedAt: row.revoked_at === null ? null : iso(row.revoked_at),
    lastUsedAt: row.last_used_at === null ? null : iso(row.last_used_at),
  }));
}

const revokeInput = z.object({ id: z.string().min(1).max(100) });
export type RevokeTokenInput = z.input<typeof revokeInput>;

/**
 * Revokes a token at once. Invariants: an identity revokes its own tokens, an NHI's owner the NHI's, an
 * `administer` holder anyone's
 * (see `decideTokenRevoke`); a token of someone else the actor may not touch is reported as `not_found`, so
 * token ids cannot be probed; revoking twice is a `conflict`. Audited as `token.revoke`.
 */
export async function revokeToken({ app, actor, input }: VerbCall<RevokeTokenInput>): Promise<RevokedTokenView> {
  const { id } = parseInput(revokeInput, input);
  const outcome = await inTransaction(app, async ({ trx, now, audit, announce }) => {
    const row = await trx
      .selectFrom('api_tokens')
      .select(['identity', 'prefix', 'revoked_at'])
      .where('id', '=', id)
      .executeTakeFirst();
    const snapshot = await app.policy.snapshot(trx, now);
    const decision = row ? decideTokenRevoke(snapshot.duties, actor, row.identity) : undefined;
    if (!row || !decision?.allowed) throw new AppError('not_found', `token '${id}' does not exist`);
    if (row.revoked_at !== null) throw new AppError('conflict', `token '${id}' is already revoked`);
    await trx.updateTable('api_tokens').set({ revoked_at: now }).where('id', '=', id).execute();
    announce({ kind: 'token_revoked', tokenId: id });
    audit({
      actor,
      action: 'token.revoke',
      subject: `identity:${row.identity}`,
      details: {
        tokenId: id,
        prefix: row.prefix,
        identity: row.identity,
        reasons: decision.reasons.map((r) => ({ ...r })),
      },
    });
    return { id, revokedAt: iso(now) };
  });
  return outcome.value;
}

function iso(epochMs: number | string): string {
  return new Date(Number(epochMs)).toISOString();
}
