/**
 * The shapes of API tokens outside the application: a token as lists show it (`Token`: never the secret or its
 * hash), and a new token with its secret, answered once (`IssuedToken`). `/v1/tokens` answers them and
 * `countersign token` prints them; times are ISO 8601.
 */
import { z } from 'zod';
import { isoTime, text } from '../../app/view-fields.js';

export const issuedTokenViewSchema = z
  .object({
    id: text(100),
    /** The secret: returned here once and never again. */
    token: text(100),
    prefix: text(20),
    identity: text(200),
    expiresAt: isoTime,
  })
  .meta({ id: 'IssuedToken' });

export type IssuedTokenView = z.infer<typeof issuedTokenViewSchema>;

export const tokenViewSchema = z
  .object({
    id: text(100),
    identity: text(200),
    prefix: text(20),
    description: text(200).nullable(),
    createdAt: isoTime,
    createdBy: text(200),
    expiresAt: isoTime,
    revokedAt: isoTime.nullable(),
    lastUsedAt: isoTime.nullable(),
  })
  .meta({ id: 'Token' });

export type TokenView = z.infer<typeof tokenViewSchema>;

/** What revoking a token answers: which one, and when. */
export const revokedTokenViewSchema = z.object({ id: text(100), revokedAt: isoTime }).meta({ id: 'RevokedToken' });

export type RevokedTokenView = z.infer<typeof revokedTokenViewSchema>;
