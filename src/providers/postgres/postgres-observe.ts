/**
 * What `observe` reports about a PostgreSQL server: the settings and role facts baselines check, read from
 * `pg_settings` and `pg_roles` only (read-only, no superuser needed). Keys are stable; baselines name them as
 * `resource.config.<key>`:
 * - `ssl`, `password_encryption`, `log_connections`, `log_disconnections`, `log_statement`, `server_version`:
 *   the setting's text exactly as `SHOW` prints it (`"on"`, `"scram-sha-256"`, …);
 * - `server_version_num`: a number (150020 for 15.20);
 * - `superusers`, `createrole_roles`, `bypassrls_roles`: names of roles with that attribute, sorted;
 * - `roles_without_password_expiry`: login roles with no `VALID UNTIL`, sorted;
 * each list holds at most {@link MAX_LISTED_ROLES} names, and `<key>_count` gives the full number.
 */
import type pg from 'pg';

export const OBSERVED_SETTINGS = [
  'ssl',
  'password_encryption',
  'log_connections',
  'log_disconnections',
  'log_statement',
  'server_version',
  'server_version_num',
] as const;

export const MAX_LISTED_ROLES = 100;

const ROLE_FACTS: Readonly<Record<string, string>> = {
  superusers: 'rolsuper',
  createrole_roles: 'rolcreaterole',
  bypassrls_roles: 'rolbypassrls',
  roles_without_password_expiry: 'rolcanlogin and rolvaliduntil is null',
};

/** Reads the observed settings and role facts in one read-only transaction. */
export async function observeServer(client: pg.ClientBase): Promise<Record<string, unknown>> {
  const config: Record<string, unknown> = {};
  await client.query('begin transaction read only');
  try {
    const settings = await client.query<{ name: string; setting: string }>(
      'select name, current_setting(name) as setting from pg_settings where name = any($1::text[])',
      [OBSERVED_SETTINGS],
    );
    for (const { name, setting } of settings.rows) {
      config[name] = name === 'server_version_num' ? Number(setting) : setting;
    }
    for (const [key, condition] of Object.entries(ROLE_FACTS)) {
      // `condition` is one of the constant fragments above, never input.
      const found = await client.query<{ names: string[]; total: number }>(
        `select coalesce((array_agg(rolname::text order by rolname))[1:${MAX_LISTED_ROLES}], '{}') as names,
                count(*)::int as total
           from pg_roles where ${condition} and rolname !~ '^pg_'`,
      );
      config[key] = found.rows[0]?.names ?? [];
      config[`${key}_count`] = found.rows[0]?.total ?? 0;
    }
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  }
  return config;
}
