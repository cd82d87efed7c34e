/**
 * SCIM client credentials (issue 13): issued by an operator with direct database access (`countersign scim token
 * issue`, like `token issue`), stored only as SHA-256, always expiring, revocable, audited (`scim_token.issue`,
 * `scim_token.revoke`) with the token's id and prefix, never the token. A SCIM token authenticates the SCIM
 * endpoint only, as the client `scim:<name>`; it is no identity and holds no duty, so it grants nothing in `/v1`.
 */
import { z } from 'zod';
import type { AppContext, VerbCall } from '../../app/context.js';
import { inTransaction } from '../../app/transaction.js';
import { parseInput } from '../../app/verb-support.js';
import { iso } from '../../app/view-fields.js';
import { newId } from '../../core/clock.js';
import { parseDurationSeconds } from '../../core/duration.js';
import { AppError } from '../../core/errors.js';
import { nameSchema } from '../../policy/schema-primitives.js';
import { generateScimToken, hashScimToken, looksLikeScimToken, scimActor } from './scim-token.js';

/** A SCIM client is configured once and runs for months; still, its token expires (default 90 days, at most 1 year). */
export const DEFAULT_SCIM_TOKEN_TTL = '90d';
const MAX_SCIM_TOKEN_TTL_SECONDS = 366 * 86_400;
const LAST_USED_RESOLUTION_MS = 60_000;

const issueInput = z.object({
  client: nameSchema,
  ttl: z.string().min(2).max(20).optional(),
  description: z.string().max(200).optional(),
});
export type IssueScimTokenInput = z.input<typeof issueInput>;

export interface IssuedScimToken {
  readonly id: string;
  readonly client: string;
  readonly token: string;
  readonly prefix: string;
  readonly expiresAt: string;
}

export interface ScimTokenSummary {
  readonly id: string;
  readonly client: string;
  readonly prefix: string;
  readonly description: string | null;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly expiresAt: string;
  readonly revokedAt: string | null;
  readonly lastUsedAt: string | null;
}

/** Mints a SCIM client token. Invariant: it expires, only its hash is stored, the audit event names no secret. */
export async function issueScimToken({ app, actor, input }: VerbCall<IssueScimTokenInput>): Promise<IssuedScimToken> {
  const { client, ttl, description } = parseInput(issueInput, input);
  const ttlText = ttl ?? DEFAULT_SCIM_TOKEN_TTL;
  const ttlSeconds = parseDurationSeconds(ttlText);
  if (ttlSeconds === undefined || ttlSeconds <= 0 || ttlSeconds > MAX_SCIM_TOKEN_TTL_SECONDS) {
    throw new AppError('invalid', `'${ttlText}' is not a duration of at most 366d (e.g. 90d)`);
  }
  const outcome = await inTransaction(app, async ({ trx, now, audit }) => {
    const minted = generateScimToken();
    const id = newId('stk');
    const expiresAt = now + ttlSeconds * 1000;
    await trx
      .insertInto('scim_tokens')
      .values({
        id,
        client,
        hash: minted.hash,
        prefix: minted.prefix,
        description: description ?? null,
        expires_at: expiresAt,
        created_at: now,
        created_by: actor,
        revoked_at: null,
        revoked_by: null,
        last_used_at: null,
      })
      .execute();
    audit({
      actor,
      action: 'scim_token.issue',
      subject: scimActor(client),
      details: { tokenId: id, prefix: minted.prefix, client, expiresAt, ttlSeconds },
    });
    return { id, client, token: minted.token, prefix: minted.prefix, expiresAt: iso(expiresAt) };
  });
  return outcome.value;
}

/** Revokes a SCIM token by id; the client is refused from its next call on. */
export async function revokeScimToken({
  app,
  actor,
  input,
}: VerbCall<{ readonly id: string }>): Promise<ScimTokenSummary> {
  const { id } = parseInput(z.object({ id: z.string().min(1).max(100) }), input);
  const outcome = await inTransaction(app, async ({ trx, now, audit }) => {
    const row = await trx.selectFrom('scim_tokens').selectAll().where('id', '=', id).executeTakeFirst();
    if (row === undefined) throw new AppError('not_found', `SCIM token '${id}' does not exist`);
    if (row.revoked_at !== null) throw new AppError('conflict', `SCIM token '${id}' is already revoked`);
    await trx.updateTable('scim_tokens').set({ revoked_at: now, revoked_by: actor }).where('id', '=', id).execute();
    audit({
      actor,
      action: 'scim_token.revoke',
      subject: scimActor(row.client),
      details: { tokenId: id, prefix: row.prefix, client: row.client },
    });
    return summaryOf({ ...row, revoked_at: now });
  });
  return outcome.value;
}

/** Every SCIM token, newest first (metadata only). */
export async function listScimTokens(app: AppContext): Promise<ScimTokenSummary[]> {
  const rows = await app.database.db
    .selectFrom('scim_tokens')
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(500)
    .execute();
  return rows.map(summaryOf);
}

/** The SCIM client a bearer token authenticates; `unauthenticated` for anything else. */
export async function verifyScimToken(app: AppContext, token: string): Promise<{ client: string; tokenId: string }> {
  const refused = new AppError('unauthenticated', 'the SCIM token is not valid');
  if (!looksLikeScimToken(token)) throw refused;
  const row = await app.database.db
    .selectFrom('scim_tokens')
    .select(['id', 'client', 'expires_at', 'revoked_at', 'last_used_at'])
    .where('hash', '=', hashScimToken(token))
    .executeTakeFirst();
  if (row === undefined || row.revoked_at !== null) throw refused;
  const now = app.clock.now();
  if (Number(row.expires_at) <= now) throw new AppError('unauthenticated', 'the SCIM token has expired');
  if (row.last_used_at === null || Number(row.last_used_at) + LAST_USED_RESOLUTION_MS <= now) {
    await app.database.db.updateTable('scim_tokens').set({ last_used_at: now }).where('id', '=', row.id).execute();
  }
  return { client: row.client, tokenId: row.id };
}

function summaryOf(row: {
  id: string;
  client: string;
  prefix: string;
  description: string | null;
  created_at: number;
  created_by: string;
  expires_at: number;
  revoked_at: number | null;
  last_used_at: number | null;
}): ScimTokenSummary {
  return {
    id: row.id,
    client: row.client,
    prefix: row.prefix,
    description: row.description,
    createdAt: iso(Number(row.created_at)),
    createdBy: row.created_by,
    expiresAt: iso(Number(row.expires_at)),
    revokedAt: row.revoked_at === null ? null : iso(Number(row.revoked_at)),
    lastUsedAt: row.last_used_at === null ? null : iso(Number(row.last_used_at)),
  };
}
