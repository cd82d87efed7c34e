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
import { verifyToken } from '../../src/features/access/tokens.verbs.js';
import { parsePolicySources } from '../../src/policy/load.js';
import { SYSTEM_POLICY } from '../../src/policy/model.js';
import { readPolicyDirectory } from '../../src/policy/policy-files.js';
import { openDatabase, type Database } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { runCli } from './run-cli.js';
import { ChangeFeed } from '../../src/app/change-events.js';

describe('countersign token issue', () => {
  let dir: string;
  let dbPath: string;
  let database: Database;
  let app: AppContext;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'countersign-token-cli-'));
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

  it('prints only a token, which authenticates the identity; the audit names the operator and never the token', async () => {
    const run = await runCli(['token', 'issue', '--db', dbPath, '--identity', 'alice', '--ttl', '2h']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const token = run.stdout.trim();
    expect(token).toMatch(/^cs_[A-Za-z0-9_-]{43}$/);
    database = await openDatabase(dbPath);
    try {
      const opened = { ...app, database };
      expect(await verifyToken({ app: opened, token })).toMatchObject({ identity: 'alice' });
      const events = await database.db
        .selectFrom('audit_events')
        .selectAll()
        .where('action', '=', 'token.issue')
        .execute();
      expect(events.map((e) => [e.actor, e.subject])).toEqual([['system:operator', 'identity:alice']]);
      expect(JSON.stringify(events)).not.toContain(token);
    } finally {
      await database.close();
    }
  });

  it('prints the token metadata with --json', async () => {
    const run = await runCli(['token', 'issue', '--db', dbPath, '--identity', 'deploy-bot', '--ttl', '30d', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ identity: 'deploy-bot', token: expect.stringMatching(/^cs_/) });
  });

  it('refuses a lifetime beyond the maximum with a usage exit code', async () => {
    const run = await runCli(['token', 'issue', '--db', dbPath, '--identity', 'alice', '--ttl', '2d']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain("a token for human identity 'alice' lasts at most 12h");
  });

  it('refuses an unknown identity', async () => {
    const run = await runCli(['token', 'issue', '--db', dbPath, '--identity', 'nobody']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("identity 'nobody' does not exist");
  });
});
