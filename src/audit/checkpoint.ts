/**
 * Signed checkpoints of the audit log (SPEC §2.10): Ed25519 signatures over (size, chain head, Merkle root,
 * time). Copies pushed to witnesses outside the database let `audit verify` notice a rewritten history.
 *
 * Signed bytes (UTF-8), five lines each ending in "\n", a format simple enough to rebuild with a shell:
 *   countersign.dev/audit-checkpoint/v1
 *   <size, decimal>
 *   <head: hash of the event whose seq is size, or 64 zeros when size is 0; lowercase hex>
 *   <root: RFC 6962 Merkle root over the first size event hashes; lowercase hex>
 *   <time: epoch milliseconds, decimal>
 * `keyId` is the first 16 hex characters of SHA-256 over the public key's SPKI DER; it names the key and is
 * not signed. `signature` is base64.
 */
import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { reason, type Reason } from '../core/decision.js';
import { AppError } from '../core/errors.js';

export const CHECKPOINT_ORIGIN = 'countersign.dev/audit-checkpoint/v1';

export interface Checkpoint {
  /** Number of events covered: seq 1 … size. */
  readonly size: number;
  /** Chain hash of the event with seq = size. */
  readonly head: string;
  /** RFC 6962 Merkle root over the event hashes seq 1 … size. */
  readonly root: string;
  /** When the checkpoint was made, epoch milliseconds. */
  readonly time: number;
}

export interface SignedCheckpoint extends Checkpoint {
  readonly keyId: string;
  readonly signature: string;
}

const hexHash = z.string().regex(/^[0-9a-f]{64}$/, 'a 64-character lowercase hex hash');
const safeCount = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const checkpointSchema = z.strictObject({ size: safeCount, head: hexHash, root: hexHash, time: safeCount });

export const signedCheckpointSchema = checkpointSchema.extend({
  keyId: z.string().regex(/^[0-9a-f]{16}$/, 'a 16-character lowercase hex key id'),
  signature: z.string().regex(/^[A-Za-z0-9+/]{86}==$/, 'a base64 Ed25519 signature'),
});

/** Parses an untrusted value (a witness line, an API body) into a checkpoint; throws `invalid` naming `where`. */
export function parseSignedCheckpoint(value: unknown, where: string): SignedCheckpoint {
  return parseWith(signedCheckpointSchema, value, where);
}

function parseWith<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || 'checkpoint';
    throw new AppError('invalid', `${where}: '${field}' is not valid: ${issue?.message ?? 'unknown problem'}`);
  }
  return parsed.data;
}

/** The exact bytes an Ed25519 checkpoint signature covers (see the module comment). */
export function checkpointBytes(checkpoint: Checkpoint): Buffer {
  const { size, head, root, time } = checkpoint;
  return Buffer.from(`${CHECKPOINT_ORIGIN}\n${size}\n${head}\n${root}\n${time}\n`, 'utf8');
}

/** Short, stable name of an Ed25519 public key: SHA-256 of its SPKI DER, first 16 hex characters. */
export function auditKeyId(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex').slice(0, 16);
}

function assertEd25519(key: KeyObject, expected: 'private' | 'public'): void {
  if (key.asymmetricKeyType !== 'ed25519' || key.type !== expected) {
    throw new AppError('invalid', `the audit signing key must be an Ed25519 ${expected} key`);
  }
}

/** Signs a checkpoint. Invariant: `verifyCheckpointSignature(signCheckpoint(c, k), publicOf(k)).valid`. */
export function signCheckpoint(checkpoint: Checkpoint, privateKey: KeyObject): SignedCheckpoint {
  assertEd25519(privateKey, 'private');
  const { size, head, root, time } = checkpoint;
  const fields = parseWith(checkpointSchema, { size, head, root, time }, 'checkpoint');
  const signature = sign(null, checkpointBytes(fields), privateKey).toString('base64');
  return { ...fields, keyId: auditKeyId(createPublicKey(privateKey)), signature };
}

export interface SignatureCheck {
  readonly valid: boolean;
  readonly reason: Reason;
}

function ed25519Verify(bytes: Buffer, publicKey: KeyObject, signature: string): boolean {
  try {
    return verify(null, bytes, publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false; // a signature of the wrong length is simply not valid
  }
}

/** Whether `publicKey` signed exactly this checkpoint, with the reason when it did not. */
export function verifyCheckpointSignature(checkpoint: SignedCheckpoint, publicKey: KeyObject): SignatureCheck {
  assertEd25519(publicKey, 'public');
  const expectedKeyId = auditKeyId(publicKey);
  const valid = ed25519Verify(checkpointBytes(checkpoint), publicKey, checkpoint.signature);
  if (valid) {
    return {
      valid,
      reason: reason('checkpoint.signed', `checkpoint at size ${checkpoint.size} is signed by key '${expectedKeyId}'`),
    };
  }
  const byOtherKey = checkpoint.keyId !== expectedKeyId ? ` (it names key '${checkpoint.keyId}')` : '';
  return {
    valid,
    reason: reason(
      'checkpoint.bad_signature',
      `checkpoint at size ${checkpoint.size} is not signed by key '${expectedKeyId}'${byOtherKey}`,
    ),
  };
}

/** Whether two signed checkpoints say exactly the same thing. */
export function sameCheckpoint(a: SignedCheckpoint, b: SignedCheckpoint): boolean {
  return (
    a.size === b.size &&
    a.head === b.head &&
    a.root === b.root &&
    a.time === b.time &&
    a.keyId === b.keyId &&
    a.signature === b.signature
  );
}

export interface CheckpointPolicy {
  /** Make a checkpoint once this many events are past the last one. */
  readonly everyEvents: number;
  /** …or once this many seconds have passed since it, if any event is past it. */
  readonly everySeconds: number;
}

/**
 * Whether a new checkpoint is due for a log ending at `headSeq`, given the last checkpoint (undefined if none).
 * Never due when no event follows the last checkpoint, so an idle log does not grow checkpoints.
 */
export function checkpointDue(
  last: Pick<Checkpoint, 'size' | 'time'> | undefined,
  headSeq: number,
  now: number,
  policy: CheckpointPolicy,
): Reason | undefined {
  const since = last?.size ?? 0;
  const pending = headSeq - since;
  if (pending <= 0) return undefined;
  if (pending >= policy.everyEvents) {
    return reason('checkpoint.due_events', `${pending} events since the checkpoint at size ${since}`);
  }
  if (last === undefined || now - last.time >= policy.everySeconds * 1000) {
    return reason('checkpoint.due_time', `events pending and ${policy.everySeconds}s passed since the last checkpoint`);
  }
  return undefined;
}
