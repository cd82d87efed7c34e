/**
 * Offline verification of the audit log (SPEC §2.10, `audit verify`): one pass over the events in `seq` order,
 * holding only the previous hashes and the Merkle compact range, that names the first bad sequence number.
 *
 * How each kind of tampering shows, and how the kinds are told apart:
 * - `modified`: an event's hash does not match its content (edited in place). Also reported at seq n−1 when
 *   every event is self-consistent but event n's `prevHash` is not the hash of event n−1: event n−1 was
 *   rewritten with a recomputed hash (or, less likely, events after it were deleted and the rest renumbered
 *   with recomputed hashes; the two look the same).
 * - `deleted`: a gap in `seq` (event n missing, n+1 follows n−1), or the log starts after seq 1.
 * - `reordered`: a gap in `seq` whose missing numbers turn up later in the stream. After a gap the rest of the
 *   stream is scanned (seq numbers only) to tell this from `deleted`.
 * - `inserted`: two events claim the same `seq` (reported at that seq), or event n+1 links to the same
 *   predecessor as event n (n was slipped in and later events renumbered; reported at n).
 * - `truncated`: the log ends before the size of a signed checkpoint (database or witness).
 * - `checkpoint_mismatch`: the chain head or Merkle root at a checkpoint's size differs from the checkpoint —
 *   typically history rewritten with a recomputed chain. Reported at the first seq after the last checkpoint
 *   that matched (the change lies between that and the checkpoint's size; the message says so) — unless the
 *   event after the checkpoint shows an insertion or a rewrite at or before its size, which is then named.
 * - `bad_signature`: a checkpoint that the given public key did not sign; reported at its size.
 * - `witness_mismatch`: a witness holds a checkpoint that the database lacks or holds differently; at its size.
 * Problems are met in stream order, so the one reported is the earliest; at one checkpoint size a bad
 * signature comes before a content mismatch, which comes before a witness disagreement. Without a public key
 * signatures are not checked (`signaturesChecked: false`) and checkpoints only corroborate the chain.
 */
import { hash as oneShotHash, type KeyObject } from 'node:crypto';
import { GENESIS_HASH, hashEvent, type AuditHead, type VerifiableAuditEvent } from './audit-event.js';
import { sameCheckpoint, verifyCheckpointSignature, type SignedCheckpoint } from './checkpoint.js';
import { EMPTY_TREE_ROOT, MerkleBuilder } from './merkle.js';

export const AUDIT_PROBLEM_KINDS = [
  'modified',
  'deleted',
  'inserted',
  'reordered',
  'truncated',
  'checkpoint_mismatch',
  'bad_signature',
  'witness_mismatch',
] as const;
export type AuditProblemKind = (typeof AUDIT_PROBLEM_KINDS)[number];

export interface AuditProblem {
  readonly kind: AuditProblemKind;
  /** The first bad sequence number. */
  readonly seq: number;
  /** A sentence naming what is wrong and where. */
  readonly message: string;
}

export interface AuditVerification {
  readonly ok: boolean;
  /** Events proven good: all of them when `ok`, else those before `firstBadSeq`. */
  readonly eventsVerified: number;
  /** Database checkpoints whose signature (when checked) and content matched the log. */
  readonly checkpointsVerified: number;
  /** Witness checkpoints that matched both the log and the database. */
  readonly witnessCheckpointsVerified: number;
  /** Whether checkpoint signatures were checked (a public key was given). */
  readonly signaturesChecked: boolean;
  /** The verified log's end and Merkle root, when `ok`. */
  readonly head?: AuditHead;
  readonly root?: string;
  readonly firstBadSeq?: number;
  readonly problem?: AuditProblem;
}

/**
 * An event as the database renders it for verification (`readEventsToVerify` in audit-store.ts): `text` is the
 * event's stored `hash` and `prevHash`, exactly {@link HASH_LENGTH} characters each, followed by its canonical
 * body; so `text.slice(HASH_LENGTH)` is exactly what {@link hashEvent} hashes. One string per event is much
 * cheaper to read out of the database than eight values.
 */
export interface RenderedAuditEvent {
  readonly seq: number;
  readonly text: string;
}

/** Characters of a hex SHA-256 hash. */
export const HASH_LENGTH = 64;

/** Any event verification accepts: `details` as an object or as text, or the whole hashed text rendered. */
export type VerifierEvent = VerifiableAuditEvent | RenderedAuditEvent;

/**
 * The log's Merkle tree as the verifier grows it: `append` is called with each event's hash once the event is
 * proven good, in order, and `root` for the tree of everything appended so far. By default a {@link MerkleBuilder}
 * on this thread; `audit verify` on a large log builds it on another thread (verify-merkle-thread.ts).
 */
export interface VerifierMerkleTree {
  append(eventHash: string): void;
  root(): string;
}

export interface VerifyAuditLogInput {
  /**
   * Every event, in ascending `seq` order as the store returns them, one at a time or in pages (arrays): a page
   * read from the database is checked in one go, which spares an asynchronous step per event.
   */
  readonly events:
    Iterable<VerifierEvent | readonly VerifierEvent[]> | AsyncIterable<VerifierEvent | readonly VerifierEvent[]>;
  /** The checkpoints the database holds, in any order. */
  readonly checkpoints: readonly SignedCheckpoint[];
  readonly publicKey?: KeyObject;
  /** Checkpoints read from a witness (e.g. `readWitnessFile`), in any order. */
  readonly witness?: readonly SignedCheckpoint[];
  /** Where the Merkle tree is built; default: a {@link MerkleBuilder} on this thread. */
  readonly merkle?: VerifierMerkleTree;
  /**
   * Go on from a prefix an earlier verification of this log found good: `events` start after `resume.seq`,
   * `merkle` already holds the prefix's leaves, and checkpoints at or below `resume.seq` are not checked again.
   */
  readonly resume?: VerifiedPrefix;
}

/** Where a verification that found everything good stopped: enough to go on from the next event. */
export interface VerifiedPrefix {
  /** The last event verified. */
  readonly seq: number;
  /** Its hash. */
  readonly hash: string;
  /** The hash it links to, to recognise an event inserted right after it. */
  readonly prevHash: string;
  /** The size of the last checkpoint that matched (0 for none). */
  readonly lastMatchedSize: number;
}

type Source = 'database' | 'witness';

interface PlannedCheck {
  readonly checkpoint: SignedCheckpoint;
  readonly source: Source;
  readonly signatureProblem?: string;
  readonly witnessProblem?: string;
}

function planChecks(input: VerifyAuditLogInput): PlannedCheck[] {
  const signatureProblem = (checkpoint: SignedCheckpoint): string | undefined => {
    if (input.publicKey === undefined) return undefined;
    const check = verifyCheckpointSignature(checkpoint, input.publicKey);
    return check.valid ? undefined : check.reason.message;
  };
  const databaseBySize = new Map<number, SignedCheckpoint[]>();
  const checks: PlannedCheck[] = [];
  for (const checkpoint of input.checkpoints) {
    databaseBySize.set(checkpoint.size, [...(databaseBySize.get(checkpoint.size) ?? []), checkpoint]);
    checks.push({ checkpoint, source: 'database', signatureProblem: signatureProblem(checkpoint) });
  }
  for (const checkpoint of input.witness ?? []) {
    const same = databaseBySize.get(checkpoint.size) ?? [];
    const witnessProblem =
      same.length === 0
        ? `the witness holds a checkpoint at size ${checkpoint.size} that the database does not`
        : same.some((candidate) => sameCheckpoint(candidate, checkpoint))
          ? undefined
          : `the witness's checkpoint at size ${checkpoint.size} differs from the database's`;
    checks.push({ checkpoint, source: 'witness', signatureProblem: signatureProblem(checkpoint), witnessProblem });
  }
  // Stable sort: at one size, database checkpoints are checked before witness copies.
  return checks.sort((a, b) => a.checkpoint.size - b.checkpoint.size);
}

/** The streaming state machine: `push` each event, then `finish`. */
class LogVerifier {
  #expected = 1;
  #prevHash = GENESIS_HASH;
  /** `prevHash` of the last good event, to recognise an event that skips over its predecessor. */
  #lastLink: string | undefined;
  #nextCheck = 0;
  #lastMatchedSize = 0;
  #checkpointsVerified = 0;
  #witnessVerified = 0;
  #problem: AuditProblem | undefined;
  /** A checkpoint that disagrees with the log, held for one more event that may locate the change exactly. */
  #pendingMismatch: { readonly problem: AuditProblem; readonly size: number } | undefined;
  /** Missing seq numbers after a gap, watched for turning up later (reordering). */
  #gap: { readonly from: number; readonly to: number } | undefined;

  constructor(
    private readonly checks: readonly PlannedCheck[],
    private readonly signaturesChecked: boolean,
    private readonly merkle: VerifierMerkleTree,
    resume?: VerifiedPrefix,
  ) {
    if (resume === undefined) {
      this.#runChecks(0, GENESIS_HASH);
      return;
    }
    this.#expected = resume.seq + 1;
    this.#prevHash = resume.hash;
    this.#lastLink = resume.prevHash;
    this.#lastMatchedSize = resume.lastMatchedSize;
    const next = checks.findIndex((check) => check.checkpoint.size > resume.seq);
    this.#nextCheck = next === -1 ? checks.length : next;
  }

  /** The prefix verified so far, while nothing is wrong: where a later verification may go on from. */
  verifiedPrefix(): VerifiedPrefix | undefined {
    if (this.#problem !== undefined || this.#pendingMismatch !== undefined) return undefined;
    return {
      seq: this.#expected - 1,
      hash: this.#prevHash,
      prevHash: this.#lastLink ?? GENESIS_HASH,
      lastMatchedSize: this.#lastMatchedSize,
    };
  }

  /** Returns false once further events cannot change the verdict. */
  push(event: VerifierEvent): boolean {
    if (this.#problem !== undefined) return this.#watchGap(event.seq);
    const link = linkOf(event);
    const problem = this.#inspect(event.seq, link);
    const pending = this.#pendingMismatch;
    if (pending !== undefined) {
      // The event after a mismatching checkpoint may pin the change down exactly (an insertion or a rewrite
      // at or before the checkpoint's size): prefer that to the checkpoint's range.
      const sharper =
        problem !== undefined &&
        (problem.kind === 'inserted' || problem.kind === 'modified') &&
        problem.seq >= pending.problem.seq &&
        problem.seq <= pending.size;
      this.#problem = sharper ? problem : pending.problem;
      this.#pendingMismatch = undefined;
      this.#gap = undefined;
      return false;
    }
    if (problem !== undefined) {
      this.#problem = problem;
      return this.#gap !== undefined;
    }
    this.merkle.append(link.hash);
    this.#lastLink = link.prevHash;
    this.#prevHash = link.hash;
    this.#expected = event.seq + 1;
    this.#runChecks(event.seq, link.hash);
    return this.#problem === undefined;
  }

  /** What is wrong with the next event on its own and against its predecessor, if anything. */
  #inspect(seq: number, link: Link): AuditProblem | undefined {
    const expected = this.#expected;
    if (!Number.isSafeInteger(seq)) {
      return problemAt('modified', expected, `the event after seq ${expected - 1} has no valid seq`);
    }
    if (!link.hashMatches) {
      return problemAt('modified', Math.min(seq, expected), `event ${seq}'s hash does not match its content`);
    }
    if (seq > expected) {
      this.#gap = { from: expected, to: seq - 1 };
      const missing = seq - 1 === expected ? `event ${expected} is` : `events ${expected}–${seq - 1} are`;
      const after = expected === 1 ? 'the start of the log' : `event ${expected - 1}`;
      return problemAt('deleted', expected, `${missing} missing: event ${seq} follows ${after}`);
    }
    if (seq < expected) {
      return problemAt('inserted', seq, `two events claim seq ${seq} (the second follows event ${expected - 1})`);
    }
    if (link.prevHash === this.#prevHash) return undefined;
    if (seq === 1) return problemAt('modified', 1, 'event 1 does not start from the genesis hash');
    if (link.prevHash === this.#lastLink) {
      return problemAt(
        'inserted',
        seq - 1,
        `event ${seq - 1} was inserted: event ${seq} links past it to event ${seq - 2}`,
      );
    }
    return problemAt(
      'modified',
      seq - 1,
      `event ${seq - 1} was rewritten with a recomputed hash: event ${seq} links to a different event ${seq - 1}`,
    );
  }

  finish(): AuditVerification {
    const last = this.#expected - 1;
    if (this.#pendingMismatch !== undefined) this.#problem = this.#pendingMismatch.problem;
    const remaining = this.checks[this.#nextCheck];
    if (this.#problem === undefined && remaining !== undefined) {
      const { checkpoint, source } = remaining;
      if (remaining.signatureProblem !== undefined) {
        this.#problem = problemAt('bad_signature', checkpoint.size, `${source} ${remaining.signatureProblem}`);
      } else {
        this.#problem = problemAt(
          'truncated',
          last + 1,
          `the log ends at seq ${last} but the ${source} checkpoint at size ${checkpoint.size} covers more: events ${last + 1}–${checkpoint.size} are missing`,
        );
      }
    }
    const common = {
      checkpointsVerified: this.#checkpointsVerified,
      witnessCheckpointsVerified: this.#witnessVerified,
      signaturesChecked: this.signaturesChecked,
    };
    const problem = this.#problem;
    if (problem === undefined) {
      return {
        ok: true,
        eventsVerified: last,
        ...common,
        head: { seq: last, hash: this.#prevHash },
        root: this.merkle.root(),
      };
    }
    const eventsVerified = Math.max(0, Math.min(last, problem.seq - 1));
    return { ok: false, eventsVerified, ...common, firstBadSeq: problem.seq, problem };
  }

  #watchGap(seq: number): boolean {
    const gap = this.#gap;
    if (gap === undefined) return false;
    if (seq >= gap.from && seq <= gap.to) {
      this.#problem = {
        kind: 'reordered',
        seq: gap.from,
        message: `event ${seq} appears out of order, after events that follow it`,
      };
      this.#gap = undefined;
      return false;
    }
    return true;
  }

  #runChecks(size: number, head: string): void {
    let root: string | undefined;
    for (let check = this.checks[this.#nextCheck]; check !== undefined && check.checkpoint.size <= size;) {
      root ??= size === 0 ? EMPTY_TREE_ROOT : this.merkle.root();
      const problem = this.#evaluate(check, size, head, root);
      if (problem?.kind === 'checkpoint_mismatch') {
        this.#pendingMismatch = { problem, size };
        return;
      }
      if (problem !== undefined) {
        this.#problem = problem;
        return;
      }
      this.#nextCheck += 1;
      check = this.checks[this.#nextCheck];
    }
  }

  #evaluate(check: PlannedCheck, size: number, head: string, root: string): AuditProblem | undefined {
    const { checkpoint, source } = check;
    if (check.signatureProblem !== undefined) {
      return { kind: 'bad_signature', seq: checkpoint.size, message: `${source} ${check.signatureProblem}` };
    }
    if (checkpoint.size !== size || checkpoint.head !== head || checkpoint.root !== root) {
      const what = checkpoint.head !== head ? 'chain head' : 'Merkle root';
      const from = this.#lastMatchedSize + 1;
      return {
        kind: 'checkpoint_mismatch',
        seq: Math.min(from, Math.max(size, 1)),
        message: `the log's ${what} at size ${checkpoint.size} differs from the ${source} checkpoint: history between seq ${from} and ${checkpoint.size} was rewritten`,
      };
    }
    if (check.witnessProblem !== undefined) {
      return { kind: 'witness_mismatch', seq: checkpoint.size, message: check.witnessProblem };
    }
    this.#lastMatchedSize = size;
    if (source === 'database') this.#checkpointsVerified += 1;
    else this.#witnessVerified += 1;
    return undefined;
  }
}

/** An event's place in the chain: the hash it links to, its own hash, and whether that matches its content. */
interface Link {
  readonly prevHash: string;
  readonly hash: string;
  readonly hashMatches: boolean;
}

function linkOf(event: VerifierEvent): Link {
  if (!('text' in event)) {
    const { prevHash, hash } = event;
    // A prevHash that is not text (a tampered column) cannot be hashed, and matches nothing.
    return { prevHash, hash, hashMatches: typeof prevHash === 'string' && hashEvent(prevHash, event) === hash };
  }
  const { text } = event;
  const hash = oneShotHash('sha256', text.slice(HASH_LENGTH), 'hex');
  return {
    prevHash: text.slice(HASH_LENGTH, 2 * HASH_LENGTH),
    hash,
    // The stored hash is the text's first HASH_LENGTH characters.
    hashMatches: hash.length === HASH_LENGTH && text.startsWith(hash),
  };
}

function localMerkleTree(): VerifierMerkleTree {
  const builder = new MerkleBuilder();
  // The verifier appends hashes it has just recomputed itself: no need to check their format again.
  return { append: (eventHash) => builder.appendTrusted(eventHash), root: () => builder.root() };
}

function problemAt(kind: AuditProblemKind, seq: number, message: string): AuditProblem {
  return { kind, seq, message };
}

function isAsyncIterable<T>(value: Iterable<T> | AsyncIterable<T>): value is AsyncIterable<T> {
  return Symbol.asyncIterator in value;
}

function isPage(item: VerifierEvent | readonly VerifierEvent[]): item is readonly VerifierEvent[] {
  return Array.isArray(item);
}

/** Pushes one event or a page of them; false once further events cannot change the verdict. */
function pushItem(verifier: LogVerifier, item: VerifierEvent | readonly VerifierEvent[]): boolean {
  if (!isPage(item)) return verifier.push(item);
  for (const event of item) if (!verifier.push(event)) return false;
  return true;
}

/**
 * Verifies an audit log against its checkpoints and, optionally, a witness's copies; reads `events` once and
 * stops early at the first problem (after a gap it keeps reading seq numbers to recognise reordering).
 * Never throws for tampered data: the verdict is in the result.
 */
export async function verifyAuditLog(input: VerifyAuditLogInput): Promise<AuditVerification> {
  return (await verifyAuditLogFrom(input)).verification;
}

/**
 * {@link verifyAuditLog}, also answering the prefix it found good when the whole log was (`undefined` otherwise),
 * so that a later call can go on from it (`resume`) instead of reading the log again.
 */
export async function verifyAuditLogFrom(
  input: VerifyAuditLogInput,
): Promise<{ verification: AuditVerification; prefix?: VerifiedPrefix }> {
  if (input.resume !== undefined && input.merkle === undefined) {
    throw new Error("resuming a verification needs the Merkle tree of the verified prefix ('merkle')");
  }
  const merkle = input.merkle ?? localMerkleTree();
  const verifier = new LogVerifier(planChecks(input), input.publicKey !== undefined, merkle, input.resume);
  const { events } = input;
  if (isAsyncIterable(events)) {
    for await (const item of events) if (!pushItem(verifier, item)) break;
  } else {
    for (const item of events) if (!pushItem(verifier, item)) break;
  }
  const verification = verifier.finish();
  const prefix = verification.ok ? verifier.verifiedPrefix() : undefined;
  return prefix === undefined ? { verification } : { verification, prefix };
}
