import { createHash, createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { expect, it } from 'vitest';
import { AppError } from '../../src/core/errors.js';
import { PostgresProvider } from '../../src/providers/postgres/postgres-provider.js';
import { scramVerifier } from '../../src/providers/postgres/postgres-sql.js';
import { adminQuery, describePostgres, loginWith, rejectionOf, roleExists } from './postgres-fixtures.js';

describePostgres('postgres provider: grant and revoke on a real server', (suite) => {
  it('the credential logs in, reads what the target role may read, and is refused the rest', async () => {
    const profile = suite.profile();
    const granted = await suite.provider.grant(suite.call(profile, 'read'));
    const client = await loginWith(granted.credential);
    try {
      const rows = await client.query('select label from public_data order by id');
      expect(rows.rows.map((row: { label: string }) => row.label)).toEqual(['first', 'second']);
      const refused = await rejectionOf(client.query('select * from secret_data'));
      expect(refused.message).toContain('permission denied');
      const who = await client.query<{ current_user: string; member: boolean }>(
        "select current_user, pg_has_role(current_user, $1, 'USAGE') as member",
        [suite.reader],
      );
      expect(who.rows[0]).toEqual({ current_user: granted.credential?.username, member: true });
    } finally {
      await client.end();
    }
    await suite.provider.revoke(granted.handle, suite.resource, profile);
  });

  it('the role is a plain login named cs_<installation>_…, VALID UNTIL the expiry, with a small connection limit and the mark', async () => {
    const profile = suite.profile();
    const expiresAt = Date.UTC(2031, 5, 1, 12, 30, 0);
    const granted = await suite.provider.grant(suite.call(profile, 'read', {}, expiresAt));
    const role = String(granted.handle.role);
    expect(granted.handle).toEqual({ role, resource: suite.resource.name });
    expect(role).toMatch(new RegExp(`^cs_${suite.installationId}_[a-z0-9]{1,12}_[0-9a-f]{10}$`));
    expect(granted.credential).toMatchObject({
      username: role,
      host: '127.0.0.1',
      port: '5432',
      database: suite.database,
    });
    expect(granted.expiresAt).toBe(expiresAt);
    const [facts] = await adminQuery<Record<string, unknown>>(
      `select rolcanlogin, rolinherit, rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls, rolconnlimit,
              rolvaliduntil, shobj_description(oid, 'pg_authid') as comment,
              (select rolpassword from pg_authid a where a.oid = r.oid) as stored
         from pg_roles r where rolname = $1`,
      [role],
    );
    expect(facts).toMatchObject({
      rolcanlogin: true,
      rolinherit: true,
      rolsuper: false,
      rolcreatedb: false,
      rolcreaterole: false,
      rolreplication: false,
      rolbypassrls: false,
      rolconnlimit: 3,
    });
    expect((facts?.rolvaliduntil as Date).getTime()).toBe(expiresAt);
    expect(String(facts?.comment)).toMatch(
      new RegExp(`^countersign:\\{"installation":"${suite.installationId}","request":"req_`),
    );
    // The server stores the verifier it was sent; the password itself never travelled.
    expect(String(facts?.stored)).toMatch(/^SCRAM-SHA-256\$4096:/);
    expect(String(facts?.stored)).not.toContain(granted.credential?.password);
    await suite.provider.revoke(granted.handle, suite.resource, profile);
  });

  it('revoke ends a session held open by the granted role, and the role is gone', async () => {
    const profile = suite.profile();
    const granted = await suite.provider.grant(suite.call(profile, 'read'));
    const held = await loginWith(granted.credential);
    const ended = new Promise<Error>((resolve) => held.on('error', resolve));
    await held.query('select 1');
    await suite.provider.revoke(granted.handle, suite.resource, profile);
    expect((await ended).message).toMatch(/terminat/i);
    expect(await rejectionOf(held.query('select 1'))).toBeInstanceOf(Error);
    expect(await roleExists(String(granted.handle.role))).toBe(false);
    await held.end().catch(() => undefined);
  });

  it('revoke drops a role that owns a table it created, and the table with it: nothing passes to the admin role', async () => {
    const profile = suite.profile();
    const granted = await suite.provider.grant(suite.call(profile, 'rw'));
    const client = await loginWith(granted.credential);
    await client.query('create table made_by_grant (id int)');
    await client.end();
    await suite.provider.revoke(granted.handle, suite.resource, profile);
    expect(await roleExists(String(granted.handle.role))).toBe(false);
    const left = await adminQuery("select 1 from pg_tables where tablename = 'made_by_grant'", [], suite.database);
    expect(left).toEqual([]);
  });

  it('revoking twice succeeds, and so does revoking a role that never existed', async () => {
    const profile = suite.profile();
    const granted = await suite.provider.grant(suite.call(profile, 'read'));
    await suite.provider.revoke(granted.handle, suite.resource, profile);
    await suite.provider.revoke(granted.handle, suite.resource, profile);
    await suite.provider.revoke(
      { role: 'cs_never_0000000000', resource: suite.resource.name },
      suite.resource,
      profile,
    );
  });

  it('revoke refuses to drop a role Countersign did not create', async () => {
    const profile = suite.profile();
    for (const role of ['postgres', suite.reader]) {
      const error = await rejectionOf(
        suite.provider.revoke({ role, resource: suite.resource.name }, suite.resource, profile),
      );
      expect(error.message).toContain(`role '${role}' was not created by Countersign`);
      expect(await roleExists(role)).toBe(true);
    }
  });

  it('a role made before installations had ids is revoked by its grant handle but never listed for reconciliation', async () => {
    const legacy = 'cs_legacy_0000000000';
    const mark = JSON.stringify({ request: 'req_legacy', resource: suite.resource.name, created: 1 });
    await adminQuery(
      `create role ${legacy} login in role ${suite.reader}; comment on role ${legacy} is ${pg.escapeLiteral(`countersign:${mark}`)}`,
    );
    const profile = suite.profile();
    const listed = await suite.provider.listManaged(suite.resource, profile);
    expect(listed.map((credential) => credential.handle.role)).not.toContain(legacy);
    await suite.provider.revoke({ role: legacy, resource: suite.resource.name }, suite.resource, profile);
    expect(await roleExists(legacy)).toBe(false);
  });

  it('a target role that does not exist, or is a superuser, is refused before anything is created', async () => {
    for (const [role, message] of [
      [`${suite.prefix}missing`, `role '${suite.prefix}missing' does not exist on the server`],
      ['postgres', "role 'postgres' is a superuser"],
    ] as const) {
      const error = await rejectionOf(suite.provider.grant(suite.call(suite.profile({ grantRole: role }), 'read')));
      expect(error).toBeInstanceOf(AppError);
      expect(error.message).toContain(message);
    }
    expect(await suite.provider.listManaged(suite.resource, suite.profile())).toEqual([]);
  });

  it('a hostile target role name is quoted: the grant joins exactly that role and nothing else happens', async () => {
    const hostile = `${suite.prefix}x"; drop role postgres; --`;
    await adminQuery(`create role ${pg.escapeIdentifier(hostile)} nologin`);
    const profile = suite.profile({ grantRole: hostile });
    const granted = await suite.provider.grant(suite.call(profile, 'read'));
    const memberships = await adminQuery<{ rolname: string }>(
      `select g.rolname from pg_auth_members m join pg_roles g on g.oid = m.roleid
         join pg_roles u on u.oid = m.member where u.rolname = $1`,
      [granted.handle.role],
    );
    expect(memberships).toEqual([{ rolname: hostile }]);
    expect(await roleExists('postgres')).toBe(true);
    await suite.provider.revoke(granted.handle, suite.resource, profile);
    expect(await roleExists(hostile)).toBe(true);
  });

  it('a hostile role name in a handle is quoted and refused as unknown or unmanaged, dropping nothing', async () => {
    const profile = suite.profile();
    await suite.provider.revoke(
      { role: 'x"; drop role postgres; --', resource: suite.resource.name },
      suite.resource,
      profile,
    );
    await suite.provider.revoke({ role: "o'hara\\", resource: suite.resource.name }, suite.resource, profile);
    expect(await roleExists('postgres')).toBe(true);
    expect(await roleExists(suite.reader)).toBe(true);
  });

  it('a missing DSN variable is a clear error that names the variable, not a DSN', async () => {
    const provider = new PostgresProvider({ env: {}, installationId: suite.installationId });
    const error = await rejectionOf(provider.grant(suite.call(suite.profile(), 'read')));
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('provider_failed');
    expect(error.message).toBe(`resource '${suite.resource.name}': environment variable ${suite.dsnEnv} is not set`);
    await provider.close();
  });

  it('a DSN read from a file works, and an unreadable one is reported without its content', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'countersign-pgprov-'));
    try {
      const dsnFile = join(directory, 'dsn');
      writeFileSync(dsnFile, `${suite.env[suite.dsnEnv]}\n`);
      const provider = new PostgresProvider({ env: {}, installationId: suite.installationId });
      const resource = { ...suite.resource, connection: { dsnFile } };
      expect((await provider.observe(resource, suite.profile())).ssl).toBeTypeOf('string');
      const missing = { ...suite.resource, connection: { dsnFile: join(directory, 'absent') } };
      const error = await rejectionOf(provider.observe(missing, suite.profile()));
      expect(error.message).toBe(
        `resource '${suite.resource.name}': cannot read DSN file ${join(directory, 'absent')} (ENOENT)`,
      );
      await provider.close();
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('a connection failure names the resource and the system error, never the DSN', async () => {
    const secretDsn = 'postgres://admin:hunter2-secret@127.0.0.1:1/nowhere';
    const provider = new PostgresProvider({ env: { [suite.dsnEnv]: secretDsn }, installationId: suite.installationId });
    const error = await rejectionOf(provider.observe(suite.resource, suite.profile()));
    expect(error.message).toBe(
      `resource '${suite.resource.name}': observing the server failed: cannot reach PostgreSQL (ECONNREFUSED)`,
    );
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain('hunter2');
    await provider.close();
  });
});

it('the SCRAM verifier sent for a granted role authenticates its password in pg’s own SCRAM client', async () => {
  const sasl = createRequire(import.meta.url)('pg/lib/crypto/sasl.js') as {
    startSession(mechanisms: string[]): { clientNonce: string; response: string };
    continueSession(session: object, password: string, serverData: string): Promise<void>;
    finalizeSession(session: object, serverData: string): void;
  };
  const password = 'a-random-password_123';
  const verifier = scramVerifier(password);
  const [, iterations, salt, storedKey, serverKey] =
    /^SCRAM-SHA-256\$(\d+):([^$]+)\$([^:]+):(.+)$/.exec(verifier) ?? [];
  const session = sasl.startSession(['SCRAM-SHA-256']) as { clientNonce: string; response: string };
  const clientFirstBare = session.response.slice('n,,'.length);
  const serverFirst = `r=${session.clientNonce}servernonce,s=${salt},i=${iterations}`;
  await sasl.continueSession(session, password, serverFirst);
  const clientFinal = session.response;
  const [withoutProof, proof] = clientFinal.split(',p=');
  const authMessage = `${clientFirstBare},${serverFirst},${withoutProof}`;
  // What the server does with the stored verifier: recover ClientKey from the proof and hash it.
  const signature = createHmac('sha256', Buffer.from(storedKey ?? '', 'base64'))
    .update(authMessage)
    .digest();
  const clientKey = Buffer.from(proof ?? '', 'base64').map((byte, index) => byte ^ (signature[index] ?? 0));
  expect(createHash('sha256').update(clientKey).digest('base64')).toBe(storedKey);
  const serverSignature = createHmac('sha256', Buffer.from(serverKey ?? '', 'base64'))
    .update(authMessage)
    .digest('base64');
  expect(() => sasl.finalizeSession(session, `v=${serverSignature}`)).not.toThrow();
});
