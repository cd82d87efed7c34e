/**
 * `countersign audit verify --from-stream FILE` as a child process: a consumer's copy of the audit stream (JSONL,
 * one record per line, exactly as the sinks deliver them) checked against the signed checkpoints of a witness file
 * (`--checkpoints`) or of the database (`--db`), with the public key beside the database.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { ensureAuditKeys } from '../../src/audit/store/audit-keys.js';
import { AuditLog } from '../../src/audit/store/audit-log.js';
import { readAuditEvents } from '../../src/audit/store/audit-store.js';
import { Checkpointer } from '../../src/audit/store/checkpointer.js';
import { streamRecordJson, toStreamRecord } from '../../src/audit/stream-record.js';
import { JsonlFileWitness } from '../../src/audit/witness.js';
import { openDatabase } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { runCli } from '../cli/run-cli.js';
import { appendEvents, T0 } from './audit-attacks.js';

let dir: string;
let dbPath: string;
let witnessPath: string;
let keyPath: string;
/** The copy a consumer received: 50 records, checkpoints at 20 and 40. */
const lines: string[] = [];

function copy(name: string, content: readonly string[]): string {
  const path = join(dir, `${name}.jsonl`);
  writeFileSync(path, `${content.join('\n')}\n`);
  return path;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'countersign-cli-stream-'));
  dbPath = join(dir, 'countersign.db');
  witnessPath = join(dir, 'witness.jsonl');
  keyPath = join(dir, '.countersign', 'keys', 'audit-signing.pub');
  const { keys } = await ensureAuditKeys(join(dir, '.countersign', 'keys'));
  const database = await openDatabase(dbPath);
  const outcome = await migrateToLatest(database);
  if (outcome.error) throw outcome.error;
  const clock = new ManualClock(T0);
  const checkpointer = new Checkpointer({ database, keys, clock, witnesses: [new JsonlFileWitness(witnessPath)] });
  const auditLog = new AuditLog('sqlite', keys.hmacKey);
  for (const count of [20, 20, 10]) {
    await appendEvents(database, auditLog, count, clock.now());
    clock.advance(60_000);
    if (count === 20) await checkpointer.checkpointNow();
  }
  for await (const event of readAuditEvents(database.db))
    lines.push(streamRecordJson(toStreamRecord('inst_cli', event)));
  await database.close();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('countersign audit verify --from-stream (a child process)', () => {
  it('exits 0 for a complete copy with repeated deliveries, against the witness file', async () => {
    const path = copy('ok', [...lines.slice(0, 30), ...lines.slice(25)]);
    const run = await runCli([
      'audit',
      'verify',
      '--from-stream',
      path,
      '--checkpoints',
      witnessPath,
      '--public-key',
      keyPath,
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^stream copy ok: 50 events verified; 2 checkpoints verified, signatures checked/);
    expect(run.stdout).toContain('5 repeated deliveries skipped');
  });

  it("checks against the database's checkpoints with --db, and answers JSON with --json", async () => {
    const run = await runCli(['audit', 'verify', '--from-stream', copy('json', lines), '--db', dbPath, '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      ok: true,
      eventsVerified: 50,
      checkpointsVerified: 2,
      signaturesChecked: true,
      installation: 'inst_cli',
    });
  });

  const edit = (index: number, change: (record: Record<string, unknown>) => void): string[] =>
    lines.map((line, position) => {
      if (position !== index) return line;
      const record = JSON.parse(line) as Record<string, unknown>;
      change(record);
      return JSON.stringify(record);
    });
  it.each([
    ['a modified event', () => edit(6, (record) => (record.actor = 'mallory')), /first bad seq 7 \(modified\)/],
    ['a deleted event', () => [...lines.slice(0, 6), ...lines.slice(7)], /first bad seq 7 \(deleted\)/],
    [
      'reordered events',
      () => {
        const swapped = [...lines];
        [swapped[6], swapped[7]] = [swapped[7]!, swapped[6]!];
        return swapped;
      },
      /first bad seq 7 \(reordered\)/,
    ],
    [
      'a gap',
      () => [...lines.slice(0, 30), ...lines.slice(35)],
      /first bad seq 31 \(deleted\)[\s\S]*events 31–35 are missing/,
    ],
  ])('exits 1 and names the first bad seq for %s', async (name, content, expected) => {
    const path = copy(name.replace(/\W+/g, '-'), content());
    const run = await runCli([
      'audit',
      'verify',
      '--from-stream',
      path,
      '--checkpoints',
      witnessPath,
      '--public-key',
      keyPath,
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^stream copy TAMPERED/);
    expect(run.stdout).toMatch(expected);
  });

  it('exits 4 when the copy cannot be read, and 2 for --checkpoints without --from-stream', async () => {
    const missing = await runCli([
      'audit',
      'verify',
      '--from-stream',
      join(dir, 'none.jsonl'),
      '--checkpoints',
      witnessPath,
    ]);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toMatch(/stream copy .* does not exist/);
    const usage = await runCli(['audit', 'verify', '--db', dbPath, '--checkpoints', witnessPath]);
    expect(usage.code).toBe(2);
  });
});
