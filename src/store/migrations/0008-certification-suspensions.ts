/**
 * Certification revokes of policy-file assignments (SPEC §2.9: a revoke is enforced at once). The YAML policy
 * stays the source of truth, so such an assignment cannot simply be deleted: its row is ended and marked with
 * the certification item that revoked it, verbs leave it out of every snapshot, and policy reloads keep it out
 * for as long as the files still name it. The mark is cleared once a load no longer names the assignment, so a
 * later reviewed change may grant it again.
 */
import type { Kysely } from 'kysely';
import type { StoreMigration } from './migration.js';

async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('role_assignments').addColumn('revoked_by_certification', 'text').execute();
}

export const certificationSuspensions: StoreMigration = { name: '0008-certification-suspensions', up };
