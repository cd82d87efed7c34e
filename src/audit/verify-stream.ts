/**
 * Verification of a consumer's copy of the audit stream (`countersign audit verify --from-stream FILE`): the lines
 * a sink delivered (stream-record.ts), checked like the log itself (verify.ts) for continuity (`seq`, `prevHash`),
 * every hash, and agreement with the signed checkpoints.
 *
 * What differs from verifying the database:
 * - **Duplicates are tolerated.** Delivery is at least once: after an outage a sink may receive a range again. A
 *   line whose `seq` was already seen with the same hash is skipped; the same `seq` with a different hash means
 *   one of the two copies was changed, reported as `modified` at that seq.
 * - **The copy may end before the newest checkpoint** (the stream lags, or the copy was cut): checkpoints beyond
 *   its last event cannot be checked and are counted in `checkpointsBeyondCopy`, not reported as a truncation.
 *   A missing range *inside* the copy is a gap (`deleted`), and a range that turns up later is `reordered`.
 * - Lines that are not stream records, and records of another installation, are named by line number.
 */
import type { KeyObject } from 'node:crypto';
import { canonicalDigest } from '../core/canonical-json.js';
import type { AuditEvent } from './audit-event.js';
import type { SignedCheckpoint } from './checkpoint.js';
import { MerkleBuilder } from './merkle.js';
import { parseStreamLine } from './stream-record.js';
import { verifyAuditLog, type AuditProblem, type AuditVerification, type VerifierMerkleTree } from './verify.js';

export interface VerifyStreamCopyInput {
  /** The copy's lines, in the order the consumer received them; blank lines are ignored. */
  readonly lines: AsyncIterable<string> | Iterable<string>;
  readonly checkpoints: readonly SignedCheckpoint[];
  readonly publicKey?: KeyObject;
}

export interface StreamCopyVerification extends AuditVerification {
  /** Lines skipped as repeated deliveries of an event already read. */
  readonly duplicates: number;
  /** Checkpoints whose size lies beyond the copy's last event: not checked. */
  readonly checkpointsBeyondCopy: number;
  /** The installation the records name. */
  readonly installation?: string;
}

interface StreamReadState {
  duplicates: number;
  installation?: string;
  last?: { readonly seq: number; readonly hash: string };
  problem?: AuditProblem;
}

/** Events in first-seen order without repeats; stops at the first line that cannot be read, noting why. */
async function* distinctEvents(
  lines: AsyncIterable<string> | Iterable<string>,
  state: StreamReadState,
): AsyncGenerator<AuditEvent> {
  const seen = new Map<number, { readonly digest: string; readonly line: number }>();
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber += 1;
    if (line.trim() === '') continue;
    const parsed = parseStreamLine(line);
    const after = state.last?.seq ?? 0;
    if (!parsed.ok) {
      state.problem = { kind: 'modified', seq: after + 1, message: `line ${lineNumber}: ${parsed.message}` };
      return;
    }
    state.installation ??= parsed.installation;
    if (parsed.installation !== state.installation) {
      state.problem = {
        kind: 'inserted',
        seq: parsed.event.seq,
        message: `line ${lineNumber} comes from installation '${parsed.installation}', the copy from '${state.installation}'`,
      };
      return;
    }
    const { event } = parsed;
    // The whole record's digest, not its `hash` field: a repeat edited without touching `hash` is not a repeat.
    const digest = canonicalDigest(event);
    const earlier = seen.get(event.seq);
    if (earlier !== undefined) {
      if (earlier.digest === digest) {
        state.duplicates += 1;
        continue;
      }
      state.problem = {
        kind: 'modified',
        seq: event.seq,
        message: `event ${event.seq} appears on lines ${earlier.line} and ${lineNumber} with different content`,
      };
      return;
    }
    seen.set(event.seq, { digest, line: lineNumber });
    if (event.seq > after) state.last = { seq: event.seq, hash: event.hash };
    yield event;
  }
}

/**
 * Verifies a consumer's copy of the stream against the signed checkpoints; never throws for bad data (the
 * verdict names the first bad seq). The copy must start at seq 1: the checkpoints commit to the whole log.
 */
export async function verifyStreamCopy(input: VerifyStreamCopyInput): Promise<StreamCopyVerification> {
  const state: StreamReadState = { duplicates: 0 };
  const builder = new MerkleBuilder();
  const merkle: VerifierMerkleTree = { append: (hash) => builder.appendTrusted(hash), root: () => builder.root() };
  const result = await verifyAuditLog({
    events: distinctEvents(input.lines, state),
    checkpoints: input.checkpoints,
    publicKey: input.publicKey,
    merkle,
  });
  const end = state.last?.seq ?? 0;
  const beyond = input.checkpoints.filter((checkpoint) => checkpoint.size > end).length;
  const common = { duplicates: state.duplicates, checkpointsBeyondCopy: beyond, installation: state.installation };
  const streamProblem = state.problem;
  const logProblem = result.problem;
  // A problem the log verifier met first (earlier in the copy) wins over why reading stopped.
  if (logProblem !== undefined && logProblem.kind !== 'truncated') return { ...result, ...common };
  if (streamProblem !== undefined) {
    return {
      ...result,
      ...common,
      ok: false,
      eventsVerified: Math.max(0, Math.min(end, streamProblem.seq - 1)),
      head: undefined,
      root: undefined,
      firstBadSeq: streamProblem.seq,
      problem: streamProblem,
    };
  }
  if (logProblem === undefined) return { ...result, ...common };
  // `truncated`: every event of the copy verified, and the checkpoints beyond its end cannot be checked.
  return {
    ok: true,
    eventsVerified: end,
    checkpointsVerified: result.checkpointsVerified,
    witnessCheckpointsVerified: 0,
    signaturesChecked: result.signaturesChecked,
    head: { seq: end, hash: state.last?.hash ?? '' },
    root: merkle.root(),
    ...common,
  };
}
