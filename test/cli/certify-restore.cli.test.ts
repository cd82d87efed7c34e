/**
 * `countersign certify restore`, the operator's recovery path after a certification revoke, run as a real child
 * process against a SQLite file: it needs the database and the audit keys, not a token, and it is audited as
 * `system:operator` with the operator's reason.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultKeysDir, generateAuditKeys } from '../../src/audit/store/audit-keys.js';
import { AuditLog } from '../../src/audit/store/audit-log.js';
import { certifyItem, createCampaign } from '../../src/features/certifications/certifications.verbs.js';
import { systemClock } from '../../src/core/clock.js';
import type { AppContext } from '../../src/app/context.js';
import { StorePolicyRuntime } from '../../src/app/policy-runtime.js';
import { loadPolicy } from '../../src/features/governance/policy-sync.js';
import { parsePolicySources } from '../../src/policy/load.js';
import { SYSTEM_POLICY } from '../../src/policy/model.js';
import { readPolicyDirectory } from '../../src/policy/policy-files.js';
import { openDatabase, type Database } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { runCli } from './run-cli.js';
import { ChangeFeed } from '../../src/app/change-events.js';

describe('countersign certify restore', () => {
  let dir: string;
  let dbPath: string;
  let database: Database;
  let itemId: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'countersign-restore-cli-'));
    dbPath = join(dir, 'countersign.db');
    database = await openDatabase(dbPath);
    const migrated = await migrateToLatest(database);
    if (migrated.error) throw migrated.error;
    const keys = await generateAuditKeys(defaultKeysDir(dbPath));
    const read = await readPolicyDirectory('examples/policy');
    const policy = parsePolicySources(read.sources).policy;
    if (!policy) throw new Error('the example policy does not load');
    const app: AppContext = {
      database,
      clock: systemClock,
      auditLog: new AuditLog(database.dialect, keys.hmacKey),
      policy: new StorePolicyRuntime(policy),
      providers: new Map(),
      changes: new ChangeFeed(),
    };
    await loadPolicy({ app, actor: SYSTEM_POLICY, input: { policy, documents: [...read.sources] } });
    const now = Date.now();
    const campaign = await createCampaign({
      app,
      actor: 'heidi',
      input: {
        name: 'Q1',
        kinds: ['role_assignment'],
        period: { from: now - 3_600_000, to: now },
        deadline: now + 7 * 86_400_000,
      },
    });
    const item = campaign.items.find((candidate) => candidate.role === 'payments-engineer')!;
    await certifyItem({ app, actor: 'ivan', input: { campaignId: campaign.id, itemId: item.id, decision: 'revoke' } });
    itemId = item.id;
    // The CLI opens the same SQLite file from another process: close ours while it runs.
    await database.close();
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('puts the assignment back and records the operator and the reason; a second restore is refused', async () => {
    const run = await runCli(['certify', 'restore', '--db', dbPath, '--item', itemId, '--reason', 'INC-90', '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      item: itemId,
      role: 'payments-engineer',
      subject: 'group:payments',
    });
    database = await openDatabase(dbPath);
    try {
      const events = await database.db
        .selectFrom('audit_events')
        .selectAll()
        .where('action', '=', 'certification.restore')
        .execute();
      expect(events.map((e) => [e.actor, e.subject])).toEqual([['system:operator', `certification_item:${itemId}`]]);
      const suspended = await database.db
        .selectFrom('role_assignments')
        .select('id')
        .where('revoked_by_certification', 'is not', null)
        .execute();
      expect(suspended).toEqual([]);
    } finally {
      await database.close();
    }
    const again = await runCli(['certify', 'restore', '--db', dbPath, '--item', itemId, '--reason', 'again']);
    expect(again.code).toBe(1);
  });
});
