/**
 * Resources in the database: the one module that writes the `resources` table, with the one upsert shared by a
 * policy load (the files' resources) and the API (`resource-put.verb.ts`). Rows are read back through the one
 * row mapper, `store/resource-row.ts`.
 */
import type { Transaction } from 'kysely';
import type { Resource } from '../../policy/model.js';
import { toJsonText } from '../../store/columns.js';
import type { ResourcesTable, Schema } from '../../store/schema.js';

/**
 * Writes `resource` as live, from `source`: inserted when new, otherwise updated in place. A removed resource's
 * row is reused (`removed_at` cleared), so its observations and drift findings stay attached to the name.
 */
export async function upsertResource(
  trx: Transaction<Schema>,
  resource: Resource,
  source: ResourcesTable['source'],
  now: number,
): Promise<void> {
  const values = {
    profile: resource.profile,
    labels: toJsonText(resource.labels),
    owner: resource.owner ? `${resource.owner.type}:${resource.owner.name}` : null,
    connection: toJsonText(resource.connection),
    attributes: toJsonText(resource.attributes),
    source,
    updated_at: now,
    removed_at: null,
  };
  await trx
    .insertInto('resources')
    .values({ name: resource.name, ...values, created_at: now })
    .onConflict((conflict) => conflict.column('name').doUpdateSet(values))
    .execute();
}

/** Marks resources as removed (kept, so their history stays attached to the name; an upsert revives them). */
export async function markResourcesRemoved(
  trx: Transaction<Schema>,
  names: readonly string[],
  now: number,
): Promise<void> {
  if (names.length === 0) return;
  await trx.updateTable('resources').set({ removed_at: now, updated_at: now }).where('name', 'in', names).execute();
}
