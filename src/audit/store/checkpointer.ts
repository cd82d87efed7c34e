/**
 * Signs checkpoints of the audit log in the database (SPEC §2.10): when one is due (`checkpointDue`: every N
 * events or T seconds), the RFC 6962 root over the log up to its current head is signed with the Ed25519
 * audit key, inserted into `audit_checkpoints`, and — only after that commit — published to the witnesses.
 *
 * The Merkle compact range is kept in memory and extended with the events appended since the last run, so a
 * checkpoint costs O(new events). `audit_checkpoints` has no column for the compact range, so a checkpointer
 * rebuilds it once, on its first run, by reading every event's hash (about a second per million events);
 * from then on it reads only the events after the ones it has seen. While reading it checks that each event
 * links to the one before and that the log still matches the last signed checkpoint: it never signs on top
 * of a history that no longer extends what was signed (that calls for `countersign audit verify`).
 *
 * Replicas: each run takes the named lease `audit.checkpointer`, so one replica at a time checkpoints; the
 * insert also re-checks the newest checkpoint in its transaction, so a checkpoint never goes backwards.
 * This class is one run at a time (`tick`, `checkpointNow`); `server/` runs `tick` in a `PeriodicWorker`, which
 * gives the lease back when the server stops.
 */
import { hostname } from 'node:os';
import { reason, type Reason } from '../../core/decision.js';
import { AppError } from '../../core/errors.js';
import { GENESIS_HASH } from '../audit-event.js';
import type { AuditKeys } from './audit-keys.js';
import { readAuditHead, readAuditLinks, readLastAuditCheckpoint } from './audit-store.js';
import { checkpointDue, signCheckpoint, type CheckpointPolicy, type SignedCheckpoint } from '../checkpoint.js';
import { MerkleBuilder } from '../merkle.js';
import type { AuditWitness } from '../witness.js';
import type { Clock } from '../../core/clock.js';
import { newId } from '../../core/clock.js';
import type { Database } from '../../store/database.js';
import { classifyStoreError } from '../../store/errors.js';
import { NamedLease } from '../../store/lease.js';

export const CHECKPOINTER_LEASE = 'audit.checkpointer';
export const DEFAULT_CHECKPOINT_POLICY: CheckpointPolicy = { everyEvents: 1000, everySeconds: 60 };

/** The slice of a logger (pino's shape) the checkpointer writes to. */
export interface CheckpointerLogger {
  error(fields: Readonly<Record<string, unknown>>, message: string): void;
}

export interface CheckpointerOptions {
  readonly database: Database;
  /** The signing key (`loadAuditKeys` / `ensureAuditKeys`). */
  readonly keys: Pick<AuditKeys, 'privateKey'>;
  readonly clock: Clock;
  /** When a checkpoint is due (default: every 1000 events or 60 s). */
  readonly policy?: CheckpointPolicy;
  /** Where each committed checkpoint is copied, e.g. a `JsonlFileWitness`. */
  readonly witnesses?: readonly AuditWitness[];
  /** Stable id of this process in the lease (default `host:pid:random`). */
  readonly owner?: string;
  /** How long the lease holds between runs (default 30 s; longer than a run takes). */
  readonly leaseMs?: number;
  /** Time between due-checks, for the worker that runs `tick` (default 1000 ms). */
  readonly intervalMs?: number;
  readonly logger?: CheckpointerLogger;
}

export type CheckpointSkip = 'not_due' | 'lease_held_elsewhere' | 'already_checkpointed';

export interface CheckpointRun {
  /** The checkpoint committed by this run, if any. */
  readonly checkpoint?: SignedCheckpoint;
  /** Why a checkpoint was (or was not) made. */
  readonly reason?: Reason;
  readonly skipped?: CheckpointSkip;
  /** Witness copies that failed in this run; they are retried on the next run. */
  readonly witnessFailures: number;
}

const stderrLogger: CheckpointerLogger = {
  error: (fields, message) => process.stderr.write(`${JSON.stringify({ level: 'error', message, ...fields })}\n`),
};

export class Checkpointer {
  readonly owner: string;
  readonly intervalMs: number;
  /** `audit.checkpointer`, taken or renewed by every run. */
  readonly lease: NamedLease;
  readonly #options: CheckpointerOptions;
  readonly #policy: CheckpointPolicy;
  readonly #logger: CheckpointerLogger;
  /** The compact range over events 1 … `#merkle.size`, and the hash of the last of them. */
  #merkle: MerkleBuilder | undefined;
  #lastHash = GENESIS_HASH;
  /** Committed checkpoints each witness has not yet acknowledged. */
  readonly #unpublished = new Map<AuditWitness, SignedCheckpoint[]>();
  /** Runs one at a time, whoever asks (the worker's `tick`, shutdown's `checkpointNow`): the compact range is shared state. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: CheckpointerOptions) {
    this.#options = options;
    this.owner = options.owner ?? `${hostname()}:${process.pid}:${newId('ckp')}`;
    const policy = options.policy ?? DEFAULT_CHECKPOINT_POLICY;
    if (!(policy.everyEvents >= 1) || !(policy.everySeconds > 0)) {
      throw new AppError('invalid', 'a checkpoint policy needs everyEvents ≥ 1 and everySeconds > 0');
    }
    this.#policy = policy;
    this.intervalMs = Math.max(1, options.intervalMs ?? 1000);
    this.lease = new NamedLease(options.database.db, {
      name: CHECKPOINTER_LEASE,
      owner: this.owner,
      leaseMs: Math.max(1000, options.leaseMs ?? 30_000),
      now: () => options.clock.now(),
    });
    this.#logger = options.logger ?? stderrLogger;
    for (const witness of options.witnesses ?? []) this.#unpublished.set(witness, []);
  }

  /** Checkpoints if one is due under the policy. */
  tick(): Promise<CheckpointRun> {
    return this.#serialised(() => this.#run(false));
  }

  /** Checkpoints now if any event follows the last checkpoint (for tests and orderly shutdown). */
  checkpointNow(): Promise<CheckpointRun> {
    return this.#serialised(() => this.#run(true));
  }

  #serialised<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(work, work);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async #run(force: boolean): Promise<CheckpointRun> {
    const { database, clock } = this.#options;
    const now = clock.now();
    if (!(await this.lease.hold()))
      return { skipped: 'lease_held_elsewhere', witnessFailures: await this.#publishPending() };
    const last = await readLastAuditCheckpoint(database.db);
    const head = await readAuditHead(database.db);
    const due = force
      ? head.seq > (last?.size ?? 0)
        ? reason('checkpoint.requested', `checkpoint requested with ${head.seq - (last?.size ?? 0)} events pending`)
        : undefined
      : checkpointDue(last, head.seq, now, this.#policy);
    if (due === undefined) return { skipped: 'not_due', witnessFailures: await this.#publishPending() };

    const merkle = await this.#catchUp(head.seq, last);
    const checkpoint = signCheckpoint(
      { size: merkle.size, head: this.#lastHash, root: merkle.root(), time: now },
      this.#options.keys.privateKey,
    );
    const inserted = await this.#insert(checkpoint);
    if (!inserted)
      return { skipped: 'already_checkpointed', reason: due, witnessFailures: await this.#publishPending() };
    for (const queue of this.#unpublished.values()) queue.push(checkpoint);
    return { checkpoint, reason: due, witnessFailures: await this.#publishPending() };
  }

  /**
   * Extends the compact range with events up to `toSeq`, checking their links and the last checkpoint on the
   * way. On any inconsistency the range is dropped (the next run rebuilds it) and `internal` is thrown.
   */
  async #catchUp(toSeq: number, last: SignedCheckpoint | undefined): Promise<MerkleBuilder> {
    const merkle = (this.#merkle ??= new MerkleBuilder());
    if (merkle.size === 0) this.#lastHash = GENESIS_HASH;
    const refuse = (problem: string): never => {
      this.#merkle = undefined;
      throw new AppError(
        'internal',
        `the audit log cannot be checkpointed: ${problem}; run 'countersign audit verify' to find out why`,
      );
    };
    for await (const link of readAuditLinks(this.#options.database.db, { afterSeq: merkle.size, toSeq })) {
      if (link.seq !== merkle.size + 1) refuse(`event ${merkle.size + 1} is missing`);
      if (link.prevHash !== this.#lastHash) refuse(`event ${link.seq} does not link to event ${merkle.size}`);
      merkle.append(link.hash);
      this.#lastHash = link.hash;
      if (last !== undefined && merkle.size === last.size && (last.head !== link.hash || last.root !== merkle.root())) {
        refuse(`the log no longer matches the signed checkpoint at size ${last.size}`);
      }
    }
    if (merkle.size !== toSeq) refuse(`events after seq ${merkle.size} could not be read`);
    return merkle;
  }

  /** Inserts the checkpoint unless one at least as large is already there; false when it was not inserted. */
  async #insert(checkpoint: SignedCheckpoint): Promise<boolean> {
    try {
      return await this.#options.database.db.transaction().execute(async (trx) => {
        const newest = await readLastAuditCheckpoint(trx);
        if (newest !== undefined && newest.size >= checkpoint.size) return false;
        await trx
          .insertInto('audit_checkpoints')
          .values({
            size: checkpoint.size,
            head: checkpoint.head,
            root: checkpoint.root,
            time: checkpoint.time,
            signature: checkpoint.signature,
            key_id: checkpoint.keyId,
          })
          .execute();
        return true;
      });
    } catch (error) {
      // Another replica whose lease had lapsed inserted the same size first: theirs stands.
      if (classifyStoreError(error) === 'unique_violation') return false;
      throw error;
    }
  }

  /** Sends every committed checkpoint a witness has not acknowledged yet; returns how many copies failed. */
  async #publishPending(): Promise<number> {
    let failures = 0;
    for (const [witness, queue] of this.#unpublished) {
      while (queue.length > 0) {
        const checkpoint = queue[0] as SignedCheckpoint;
        try {
          await witness.publish(checkpoint);
          queue.shift();
        } catch (error) {
          failures += queue.length;
          this.#logger.error(
            {
              job: 'audit.witness',
              size: checkpoint.size,
              error: error instanceof Error ? error.message : String(error),
            },
            'publishing an audit checkpoint to a witness failed; it will be retried',
          );
          break;
        }
      }
    }
    return failures;
  }
}
