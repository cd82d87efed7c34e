/**
 * Manual provisioning (SPEC §2.11): an approved request on a `manual` profile that its requester activated waits
 * for a human provisioner to confirm; `provisioning_requested_at` says since when (null for every other request).
 */
import type { Kysely } from 'kysely';
import { EPOCH_MS, type StoreMigration } from './migration.js';

async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('requests').addColumn('provisioning_requested_at', EPOCH_MS).execute();
}

export const manualProvisioning: StoreMigration = { name: '0005-manual-provisioning', up };
