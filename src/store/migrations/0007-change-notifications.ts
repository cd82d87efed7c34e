/**
 * Change notifications between replicas (SPEC §5): on PostgreSQL, committing a policy load or a change to grants
 * sends `NOTIFY countersign_changes` with the payload `policy` or `grants`, from triggers so that every write
 * path notifies and verbs pay no extra round trip. PostgreSQL delivers a notification only when its transaction
 * commits, and once per distinct payload per transaction. SQLite has one server process, so nothing is needed.
 */
import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../database-url.js';
import type { StoreMigration } from './migration.js';

export const CHANGES_CHANNEL = 'countersign_changes';

async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  if (dialect !== 'postgres') return;
  await sql`create function countersign_notify_change() returns trigger language plpgsql as $$
    begin
      perform pg_notify(${sql.lit(CHANGES_CHANNEL)}, tg_argv[0]);
      return null;
    end $$`.execute(db);
  await sql`create trigger policy_loads_notify after insert on policy_loads
    for each statement execute function countersign_notify_change('policy')`.execute(db);
  await sql`create trigger grants_notify after insert or update or delete on grants
    for each statement execute function countersign_notify_change('grants')`.execute(db);
}

export const changeNotifications: StoreMigration = { name: '0007-change-notifications', up };
