/**
 * The shape of one migration. Migrations are plain code listed in `index.ts` (no directory scanning, so the
 * bundled CLI carries them); each receives the dialect for the rare statement that must differ.
 */
import type { Kysely } from 'kysely';
import type { DialectName } from '../database-url.js';

export interface StoreMigration {
  /** Sorts in apply order: `0001-initial`, `0002-…`. Never renamed once released. */
  readonly name: string;
  up(db: Kysely<unknown>, dialect: DialectName): Promise<void>;
}

/** Epoch milliseconds: bigint on PostgreSQL, INTEGER affinity (64-bit) on SQLite. */
export const EPOCH_MS = 'bigint';
