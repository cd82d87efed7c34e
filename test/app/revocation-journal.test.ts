/**
 * The revocation journal (SPEC §2.8): entries are durable before anyone is answered, survive their process
 * (adopted by the next one), and are recorded in the store exactly once, even when a process died between
 * recording and compacting.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CheckService } from '../../src/features/access/check-service.js';
import type { AppContext } from '../../src/app/context.js';
import { RevocationJournal, type JournalEntry } from '../../src/app/revocation-journal.js';
import { replayRevocations } from '../../src/features/grants/revoke-without-store.js';
import { insertExpiringGrants } from './fixtures/expiring-grants.js';
import { openLifecycleApp } from './fixtures/lifecycle-app.js';
import { describeEachDialect } from '../store/dialects.js';

function entry(grantId: string, at: number, kind: JournalEntry['kind'] = 'expire'): JournalEntry {
  const requestId = grantId.replace('grt_', 'req_');
  const reason = kind === 'expire' ? 'the grant reached its expiry' : `revoked by 'dora'`;
  return {
    grantId,
    requestId,
    kind,
    actor: kind === 'expire' ? 'system:scheduler' : 'dora',
    reason,
    at,
    outcome: 'revoked',
  };
}

/** A journal file left by a process of this host that is gone (pid 2^22 + 1 is above Linux's pid_max). */
function orphanPath(directory: string, host = hostname(), pid = 4194305): string {
  return join(directory, `${host}~${pid}~dead.jsonl`);
}

describe('the revocation journal file', () => {
  const directories: string[] = [];
  const scratch = (): string => {
    const directory = mkdtempSync(join(tmpdir(), 'countersign-journal-'));
    directories.push(directory);
    return directory;
  };
  afterEach(() => {
    for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
  });

  it('holds an appended entry on disk before append resolves, and denies its grant meanwhile', async () => {
    const journal = await RevocationJournal.open(scratch());
    await journal.append(entry('grt_a', 1000));
    const lines = readFileSync(journal.path, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '');
    expect(lines.map((line) => JSON.parse(line) as JournalEntry)).toEqual([entry('grt_a', 1000)]);
    expect(journal.isRevoked('grt_a', 2000)).toBe(true);
    expect(journal.isRevoked('grt_b', 2000)).toBe(false);
    await journal.close();
  });

  it('is adopted by the next process: a dead process file moves into the new journal, torn lines ignored', async () => {
    const directory = scratch();
    const text = `${JSON.stringify(entry('grt_a', 1000))}\n${JSON.stringify(entry('grt_b', 1001))}\n{"grantId":"grt_c","at`;
    writeFileSync(orphanPath(directory), text);
    const journal = await RevocationJournal.open(directory);
    expect(journal.pending().map((e) => e.grantId)).toEqual(['grt_a', 'grt_b']);
    expect(readdirSync(directory)).toEqual([journal.path.split('/').pop()]);
    await journal.close();
  });

  it('adopts a file of this pid from an earlier life and of another host name, never one of a live process', async () => {
    const directory = scratch();
    writeFileSync(orphanPath(directory, hostname(), process.pid), `${JSON.stringify(entry('grt_a', 1000))}\n`);
    writeFileSync(orphanPath(directory, 'recreated-container'), `${JSON.stringify(entry('grt_b', 1001))}\n`);
    const live = orphanPath(directory, hostname(), process.ppid);
    writeFileSync(live, `${JSON.stringify(entry('grt_c', 1002))}\n`);
    const first = await RevocationJournal.open(directory);
    const second = await RevocationJournal.open(directory);
    expect(first.pending().map((e) => e.grantId)).toEqual(['grt_a', 'grt_b']);
    expect(second.pending()).toEqual([]);
    expect(readFileSync(live, 'utf8')).toContain('grt_c');
    await first.close();
    await second.close();
  });

  it('keeps denying a settled grant until every check index caught up, and compacts the file', async () => {
    const journal = await RevocationJournal.open(scratch());
    await journal.append(entry('grt_a', 1000));
    await journal.append(entry('grt_b', 1001));
    await journal.settle(['grt_a'], 5000);
    expect(journal.pending().map((e) => e.grantId)).toEqual(['grt_b']);
    expect(journal.isRevoked('grt_a', 5000 + 59_999)).toBe(true);
    expect(journal.isRevoked('grt_a', 5000 + 60_000)).toBe(false);
    const text = readFileSync(journal.path, 'utf8');
    expect(text).not.toContain('grt_a');
    expect(text).toContain('grt_b');
    await journal.close();
  });
});

describeEachDialect('recording the revocation journal', (ctx) => {
  let app: AppContext;
  const directory = mkdtempSync(join(tmpdir(), 'countersign-journal-replay-'));

  beforeAll(async () => {
    const opened = await openLifecycleApp(ctx.url);
    app = { ...opened, revocations: await RevocationJournal.open(directory) };
  }, 60_000);

  afterAll(async () => {
    await app?.revocations?.close();
    await app?.database.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('check denies a journalled grant at once, yet still allows through a standing role', async () => {
    const expiresAt = Date.now() + 3_600_000;
    await app.database.db.deleteFrom('grants').execute();
    await insertExpiringGrants(app, 2, expiresAt);
    // dora holds no standing `use`: her grant is her only way in; erin's engineer role gives `use` on every profile.
    await app.database.db.updateTable('grants').set({ identity: 'dora' }).where('id', '=', 'grt_bench_0').execute();
    const checks = new CheckService(app);
    const dora = { identity: 'dora', resource: 'bench-db-1', action: 'read' };
    const erin = { identity: 'erin', resource: 'bench-db-1', action: 'read' };
    expect(await checks.check('dora', dora)).toMatchObject({ allowed: true, grantId: 'grt_bench_0' });
    expect(await checks.check('erin', erin)).toMatchObject({ allowed: true, grantId: 'grt_bench_1' });
    await app.revocations?.append(entry('grt_bench_0', Date.now(), 'revoke'));
    await app.revocations?.append(entry('grt_bench_1', Date.now(), 'revoke'));
    expect(await checks.check('dora', dora)).toMatchObject({ allowed: false, reason: { code: 'check.grant_revoked' } });
    expect(await checks.check('erin', erin)).toMatchObject({ allowed: true, reason: { code: 'check.standing_role' } });
    await app.revocations?.settle(['grt_bench_0', 'grt_bench_1'], Date.now());
    await app.database.db.deleteFrom('grants').execute();
    await app.database.db.deleteFrom('requests').execute();
    await checks.close();
  });

  it('records each journalled revoke once with its time, and nothing again when a crash left it journalled', async () => {
    const expiresAt = Date.now() - 5_000;
    await insertExpiringGrants(app, 2, expiresAt);
    const at = expiresAt + 120;
    await app.revocations?.append(entry('grt_bench_0', at, 'expire'));
    await app.revocations?.append(entry('grt_bench_1', at + 5, 'revoke'));
    expect(await replayRevocations(app, 'worker-a', 5000)).toBe(2);
    expect(app.revocations?.pending()).toEqual([]);

    const grants = await app.database.db
      .selectFrom('grants')
      .select(['id', 'status', 'revoked_at', 'revoked_by'])
      .orderBy('id')
      .execute();
    expect(grants.map((g) => [g.id, g.status, Number(g.revoked_at), g.revoked_by])).toEqual([
      ['grt_bench_0', 'expired', at, 'system:scheduler'],
      ['grt_bench_1', 'revoked', at + 5, 'dora'],
    ]);
    const requests = await app.database.db.selectFrom('requests').select(['id', 'status']).orderBy('id').execute();
    expect(requests.map((r) => r.status)).toEqual(['expired', 'revoked']);

    // A process that died after recording, before compacting: its file still names both grants.
    const orphan = orphanPath(directory);
    writeFileSync(
      orphan,
      `${JSON.stringify(entry('grt_bench_0', at))}\n${JSON.stringify(entry('grt_bench_1', at + 5, 'revoke'))}\n`,
    );
    await app.revocations?.adoptOrphans();
    expect(app.revocations?.pending()).toHaveLength(2);
    expect(await replayRevocations(app, 'worker-b', 5000)).toBe(0);
    expect(app.revocations?.pending()).toEqual([]);
    const events = await app.database.db
      .selectFrom('audit_events')
      .select(['action', 'subject'])
      .where('action', 'in', ['grant.expire', 'grant.revoke'])
      .execute();
    expect(events).toHaveLength(2);
  });
});
