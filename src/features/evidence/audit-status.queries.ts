/**
 * The read behind `GET /v1/audit/status` (`audit` duty): the audit log's verification status, computed by the
 * server for the console's Audit page, which polls it. It must stay cheap however long the log grows, so it
 * verifies incrementally: each process keeps, per database, the prefix of the log it has proven good (the last
 * event's seq and hash and the Merkle tree's compact state) and goes on from there, reading only the new events
 * and checkpoints, at most `MAX_STATUS_STEP` events per call. The anchor event is re-read and re-hashed each time,
 * so a log cut or rewritten at that point starts the verification over from the beginning; a restarted process starts over
 * too (nothing of it is stored). `countersign audit verify` remains the full, offline check of the whole log.
 *
 * The witness (the JSONL file the checkpointer publishes to, when the server has one) agrees when every
 * checkpoint it holds is one the database holds at the same size; it is compared again whenever the file changes.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { hashEvent } from '../../audit/audit-event.js';
import {
  readAuditCheckpoints,
  readAuditEvents,
  readAuditHead,
  readEventsToVerify,
  readLastAuditCheckpoint,
} from '../../audit/store/audit-store.js';
import { sameCheckpoint, type SignedCheckpoint } from '../../audit/checkpoint.js';
import { MerkleBuilder, type MerkleState } from '../../audit/merkle.js';
import { verifyAuditLogFrom, type AuditVerification, type VerifiedPrefix } from '../../audit/verify.js';
import { parseWitnessLines } from '../../audit/witness.js';
import { isAppError } from '../../core/errors.js';
import type { Database } from '../../store/database.js';
import { toStoreError } from '../../store/errors.js';
import type { AppContext } from '../../app/context.js';
import { iso } from '../../app/view-fields.js';
import type { AuditStatusView } from './audit-status.view.js';

/** Events verified per call at most: a long log is caught up over several polls, each one bounded. */
export const MAX_STATUS_STEP = 200_000;

interface VerifiedLog {
  readonly prefix: VerifiedPrefix;
  readonly merkle: MerkleState;
}

interface StepResult {
  readonly verification: AuditVerification;
  readonly headSeq: number;
}

/** Per database: the prefix this process proved good, and the step under way (concurrent polls share it). */
const verifiedLogs = new WeakMap<Database, VerifiedLog>();
const stepsUnderWay = new WeakMap<Database, Promise<StepResult>>();

interface WitnessRead {
  readonly size: number;
  readonly mtimeMs: number;
  readonly status: AuditStatusView['witness'];
}
const witnessReads = new Map<string, WitnessRead>();

/**
 * The prefix still there as it was proven: its last event unchanged, in its links and in its content (otherwise
 * the verification starts over from the beginning, and finds what changed).
 */
async function stillThere(database: Database, log: VerifiedLog | undefined): Promise<VerifiedLog | undefined> {
  if (log === undefined || log.prefix.seq === 0) return undefined;
  const { seq, hash, prevHash } = log.prefix;
  for await (const anchor of readAuditEvents(database.db, { afterSeq: seq - 1, toSeq: seq, batchSize: 1 })) {
    const unchanged = anchor.seq === seq && anchor.hash === hash && anchor.prevHash === prevHash;
    return unchanged && hashEvent(prevHash, anchor) === hash ? log : undefined;
  }
  return undefined;
}

/** One bounded step of verification from the prefix proven so far; the prefix moves on when all is good. */
async function verifyStep(database: Database, publicKey: KeyObject | undefined): Promise<StepResult> {
  const log = await stillThere(database, verifiedLogs.get(database));
  const from = log?.prefix.seq ?? 0;
  const head = await readAuditHead(database.db);
  const toSeq = Math.min(head.seq, from + MAX_STATUS_STEP);
  // Checkpoints first, events next (as verifyStoredAuditLog): one committed meanwhile is not taken for a cut.
  const checkpoints = await readAuditCheckpoints(database.db, { afterSeq: from, toSeq });
  const builder = new MerkleBuilder(log?.merkle);
  const { verification, prefix } = await verifyAuditLogFrom({
    events: readEventsToVerify(database.db, { afterSeq: from, toSeq }),
    checkpoints,
    ...(publicKey === undefined ? {} : { publicKey }),
    merkle: { append: (hash) => builder.appendTrusted(hash), root: () => builder.root() },
    ...(log === undefined ? {} : { resume: log.prefix }),
  });
  if (prefix !== undefined) verifiedLogs.set(database, { prefix, merkle: builder.state() });
  else verifiedLogs.delete(database);
  return { verification, headSeq: head.seq };
}

function sharedStep(database: Database, publicKey: KeyObject | undefined): Promise<StepResult> {
  const underWay = stepsUnderWay.get(database);
  if (underWay !== undefined) return underWay;
  const step = verifyStep(database, publicKey).finally(() => stepsUnderWay.delete(database));
  stepsUnderWay.set(database, step);
  return step;
}

/** Whether the witness file holds only checkpoints the database holds; read again only when the file changed. */
async function witnessStatus(database: Database, path: string | undefined): Promise<AuditStatusView['witness']> {
  if (path === undefined) return { configured: false };
  let file: { size: number; mtimeMs: number };
  try {
    file = await stat(path);
  } catch {
    return { configured: true, message: 'the witness holds no checkpoint yet' };
  }
  const known = witnessReads.get(path);
  if (known !== undefined && known.size === file.size && known.mtimeMs === file.mtimeMs) return known.status;
  const status = compareWitness(await readWitness(path), await readAuditCheckpoints(database.db));
  witnessReads.set(path, { size: file.size, mtimeMs: file.mtimeMs, status });
  return status;
}

async function readWitness(path: string): Promise<SignedCheckpoint[] | string> {
  try {
    return parseWitnessLines(await readFile(path, 'utf8'), basename(path));
  } catch (error) {
    // A damaged witness is a finding to show, not a failure of the page (its messages name only the line).
    if (isAppError(error)) return error.message;
    return 'the witness file could not be read';
  }
}

/** The witness's verdict on the database's checkpoints. */
export function compareWitness(
  witness: readonly SignedCheckpoint[] | string,
  database: readonly SignedCheckpoint[],
): AuditStatusView['witness'] {
  if (typeof witness === 'string') return { configured: true, agrees: false, message: witness };
  if (witness.length === 0) return { configured: true, message: 'the witness holds no checkpoint yet' };
  const bySize = new Map(database.map((checkpoint) => [checkpoint.size, checkpoint]));
  const lastWitnessedSeq = Math.max(...witness.map((checkpoint) => checkpoint.size));
  for (const checkpoint of witness) {
    const ours = bySize.get(checkpoint.size);
    if (ours === undefined || !sameCheckpoint(ours, checkpoint)) {
      const message =
        ours === undefined
          ? `the witness holds a checkpoint at size ${checkpoint.size} that the database does not`
          : `the witness's checkpoint at size ${checkpoint.size} differs from the database's`;
      return { configured: true, agrees: false, lastWitnessedSeq, message };
    }
  }
  return { configured: true, agrees: true, lastWitnessedSeq };
}

/**
 * The log's verification status. Invariants: `verifiedThroughSeq` only counts events proven good against the
 * chain and every checkpoint up to them (and their signatures, when the server holds the signing key); one call
 * verifies at most `MAX_STATUS_STEP` new events; a problem is reported, never thrown.
 */
export async function readAuditStatus(app: AppContext): Promise<AuditStatusView> {
  const publicKey = app.auditSigningKey === undefined ? undefined : createPublicKey(app.auditSigningKey);
  let step: StepResult;
  let lastCheckpoint: SignedCheckpoint | undefined;
  try {
    step = await sharedStep(app.database, publicKey);
    lastCheckpoint = await readLastAuditCheckpoint(app.database.db);
  } catch (error) {
    throw toStoreError(error);
  }
  const { verification, headSeq } = step;
  const witness = await witnessStatus(app.database, app.auditWitnessPath);
  const problem = verification.problem;
  return {
    verifiedThroughSeq: verification.eventsVerified,
    headSeq,
    verifiedAt: iso(app.clock.now()),
    ok: verification.ok,
    ...(problem === undefined ? {} : { problem: { seq: problem.seq, kind: problem.kind, message: problem.message } }),
    ...(lastCheckpoint === undefined
      ? {}
      : { lastCheckpoint: { seq: lastCheckpoint.size, at: iso(lastCheckpoint.time), keyId: lastCheckpoint.keyId } }),
    witness,
  };
}
