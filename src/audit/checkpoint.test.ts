import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AppError } from '../core/errors.js';
import {
  auditKeyId,
  checkpointBytes,
  checkpointDue,
  parseSignedCheckpoint,
  signCheckpoint,
  verifyCheckpointSignature,
  type Checkpoint,
} from './checkpoint.js';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const other = generateKeyPairSync('ed25519');
const checkpoint: Checkpoint = { size: 10_000, head: 'a1'.repeat(32), root: 'b2'.repeat(32), time: 1_700_000_000_000 };

describe('signed checkpoints', () => {
  it('the signed bytes are five documented lines', () => {
    expect(checkpointBytes(checkpoint).toString('utf8')).toBe(
      `countersign.dev/audit-checkpoint/v1\n10000\n${'a1'.repeat(32)}\n${'b2'.repeat(32)}\n1700000000000\n`,
    );
  });

  it('a checkpoint signed with the private key verifies with its public key and names it', () => {
    const signed = signCheckpoint(checkpoint, privateKey);
    expect(signed.keyId).toBe(auditKeyId(publicKey));
    expect(verifyCheckpointSignature(signed, publicKey)).toMatchObject({ valid: true });
    expect(parseSignedCheckpoint(JSON.parse(JSON.stringify(signed)), 'test')).toEqual(signed);
  });

  it.each<[string, Partial<Checkpoint>]>([
    ['size', { size: 10_001 }],
    ['head', { head: 'a2'.repeat(32) }],
    ['root', { root: 'b3'.repeat(32) }],
    ['time', { time: 1_700_000_000_001 }],
  ])('changing the %s breaks the signature', (_field, change) => {
    const signed = { ...signCheckpoint(checkpoint, privateKey), ...change };
    expect(verifyCheckpointSignature(signed, publicKey)).toMatchObject({
      valid: false,
      reason: { code: 'checkpoint.bad_signature' },
    });
  });

  it('a checkpoint signed by another key is refused, naming both keys', () => {
    const forged = signCheckpoint(checkpoint, other.privateKey);
    const check = verifyCheckpointSignature(forged, publicKey);
    expect(check.valid).toBe(false);
    expect(check.reason.message).toContain(`not signed by key '${auditKeyId(publicKey)}'`);
    expect(check.reason.message).toContain(`it names key '${auditKeyId(other.publicKey)}'`);
  });

  it('a signature of the wrong length is invalid rather than an error', () => {
    const signed = { ...signCheckpoint(checkpoint, privateKey), signature: 'AAAA' };
    expect(verifyCheckpointSignature(signed, publicKey).valid).toBe(false);
  });

  it('a checkpoint with a malformed field is refused with where it came from', () => {
    const signed = signCheckpoint(checkpoint, privateKey);
    expect(() => parseSignedCheckpoint({ ...signed, root: 'xyz' }, 'witness line 3')).toThrow(
      /witness line 3: 'root' is not valid/,
    );
    expect(() => parseSignedCheckpoint({ ...signed, extra: 1 }, 'body')).toThrow(AppError);
    expect(() => signCheckpoint({ ...checkpoint, size: -1 }, privateKey)).toThrow(AppError);
  });

  it('signing needs an Ed25519 private key', () => {
    expect(() => signCheckpoint(checkpoint, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey)).toThrow(
      /Ed25519 private key/,
    );
  });
});

describe('when a checkpoint is due', () => {
  const policy = { everyEvents: 1000, everySeconds: 60 };
  it.each<[string, { size: number; time: number } | undefined, number, number, string | undefined]>([
    ['an empty log with no checkpoint', undefined, 0, 0, undefined],
    ['a first event with no checkpoint', undefined, 1, 0, 'checkpoint.due_time'],
    ['no event since the last checkpoint, long ago', { size: 500, time: 0 }, 500, 10_000_000, undefined],
    ['enough events since the last checkpoint', { size: 500, time: 0 }, 1500, 1, 'checkpoint.due_events'],
    ['a few events, recently', { size: 500, time: 0 }, 600, 59_999, undefined],
    ['a few events, a minute later', { size: 500, time: 0 }, 600, 60_000, 'checkpoint.due_time'],
  ])('%s', (_name, last, headSeq, now, expected) => {
    expect(checkpointDue(last, headSeq, now, policy)?.code).toBe(expected);
  });
});
