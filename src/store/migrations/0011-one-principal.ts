/**
 * One principal, however many identities (SPEC §2.4): `request_principals` records, for each identity that acted
 * in a request's lifecycle, the humans who counted as one principal with it when it acted — its owner then and the
 * human who minted the token it acted with — so that later SoD checks compare against what was true at act time.
 * `api_tokens.origin_at` is when the chain of tokens a human minted from one another began (the sign-in that
 * started it), so that a token cannot mint a longer-lived successor of itself forever.
 */
import type { Kysely } from 'kysely';
import { EPOCH_MS, type StoreMigration } from './migration.js';

async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('request_principals')
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('identity', 'text', (c) => c.notNull())
    .addColumn('member', 'text', (c) => c.notNull())
    .addColumn('link', 'text', (c) => c.notNull())
    .addColumn('created_at', EPOCH_MS, (c) => c.notNull())
    .addPrimaryKeyConstraint('request_principals_pk', ['request_id', 'identity', 'member'])
    .execute();
  await db.schema.alterTable('api_tokens').addColumn('origin_at', EPOCH_MS).execute();
}

export const onePrincipal: StoreMigration = { name: '0011-one-principal', up };
