import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { ensureAuditKeys } from '../../src/audit/store/audit-keys.js';
import { AuditLog } from '../../src/audit/store/audit-log.js';
import { Checkpointer } from '../../src/audit/store/checkpointer.js';
import { JsonlFileWitness } from '../../src/audit/witness.js';
import { openDatabase } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import type { Schema } from '../../src/store/schema.js';
import { runCli, type CliRun } from '../cli/run-cli.js';
import { appendEvents, attacks, dropAppendOnlyTriggers, T0 } from './audit-attacks.js';

/** A SQLite log of 50 events with checkpoints at 20 and 40, keys in `.countersign/keys` beside the file. */
let dir: string;
let clean: string;
let witnessPath: string;

async function copyAttacked(name: string, attack: (db: Kysely<Schema>) => Promise<void>): Promise<string> {
  const path = join(dir, `${name}.db`);
  copyFileSync(clean, path);
  const database = await openDatabase(path);
  try {
    await dropAppendOnlyTriggers(database.db, 'sqlite');
    await attack(database.db);
  } finally {
    await database.close();
  }
  return path;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'countersign-cli-audit-'));
  clean = join(dir, 'clean.db');
  witnessPath = join(dir, 'witness.jsonl');
  const { keys } = await ensureAuditKeys(join(dir, '.countersign', 'keys'));
  const database = await openDatabase(clean);
  const outcome = await migrateToLatest(database);
  if (outcome.error) throw outcome.error;
  const clock = new ManualClock(T0);
  const checkpointer = new Checkpointer({
    database,
    keys,
    clock,
    witnesses: [new JsonlFileWitness(witnessPath)],
  });
  const auditLog = new AuditLog('sqlite', keys.hmacKey);
  for (const count of [20, 20, 10]) {
    await appendEvents(database, auditLog, count, clock.now());
    clock.advance(60_000);
    if (count === 20) await checkpointer.checkpointNow();
  }
  await database.close();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('countersign audit verify (a child process on a SQLite file)', () => {
  it('exits 0 on an untouched log and prints the counts, with the key found beside the database', async () => {
    const run = await runCli(['audit', 'verify', '--db', clean, '--witness', witnessPath]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^audit log ok: 50 events verified; 2 checkpoints verified, signatures checked/);
    expect(run.stdout).toContain('2 witness checkpoints agree');
  });

  it('prints the verification as JSON with --json, reading the database from COUNTERSIGN_DB', async () => {
    const run = await runCli(['audit', 'verify', '--json'], { COUNTERSIGN_DB: `sqlite:${clean}` });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      ok: true,
      eventsVerified: 50,
      checkpointsVerified: 2,
      signaturesChecked: true,
    });
  });

  const cases: readonly {
    readonly name: string;
    readonly attack: (db: Kysely<Schema>) => Promise<void>;
    readonly expected: RegExp;
  }[] = [
    { name: 'updated', attack: (db) => attacks.updateDetails(db, 7), expected: /first bad seq 7 \(modified\)/ },
    { name: 'deleted', attack: (db) => attacks.deleteEvent(db, 7), expected: /first bad seq 7 \(deleted\)/ },
    { name: 'inserted', attack: (db) => attacks.insertForged(db, 7), expected: /first bad seq 7 \(inserted\)/ },
    { name: 'swapped', attack: (db) => attacks.swapSeq(db, 7), expected: /first bad seq 7 \(modified\)/ },
    { name: 'truncated', attack: (db) => attacks.deleteTail(db, 35), expected: /first bad seq 36 \(truncated\)/ },
    {
      name: 'rechained',
      attack: (db) => attacks.rewriteAndRechain(db, 25),
      expected: /first bad seq 21 \(checkpoint_mismatch\)/,
    },
  ];
  const runs = new Map<string, CliRun>();
  beforeAll(async () => {
    const paths = await Promise.all(cases.map(({ name, attack }) => copyAttacked(name, attack)));
    const results = await Promise.all(paths.map((path) => runCli(['audit', 'verify', '--db', path])));
    cases.forEach(({ name }, index) => runs.set(name, results[index] as CliRun));
  });

  for (const { name, expected } of cases) {
    it(`exits 1 and names the first bad seq and the kind for a log ${name} directly in the database`, () => {
      const run = runs.get(name);
      expect(run?.code, run?.stderr).toBe(1);
      expect(run?.stdout).toMatch(new RegExp(`^audit log TAMPERED: ${expected.source}`));
    });
  }

  it('exits 1 when the witness shows a cut the database no longer records', async () => {
    const path = await copyAttacked('cut', async (db) => {
      await attacks.deleteTail(db, 35);
      await attacks.deleteCheckpointsAbove(db, 20);
    });
    const [alone, witnessed] = await Promise.all([
      runCli(['audit', 'verify', '--db', path]),
      runCli(['audit', 'verify', '--db', path, '--witness', witnessPath, '--json']),
    ]);
    expect(alone.code).toBe(0);
    expect(witnessed.code).toBe(1);
    expect(JSON.parse(witnessed.stdout)).toMatchObject({ ok: false, firstBadSeq: 36, problem: { kind: 'truncated' } });
  });

  it('exits 2 without a database, and 4 when the file, the key or the witness cannot be read', async () => {
    const garbage = join(dir, 'garbage.jsonl');
    writeFileSync(garbage, 'not json\n');
    const [noDb, missingFile, missingKey, badWitness, notMigrated] = await Promise.all([
      runCli(['audit', 'verify'], { COUNTERSIGN_DB: '' }),
      runCli(['audit', 'verify', '--db', join(dir, 'missing.db')]),
      runCli(['audit', 'verify', '--db', clean, '--public-key', join(dir, 'missing.pub')]),
      runCli(['audit', 'verify', '--db', clean, '--witness', garbage]),
      runCli(['audit', 'verify', '--db', garbage]),
    ]);
    expect(noDb.code).toBe(2);
    expect(noDb.stderr).toContain('--db');
    expect(missingFile.code).toBe(4);
    expect(missingFile.stderr).toContain('does not exist');
    expect(missingKey.code).toBe(4);
    expect(badWitness.code).toBe(4);
    expect(badWitness.stderr).toContain('line 1');
    expect(notMigrated.code).toBe(4);
  });
});

describe('countersign db migrate', () => {
  it('applies every migration on a new database, then finds nothing to do', async () => {
    const path = join(dir, 'fresh.db');
    const first = await runCli(['db', 'migrate', '--db', path, '--json']);
    expect(first.code).toBe(0);
    const body = JSON.parse(first.stdout) as { ok: boolean; applied: string[] };
    expect(body.ok).toBe(true);
    expect(body.applied).toContain('0003-audit-log');
    const again = await runCli(['db', 'migrate', '--db', path]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('already up to date');
  });
});
