import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultKeysDir, generateAuditKeys } from '../../src/audit/store/audit-keys.js';
import { AuditLog } from '../../src/audit/store/audit-log.js';
import { systemClock } from '../../src/core/clock.js';
import type { AppContext } from '../../src/app/context.js';
import { StorePolicyRuntime } from '../../src/app/policy-runtime.js';
import { loadPolicy } from '../../src/features/governance/policy-sync.js';
import { verifyScimToken } from '../../src/features/directory/index.js';
import { parsePolicySources } from '../../src/policy/load.js';
import { SYSTEM_POLICY } from '../../src/policy/model.js';
import { readPolicyDirectory } from '../../src/policy/policy-files.js';
import { openDatabase, type Database } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { runCli } from './run-cli.js';
import { ChangeFeed } from '../../src/app/change-events.js';

/**
 * `countersign scim token issue|list|revoke` on a real database file: the operator bootstrap of a SCIM client.
 */
describe('countersign scim token', () => {
  let dir: string;
  let dbPath: string;
  let database: Database;
  let app: AppContext;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'countersign-scim-cli-'));
    dbPath = join(dir, 'countersign.db');
    database = await openDatabase(dbPath);
    const migrated = await migrateToLatest(database);
    if (migrated.error) throw migrated.error;
    const keys = await generateAuditKeys(defaultKeysDir(dbPath));
    const read = await readPolicyDirectory('examples/policy');
    const policy = parsePolicySources(read.sources).policy;
    if (!policy) throw new Error('the example policy does not load');
    app = {
      database,
      clock: systemClock,
      auditLog: new AuditLog(database.dialect, keys.hmacKey),
      policy: new StorePolicyRuntime(policy),
      providers: new Map(),
      changes: new ChangeFeed(),
    };
    await loadPolicy({
      app,
      actor: SYSTEM_POLICY,
      input: { policy, documents: [...read.sources], location: 'examples/policy' },
    });
    // The CLI opens the same SQLite file from another process: close ours while it runs.
    await database.close();
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('issue prints only a SCIM token, which the SCIM endpoint accepts; list shows it; revoke ends it', async () => {
    const run = await runCli(['scim', 'token', 'issue', '--db', dbPath, '--client', 'okta', '--ttl', '30d']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const token = run.stdout.trim();
    expect(token).toMatch(/^scim_[A-Za-z0-9_-]{43}$/);
    database = await openDatabase(dbPath);
    let id: string;
    try {
      expect(await verifyScimToken({ ...app, database }, token)).toMatchObject({ client: 'okta' });
      const events = await database.db
        .selectFrom('audit_events')
        .selectAll()
        .where('action', '=', 'scim_token.issue')
        .execute();
      expect(events.map((e) => [e.actor, e.subject])).toEqual([['system:operator', 'scim:okta']]);
      expect(JSON.stringify(events)).not.toContain(token);
      id = (await database.db.selectFrom('scim_tokens').select('id').executeTakeFirstOrThrow()).id;
    } finally {
      await database.close();
    }
    const listed = await runCli(['scim', 'token', 'list', '--db', dbPath, '--json']);
    expect(JSON.parse(listed.stdout)).toMatchObject({ tokens: [{ id, client: 'okta', revokedAt: null }] });
    expect(listed.stdout).not.toContain(token);
    const revoked = await runCli(['scim', 'token', 'revoke', '--db', dbPath, '--id', id]);
    expect(revoked.code).toBe(0);
    database = await openDatabase(dbPath);
    try {
      await expect(verifyScimToken({ ...app, database }, token)).rejects.toMatchObject({ code: 'unauthenticated' });
    } finally {
      await database.close();
    }
  });

  it('refuses a lifetime beyond a year and a client name that is no name, with a usage exit code', async () => {
    const long = await runCli(['scim', 'token', 'issue', '--db', dbPath, '--client', 'okta', '--ttl', '400d']);
    expect(long.code).toBe(2);
    expect(long.stdout).toBe('');
    const bad = await runCli(['scim', 'token', 'issue', '--db', dbPath, '--client', 'Okta Prod']);
    expect(bad.code).toBe(2);
  });
});
