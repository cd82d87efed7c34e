/**
 * Audit events by actor (issue 12): the console's Audit page filters by identity, which matches the events an
 * identity did (`actor`) as well as those about it (`subject`, already indexed). Without this index a search
 * for a rare actor reads the log from its start.
 */
import type { Kysely } from 'kysely';
import type { StoreMigration } from './migration.js';

async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('audit_events_actor_seq_idx').on('audit_events').columns(['actor', 'seq']).execute();
}

export const auditActorIndex: StoreMigration = { name: '0019-audit-actor-index', up };
