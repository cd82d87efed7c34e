/**
 * Fixtures for the PostgreSQL provider tests, which run against a real server: a scratch database
 * `countersign_pgprov_<random>` with target roles `pgprov_<random>_reader` / `_writer` and two tables (one the
 * reader may read, one it may not), a resource whose DSN comes from a per-suite environment map, and cleanup
 * that revokes every managed role of the suite's resource, drops the database, then the target roles.
 *
 * The server is found at `COUNTERSIGN_TEST_PG_URL` (default `postgres://postgres@127.0.0.1:5432/postgres`).
 * When none answers, the suites are skipped with a message on the console, except under `CI=true`, where they
 * fail (the pattern of test/store/dialects.ts).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { ActionDefinition, Resource, ResourceProfile } from '../../src/policy/model.js';
import { removeDdlGuard } from '../../src/providers/postgres/postgres-guard.js';
import { PostgresProvider } from '../../src/providers/postgres/postgres-provider.js';
import type { ProviderCall } from '../../src/providers/provider.js';
import { makeAction, makeProfile, makeResource } from '../factories/profile.factory.js';
import { ADMIN_URL, POSTGRES_AVAILABLE } from '../store/dialects.js';

export { ADMIN_URL };
const IN_CI = process.env.CI === 'true';

/** Runs `text` on a fresh admin connection to `database` (default: the maintenance database). */
export async function adminQuery<R extends pg.QueryResultRow = pg.QueryResultRow>(
  text: string,
  values: unknown[] = [],
  database?: string,
): Promise<R[]> {
  const client = new pg.Client({ connectionString: urlOf(database) });
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}

export function urlOf(database?: string): string {
  if (database === undefined) return ADMIN_URL;
  const url = new URL(ADMIN_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

export interface PostgresSuite {
  readonly database: string;
  /** Prefix of every role this suite creates itself. */
  readonly prefix: string;
  readonly reader: string;
  readonly writer: string;
  readonly dsnEnv: string;
  readonly env: Record<string, string | undefined>;
  /** The installation id the suite's provider marks its roles with. */
  readonly installationId: string;
  readonly resource: Resource;
  readonly provider: PostgresProvider;
  /** A profile with a `read` grant action (reader), an `rw` grant action (writer) and a `run-sql` execute action. */
  profile(options?: { execute?: Record<string, unknown>; grantRole?: string }): ResourceProfile;
  call(profile: ResourceProfile, action: string, params?: Record<string, unknown>, expiresAt?: number): ProviderCall;
}

function makeSuite(): PostgresSuite {
  const tag = randomBytes(5).toString('hex');
  const prefix = `pgprov_${tag}_`;
  const database = `countersign_pgprov_${tag}`;
  const dsnEnv = `PGPROV_${tag.toUpperCase()}_DSN`;
  const env: Record<string, string | undefined> = { [dsnEnv]: urlOf(database) };
  const resource = makeResource({ name: `pgprov-${tag}`, connection: { dsnEnv }, attributes: {} });
  const reader = `${prefix}reader`;
  const writer = `${prefix}writer`;
  const installationId = `i${tag}`;
  let requests = 0;
  return {
    database,
    prefix,
    reader,
    writer,
    dsnEnv,
    env,
    installationId,
    resource,
    provider: new PostgresProvider({ env, installationId }),
    profile(options = {}) {
      const actions: ActionDefinition[] = [
        makeAction({ name: 'read', grant: { role: options.grantRole ?? reader } }),
        makeAction({ name: 'rw', grant: { role: writer } }),
        makeAction({ name: 'run-sql', grant: undefined, execute: { role: writer, ...options.execute } }),
      ];
      return makeProfile({ name: 'pg-test', provider: { type: 'postgres', settings: {} }, actions });
    },
    call(profile, actionName, params = {}, expiresAt = Date.now() + 3600_000) {
      const action = profile.actions.get(actionName);
      if (action === undefined) throw new Error(`fixture profile has no action '${actionName}'`);
      requests += 1;
      return { requestId: `req_${tag}${requests}`, identity: 'alice', resource, profile, action, params, expiresAt };
    },
  };
}

async function setUp(suite: PostgresSuite): Promise<void> {
  await adminQuery(`create database ${suite.database}`);
  await adminQuery(`create role ${suite.reader} nologin; create role ${suite.writer} nologin`);
  await adminQuery(
    `create table public_data (id int primary key, label text);
     insert into public_data values (1, 'first'), (2, 'second');
     create table secret_data (id int primary key, secret text);
     insert into secret_data values (1, 'hidden');
     create table notes (id serial primary key, body text);
     grant usage on schema public to ${suite.reader}, ${suite.writer};
     grant create on schema public to ${suite.writer};
     grant select on public_data to ${suite.reader}, ${suite.writer};
     grant select, insert on notes to ${suite.writer};
     grant usage on sequence notes_id_seq to ${suite.writer};`,
    [],
    suite.database,
  );
}

async function tearDown(suite: PostgresSuite): Promise<void> {
  const profile = suite.profile();
  for (const managed of await suite.provider.listManaged(suite.resource, profile).catch(() => [])) {
    await suite.provider.revoke(managed.handle, suite.resource, profile).catch(() => undefined);
  }
  await suite.provider.close();
  await adminQuery(`drop database if exists ${suite.database} with (force)`);
  // Guards of this suite's installations, so that test runs do not pile event triggers up on a shared server.
  for (const installationId of [suite.installationId, `o${suite.installationId}`]) {
    await removeDdlGuard(ADMIN_URL, installationId);
  }
  const leftovers = await adminQuery<{ rolname: string }>(
    `select rolname from pg_roles where starts_with(rolname, $1) order by rolname desc`,
    [suite.prefix],
  );
  for (const { rolname } of leftovers) await adminQuery(`drop role if exists ${pg.escapeIdentifier(rolname)}`);
}

/** Declares `fn`'s tests against a fresh scratch database, or skips (fails under CI) without a server. */
export function describePostgres(name: string, fn: (suite: PostgresSuite) => void): void {
  if (!POSTGRES_AVAILABLE) {
    if (IN_CI) {
      describe(name, () => {
        it('has a PostgreSQL server to run against', () => {
          throw new Error(`PostgreSQL does not answer at ${new URL(ADMIN_URL).host}; CI requires it (CI=true)`);
        });
      });
      return;
    }
    console.warn(`\n⚠ PostgreSQL does not answer at ${new URL(ADMIN_URL).host}: skipping '${name}'.\n`);
    describe.skip(name, () => fn(makeSuite()));
    return;
  }
  describe(name, () => {
    const suite = makeSuite();
    beforeAll(() => setUp(suite));
    afterAll(() => tearDown(suite));
    fn(suite);
  });
}

/** A client logged in with a credential the provider returned. */
export async function loginWith(credential: Readonly<Record<string, string>> | undefined): Promise<pg.Client> {
  if (credential === undefined) throw new Error('the grant returned no credential');
  const client = new pg.Client({
    host: credential.host,
    port: Number(credential.port),
    database: credential.database,
    user: credential.username,
    password: credential.password,
  });
  await client.connect();
  return client;
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(outcome instanceof Error)) throw new Error('expected the promise to reject');
  return outcome;
}

export async function roleExists(role: string): Promise<boolean> {
  return (await adminQuery('select 1 from pg_roles where rolname = $1', [role])).length === 1;
}
