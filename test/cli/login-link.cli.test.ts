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
import { signInWithLink } from '../../src/features/access/index.js';
import { parsePolicySources } from '../../src/policy/load.js';
import { SYSTEM_POLICY } from '../../src/policy/model.js';
import { readPolicyDirectory } from '../../src/policy/policy-files.js';
import { openDatabase, type Database } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { runCli } from './run-cli.js';
import { ChangeFeed } from '../../src/app/change-events.js';

describe('countersign login-link', () => {
  let dir: string;
  let dbPath: string;
  let database: Database;
  let app: AppContext;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'countersign-login-link-cli-'));
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

  it('prints a sign-in URL with the secret in the fragment; the link signs in once and is audited without it', async () => {
    const run = await runCli(['login-link', '--db', dbPath, '--identity', 'alice', '--url', 'https://cs.example/']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const url = run.stdout.trim();
    expect(url).toMatch(/^https:\/\/cs\.example\/sign-in#link=[A-Za-z0-9_-]{43}$/);
    const link = url.slice(url.indexOf('#link=') + '#link='.length);
    database = await openDatabase(dbPath);
    try {
      const opened = { ...app, database };
      const started = await signInWithLink({ app: opened, link, clientAddress: '127.0.0.1' });
      expect(started).toMatchObject({ identity: 'alice', method: 'login_link' });
      await expect(signInWithLink({ app: opened, link, clientAddress: '127.0.0.1' })).rejects.toMatchObject({
        code: 'unauthenticated',
      });
      const events = await database.db
        .selectFrom('audit_events')
        .selectAll()
        .where('action', '=', 'session.link_issued')
        .execute();
      expect(events.map((e) => [e.actor, e.subject])).toEqual([['system:operator', 'identity:alice']]);
      expect(JSON.stringify(await database.db.selectFrom('audit_events').selectAll().execute())).not.toContain(link);
      const stored = await database.db.selectFrom('login_links').selectAll().execute();
      expect(JSON.stringify(stored)).not.toContain(link);
    } finally {
      await database.close();
    }
  });

  it('defaults the base URL to http://127.0.0.1:8080 and prints metadata with --json', async () => {
    const run = await runCli(['login-link', '--db', dbPath, '--identity', 'bob', '--ttl', '5m', '--json']);
    expect(run.code).toBe(0);
    const printed = JSON.parse(run.stdout) as { url: string; identity: string; expiresAt: string };
    expect(printed).toMatchObject({ identity: 'bob' });
    expect(printed.url).toMatch(/^http:\/\/127\.0\.0\.1:8080\/sign-in#link=/);
    const minutes = (Date.parse(printed.expiresAt) - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(3);
    expect(minutes).toBeLessThanOrEqual(5);
  });

  it('refuses a disabled identity with a non-zero exit and prints no link', async () => {
    const run = await runCli(['login-link', '--db', dbPath, '--identity', 'mallory']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain("identity 'mallory' is disabled");
  });

  it('refuses an unknown identity', async () => {
    const run = await runCli(['login-link', '--db', dbPath, '--identity', 'nobody']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain("identity 'nobody' does not exist");
  });

  it('refuses a lifetime over one hour with a usage exit code', async () => {
    const run = await runCli(['login-link', '--db', dbPath, '--identity', 'alice', '--ttl', '2h']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('at most 1h');
  });
});
