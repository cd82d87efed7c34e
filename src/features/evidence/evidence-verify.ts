/**
 * Offline verification of an evidence bundle (`countersign evidence verify`), with nothing but the bundle and
 * the audit public key:
 * 1. the manifest signature (Ed25519, see `evidence-bundle.ts`);
 * 2. every section against its SHA-256 in the manifest, and no section missing or unlisted;
 * 3. the audit events' hash chain inside the bundle: consecutive `seq`, each `prevHash` the previous hash (the
 *    first one `chainStart`), each hash recomputed from the event's content;
 * 4. every checkpoint's signature, and, for a checkpoint whose size falls on an event of the bundle (or on the
 *    event just before it), that the chain head there is the checkpoint's head.
 * Never throws for a damaged bundle: every problem found is listed, naming the section and what failed.
 */
import type { KeyObject } from 'node:crypto';
import { canonicalDigest } from '../../core/canonical-json.js';
import { hashEvent, type StoredAuditEvent } from '../../audit/audit-event.js';
import { auditKeyId, signedCheckpointSchema, verifyCheckpointSignature } from '../../audit/checkpoint.js';
import { EVIDENCE_FORMAT, EVIDENCE_SECTIONS, LATER_SECTIONS, manifestSignatureValid } from './evidence-bundle.js';

export interface EvidenceProblem {
  /** `signature`, `manifest`, a section name, or `bundle`. */
  readonly where: string;
  readonly code: string;
  readonly message: string;
}

export interface EvidenceVerification {
  readonly ok: boolean;
  readonly problems: readonly EvidenceProblem[];
  readonly keyId: string;
  readonly period?: { readonly from: number; readonly to: number };
  readonly eventsVerified: number;
  readonly checkpointsVerified: number;
  readonly sectionsVerified: number;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStoredEvent(value: unknown): value is StoredAuditEvent {
  if (!isObject(value)) return false;
  return (
    typeof value.seq === 'number' &&
    typeof value.time === 'number' &&
    typeof value.actor === 'string' &&
    typeof value.action === 'string' &&
    typeof value.subject === 'string' &&
    typeof value.detailsJson === 'string' &&
    typeof value.prevHash === 'string' &&
    typeof value.hash === 'string'
  );
}

/** Checks the chain of the events section; returns the hash at each seq (and at `chainStart.seq`). */
function verifyChain(section: unknown, problems: EvidenceProblem[]): Map<number, string> {
  const heads = new Map<number, string>();
  const fail = (code: string, message: string): Map<number, string> => {
    problems.push({ where: 'auditEvents', code, message });
    return heads;
  };
  if (!isObject(section) || !isObject(section.chainStart) || !Array.isArray(section.events)) {
    return fail('malformed', 'the audit events section lacks `chainStart` or `events`');
  }
  const start = section.chainStart;
  if (typeof start.seq !== 'number' || typeof start.hash !== 'string') {
    return fail('malformed', 'the chain start names no seq and hash');
  }
  heads.set(start.seq, start.hash);
  let expectedSeq = start.seq + 1;
  let prevHash = start.hash;
  for (const event of section.events as unknown[]) {
    if (!isStoredEvent(event)) return fail('malformed', `the event after seq ${expectedSeq - 1} is malformed`);
    if (event.seq !== expectedSeq) {
      return fail('chain_gap', `event ${event.seq} follows event ${expectedSeq - 1}: the events are not consecutive`);
    }
    if (event.prevHash !== prevHash) {
      return fail('chain_broken', `event ${event.seq} does not link to the hash of event ${expectedSeq - 1}`);
    }
    if (hashEvent(event.prevHash, event) !== event.hash) {
      return fail('event_modified', `event ${event.seq}'s hash does not match its content`);
    }
    heads.set(event.seq, event.hash);
    prevHash = event.hash;
    expectedSeq += 1;
  }
  return heads;
}

function verifyCheckpoints(
  section: unknown,
  heads: ReadonlyMap<number, string>,
  publicKey: KeyObject,
  problems: EvidenceProblem[],
): number {
  if (!Array.isArray(section)) {
    problems.push({ where: 'checkpoints', code: 'malformed', message: 'the checkpoints section is not a list' });
    return 0;
  }
  let verified = 0;
  for (const value of section as unknown[]) {
    const parsed = signedCheckpointSchema.safeParse(value);
    if (!parsed.success) {
      problems.push({ where: 'checkpoints', code: 'malformed', message: 'a checkpoint is malformed' });
      continue;
    }
    const checkpoint = parsed.data;
    const signature = verifyCheckpointSignature(checkpoint, publicKey);
    if (!signature.valid) {
      problems.push({ where: 'checkpoints', code: 'bad_signature', message: signature.reason.message });
      continue;
    }
    const head = heads.get(checkpoint.size);
    if (head !== undefined && head !== checkpoint.head) {
      problems.push({
        where: 'checkpoints',
        code: 'checkpoint_mismatch',
        message: `the bundle's chain head at seq ${checkpoint.size} differs from the signed checkpoint at that size`,
      });
      continue;
    }
    verified += 1;
  }
  return verified;
}

/**
 * Verifies an evidence bundle read from a file (any JSON value) against the audit public key. Invariant: a
 * bundle is `ok` only if its manifest is signed by `publicKey`, every section hashes to its manifest digest,
 * its events form an unbroken hash chain and every checkpoint is signed and agrees with the events it covers.
 */
export function verifyEvidenceBundle(bundle: unknown, publicKey: KeyObject): EvidenceVerification {
  const problems: EvidenceProblem[] = [];
  const keyId = auditKeyId(publicKey);
  const result = (extra: Partial<EvidenceVerification> = {}): EvidenceVerification => ({
    ok: problems.length === 0,
    problems,
    keyId,
    eventsVerified: 0,
    checkpointsVerified: 0,
    sectionsVerified: 0,
    ...extra,
  });
  if (!isObject(bundle) || bundle.format !== EVIDENCE_FORMAT || !isObject(bundle.manifest)) {
    problems.push({
      where: 'bundle',
      code: 'malformed',
      message: `not an evidence bundle of format '${EVIDENCE_FORMAT}'`,
    });
    return result();
  }
  const { manifest } = bundle;
  if (typeof bundle.signature !== 'string' || !manifestSignatureValid(manifest, bundle.signature, publicKey)) {
    const named =
      typeof manifest.keyId === 'string' && manifest.keyId !== keyId ? ` (it names key '${manifest.keyId}')` : '';
    problems.push({
      where: 'signature',
      code: 'bad_signature',
      message: `the manifest is not signed by key '${keyId}'${named}`,
    });
  }
  const sections = isObject(bundle.sections) ? bundle.sections : {};
  const listed = isObject(manifest.sections) ? manifest.sections : {};
  let sectionsVerified = 0;
  for (const name of EVIDENCE_SECTIONS) {
    const entry = listed[name];
    // A section the format gained later is absent from a bundle made before it, manifest and all.
    if (entry === undefined && !(name in sections) && LATER_SECTIONS.includes(name)) continue;
    if (!isObject(entry) || typeof entry.sha256 !== 'string') {
      problems.push({
        where: 'manifest',
        code: 'section_unlisted',
        message: `the manifest lists no digest for '${name}'`,
      });
      continue;
    }
    if (!(name in sections)) {
      problems.push({ where: name, code: 'section_missing', message: `section '${name}' is missing` });
      continue;
    }
    if (canonicalDigest(sections[name]) !== entry.sha256) {
      problems.push({ where: name, code: 'digest_mismatch', message: `section '${name}' does not match its digest` });
      continue;
    }
    sectionsVerified += 1;
  }
  for (const name of Object.keys(sections)) {
    if (!(EVIDENCE_SECTIONS as readonly string[]).includes(name)) {
      problems.push({ where: name, code: 'section_unknown', message: `section '${name}' is not part of the format` });
    }
  }
  const before = problems.length;
  const heads = verifyChain(sections.auditEvents, problems);
  const chainOk = problems.length === before;
  const checkpointsVerified = verifyCheckpoints(sections.checkpoints, heads, publicKey, problems);
  const period = isObject(manifest.period) ? (manifest.period as { from: number; to: number }) : undefined;
  return result({
    ...(period !== undefined ? { period } : {}),
    eventsVerified: chainOk ? Math.max(0, heads.size - 1) : 0,
    checkpointsVerified,
    sectionsVerified,
  });
}
