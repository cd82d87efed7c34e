import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AuditChain, type AuditRecord } from './audit-event.js';
import { signCheckpoint, type SignedCheckpoint } from './checkpoint.js';
import { merkleRoot } from './merkle.js';
import { streamRecordJson, toStreamRecord } from './stream-record.js';
import { verifyStreamCopy } from './verify-stream.js';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const otherKey = generateKeyPairSync('ed25519').privateKey;

function events(count: number): AuditRecord[] {
  const chain = new AuditChain({ seq: 0, hash: '0'.repeat(64) }, { hmacKey: new Uint8Array(32).fill(1) });
  return chain.appendAll(
    Array.from({ length: count }, (_, index) => ({
      time: 1_767_225_600_000 + index,
      actor: 'alice',
      action: 'request.approve',
      subject: `request:req_${index}`,
      details: { step: index, note: `approval ${index}`, nested: { list: [1, 'two', null] } },
    })),
  );
}

const LOG = events(30);
const LINES = LOG.map((event) => streamRecordJson(toStreamRecord('inst_1', event)));

function checkpointAt(size: number, key = privateKey): SignedCheckpoint {
  const hashes = LOG.slice(0, size).map((event) => event.hash);
  return signCheckpoint({ size, head: hashes.at(-1)!, root: merkleRoot(hashes), time: 1 }, key);
}

const CHECKPOINTS = [checkpointAt(10), checkpointAt(20)];

function verify(lines: readonly string[], checkpoints = CHECKPOINTS) {
  return verifyStreamCopy({ lines, checkpoints, publicKey });
}

function edited(index: number, change: (record: Record<string, unknown>) => void): string[] {
  return LINES.map((line, position) => {
    if (position !== index) return line;
    const record = JSON.parse(line) as Record<string, unknown>;
    change(record);
    return JSON.stringify(record);
  });
}

describe('verifying a consumer copy of the audit stream', () => {
  it('accepts a complete copy and checks it against every checkpoint it covers', async () => {
    const result = await verify(LINES);
    expect(result).toMatchObject({ ok: true, eventsVerified: 30, checkpointsVerified: 2, signaturesChecked: true });
    expect(result.head).toEqual({ seq: 30, hash: LOG[29]!.hash });
    expect(result.installation).toBe('inst_1');
  });

  it('tolerates repeated deliveries of a range already received (at least once)', async () => {
    const result = await verify([...LINES.slice(0, 15), ...LINES.slice(10, 30), ...LINES.slice(28)]);
    expect(result).toMatchObject({ ok: true, eventsVerified: 30, duplicates: 7 });
  });

  it('accepts a copy that ends before the newest checkpoint, and counts that checkpoint as not checked', async () => {
    const result = await verify(LINES.slice(0, 15));
    expect(result).toMatchObject({ ok: true, eventsVerified: 15, checkpointsVerified: 1, checkpointsBeyondCopy: 1 });
  });

  it('names the seq of an event whose content was changed', async () => {
    const result = await verify(edited(6, (record) => (record.actor = 'mallory')));
    expect(result).toMatchObject({ ok: false, firstBadSeq: 7, problem: { kind: 'modified' } });
  });

  it('names the seq of an event changed with its hash recomputed, through the next link', async () => {
    const forged = events(30);
    const lines = [...LINES];
    lines[6] = streamRecordJson({ ...toStreamRecord('inst_1', forged[6]!), actor: 'mallory' });
    const result = await verify(lines);
    expect(result).toMatchObject({ ok: false, firstBadSeq: 7, problem: { kind: 'modified' } });
  });

  it('names the first missing seq of a deletion', async () => {
    const result = await verify([...LINES.slice(0, 11), ...LINES.slice(12)]);
    expect(result).toMatchObject({ ok: false, firstBadSeq: 12, problem: { kind: 'deleted' } });
  });

  it('reports events delivered out of order as reordered', async () => {
    const lines = [...LINES];
    [lines[4], lines[5]] = [lines[5]!, lines[4]!];
    const result = await verify(lines);
    expect(result).toMatchObject({ ok: false, firstBadSeq: 5, problem: { kind: 'reordered' } });
  });

  it('reports a gap that never fills as deleted', async () => {
    const result = await verify([...LINES.slice(0, 20), ...LINES.slice(25)]);
    expect(result).toMatchObject({ ok: false, firstBadSeq: 21, problem: { kind: 'deleted' } });
    expect(result.problem?.message).toMatch(/events 21–25 are missing/);
  });

  it('refuses a repeated seq whose content differs from the first delivery', async () => {
    const changed = edited(3, (record) => (record.subject = 'request:other'))[3]!;
    const result = await verify([...LINES.slice(0, 10), changed, ...LINES.slice(10)]);
    expect(result).toMatchObject({ ok: false, firstBadSeq: 4, problem: { kind: 'modified' } });
    expect(result.problem?.message).toMatch(/lines 4 and 11/);
  });

  it('finds a rewritten history that checkpoints contradict', async () => {
    const chain = new AuditChain({ seq: 0, hash: '0'.repeat(64) }, { hmacKey: new Uint8Array(32).fill(2) });
    const other = chain.appendAll(LOG.map((event) => ({ ...event, details: { other: true } })));
    const result = await verify(other.map((event) => streamRecordJson(toStreamRecord('inst_1', event))));
    expect(result).toMatchObject({ ok: false, firstBadSeq: 1, problem: { kind: 'checkpoint_mismatch' } });
  });

  it('rejects a checkpoint signed by another key', async () => {
    const result = await verify(LINES, [checkpointAt(10, otherKey)]);
    expect(result).toMatchObject({ ok: false, problem: { kind: 'bad_signature' } });
  });

  it('reads HEC envelopes and syslog messages that hold a record', async () => {
    const hec = LINES.map((line) => `{"time":"1.0","host":"h","source":"countersign","event":${line}}`);
    const syslog = LINES.map(
      (line, index) =>
        `<110>1 2026-01-01T00:00:00.000Z h countersign - audit [countersign@32473 seq="${index + 1}"] \ufeff${line}`,
    );
    expect(await verify(hec)).toMatchObject({ ok: true, eventsVerified: 30 });
    expect(await verify(syslog)).toMatchObject({ ok: true, eventsVerified: 30 });
  });

  it('names a line that holds no record, and a record of another installation', async () => {
    const garbage = await verify([...LINES.slice(0, 5), 'not json', ...LINES.slice(5)]);
    expect(garbage).toMatchObject({
      ok: false,
      firstBadSeq: 6,
      problem: { message: expect.stringMatching(/^line 6:/) },
    });
    const foreign = LINES.map((line, index) => (index === 8 ? line.replace('"inst_1"', '"inst_2"') : line));
    expect(await verify(foreign)).toMatchObject({ ok: false, firstBadSeq: 9, problem: { kind: 'inserted' } });
  });
});
