/**
 * The server-to-client half of a proxied session: follows the upstream answers without buffering them, to
 * (1) put each refusal in the place of the statement it replaced and hide the stand-in's own answers,
 * (2) record each statement's outcome (command tag, rows, bytes, error, duration) and (3) keep the session's row
 * and byte budgets. It works by ReadyForQuery cycles: every Sync, Query (or stand-in) forwarded is answered by
 * exactly one ReadyForQuery, in order, so an answer always belongs to the oldest cycle not yet closed.
 * In a session with column masks it also (4) masks rows: each result's RowDescription says which fields to mask
 * (column-masks.ts). In the extended protocol the gate asks for a portal's description right before each Execute;
 * that answer is the rows' plan and is hidden from the client, whose own Describes are answered with the masked
 * fields retyped as text. Descriptions are answered in the order they were asked within a cycle, or not at all
 * once an error skipped the rest of it.
 */
import { performance } from 'node:perf_hooks';
import type { StatementError, StatementOutcome } from '../backend.js';
import { masksAny, maskDataRow, planRowDescription, type ResolvedMasks, type RowPlan } from './column-masks.js';
import { Backend, frame, readErrorFields } from './protocol/backend-messages.js';
import type { BackendSink, Verdict } from './protocol/backend-scanner.js';
import { Frontend } from './protocol/frontend-messages.js';
import { modelReads, UpstreamInput } from './upstream-input.js';
import type { Outcome } from './statement-names.js';

interface Cycle {
  /** A simple-protocol stand-in's cycle: its own answers are dropped and this refusal is answered instead. */
  readonly refusal?: Buffer;
}

/** A cycle as the tracker keeps it: with its number among all cycles opened (`nextCycle`), never renumbered. */
interface OpenCycle extends Cycle {
  readonly id: number;
}

/**
 * An extended-protocol stand-in's own error (an Execute of the session's refusal portal, replaced by the refusal),
 * exactly: the portal's name is random and never reaches the client, and the gate refuses any use of a reserved
 * portal name, so no statement of the client's raises 34000 with this message.
 */
function isStandInError(fields: ReadonlyMap<string, string>, standIn: StandIn): boolean {
  return fields.get('C') === '34000' && fields.get('M') === `portal "${standIn.portal}" does not exist`;
}

/** What a failed statement's record keeps of the server's error: SQLSTATE, message, and DETAIL and HINT if sent. */
function statementError(fields: ReadonlyMap<string, string>): StatementError {
  const detail = fields.get('D');
  const hint = fields.get('H');
  return {
    code: fields.get('C') ?? 'XX000',
    message: fields.get('M') ?? '',
    ...(detail === undefined ? {} : { detail }),
    ...(hint === undefined ? {} : { hint }),
  };
}

interface StandIn {
  cycle: number;
  readonly reply: Buffer;
  /** The refusal portal it executes. */
  readonly portal: string;
}

interface Pending {
  readonly seq: number;
  /** Ordinal of the cycle whose ReadyForQuery ends it at the latest. */
  cycle: number;
  /** A simple query (possibly several statements) ends at ReadyForQuery; an Execute at its first completion. */
  readonly untilReady: boolean;
  readonly startedAt: number;
  rows: number;
  bytes: number;
  commandTag?: string;
  taggedRows?: number;
  error?: StatementError;
}

export interface ResponseTrackerOptions {
  readonly emit: (bytes: Buffer) => void;
  readonly outcome: (seq: number, outcome: StatementOutcome) => void;
  readonly maxRows?: number;
  readonly maxBytes?: number;
  /** A budget is exhausted: the session must end (nothing more is emitted). */
  readonly onBudgetExhausted: (what: 'rows' | 'bytes') => void;
  /**
   * The session must end: the upstream server sent a FATAL error (`fatal`: its SQLSTATE and the message itself,
   * which is not passed on here — the session decides what the client reads last) or broke what the gateway
   * relies on (an encoding it cannot check, an answer nobody asked for).
   */
  readonly onUpstreamFatal: (reason: string, fatal?: { readonly code: string; readonly message: Buffer }) => void;
  /** The session's column masks and the key of the `hash` mask; no masking without. */
  readonly masking?: { readonly masks: ResolvedMasks; readonly hashKey: Uint8Array };
  /**
   * The server answered cycle `cycle` (a number `nextCycle` gave) with ReadyForQuery outside any transaction:
   * everything of a transaction forwarded in it or before it is gone on the server (portals above all).
   */
  readonly onIdle?: (cycle: number) => void;
  /** The server answered a cycle with ReadyForQuery (the session may read its client again). */
  readonly onAnswered?: () => void;
}

/** A Describe forwarded in a cycle: the client's own, or the gate's before an Execute (answered to nobody). */
interface AskedDescription {
  cycle: number;
  readonly injected: boolean;
}

export class ResponseTracker implements BackendSink {
  readonly #options: ResponseTrackerOptions;
  readonly #cycles: OpenCycle[] = [];
  /** How many cycles were ever opened: the number of the next one. */
  #opened = 0;
  readonly #pending: Pending[] = [];
  #issued = 0;
  #received = 0;
  readonly #standIns: StandIn[] = [];
  #rows = 0;
  #bytes = 0;
  readonly #descriptions: AskedDescription[] = [];
  /** How to mask the rows of the result being answered; undefined between results. */
  #plan: RowPlan | undefined;
  #planMasks = false;
  /**
   * An error that came while its batch was still open on the gate's side with no statement of it running: a
   * Parse, Bind or Describe that failed before the client's Execute reached the gate (a client that waits between
   * messages gets the error at once, since the server flushes errors). The server then skips every message up to
   * Sync, so the batch's next Execute is the statement that failed: it is recorded with this error rather than as
   * a statement that ran and answered nothing. Dropped at the batch's ReadyForQuery when no Execute came.
   */
  #earlyError: { cycle: number; readonly error: StatementError } | undefined;
  /** What the server does with each forwarded message: which Sync and Query it answers (upstream-input.ts). */
  readonly #input = new UpstreamInput();

  constructor(options: ResponseTrackerOptions) {
    this.#options = options;
  }

  /**
   * The gate sent the Execute of `portal` (its refusal portal) in place of a refused extended-protocol statement:
   * its error is answered as `reply`. When an earlier error of the batch made the server skip it, nothing is
   * answered for it (the client already has its error for the batch).
   */
  expectStandIn(reply: Buffer, portal: string): void {
    this.#standIns.push({ cycle: this.#issued, reply, portal });
  }

  /** Whether the client may send a message of `type` now (see `UpstreamInput.admits`). */
  admits(type: number): boolean {
    return this.#settle() && this.#input.admits(type);
  }

  /**
   * A message of `type` was forwarded upstream (a Sync or Query then opens a cycle with `expectReady`); `settled`
   * is told whether the server ran, failed or skipped it.
   */
  forwarded(type: number, settled?: (outcome: Outcome) => void): void {
    const opens = type === Frontend.sync || type === Frontend.query;
    this.#input.forwarded(type, opens ? this.#issued : undefined, settled);
  }

  /** A message that will be answered by one ReadyForQuery was forwarded. */
  expectReady(cycle: Cycle): void {
    this.#cycles.push({ ...cycle, id: this.#opened++ });
    this.#issued++;
  }

  /**
   * The number of the cycle a message forwarded now belongs to (the next Sync or Query closes it), for `onIdle`.
   * Unlike the positions the tracker follows, it is never renumbered when a cycle merges into the next: that
   * next one has a higher number, and its ReadyForQuery answers both.
   */
  get nextCycle(): number {
    return this.#opened;
  }

  /**
   * A recorded statement was forwarded: a simple query (`untilReady`, ends with the cycle it opens — call before
   * its `expectReady`) or an Execute (ends at its completion or the next ReadyForQuery).
   */
  expectStatement(seq: number, untilReady: boolean): void {
    const early = !untilReady && this.#earlyError?.cycle === this.#issued ? this.#earlyError.error : undefined;
    if (early) this.#earlyError = undefined;
    this.#pending.push({
      seq,
      cycle: this.#issued,
      untilReady,
      startedAt: performance.now(),
      rows: 0,
      bytes: 0,
      ...(early ? { error: early } : {}),
    });
  }

  /**
   * Whether a statement may be running upstream: a Query or Sync not answered by its ReadyForQuery yet, or an
   * Execute not finished (one followed by a Flush runs with no cycle open). A session ending cancels it.
   */
  get busy(): boolean {
    return this.#issued > this.#received || this.#pending.length > 0;
  }

  /** Cycles (Queries, Syncs) and Executes forwarded and not answered yet: what the tracker holds for each. */
  get unanswered(): number {
    return this.#cycles.length + this.#pending.length;
  }

  /** A Describe was forwarded (`injected`: by the gate, before an Execute); only followed with masks. */
  expectDescription(injected: boolean): void {
    if (this.#options.masking) this.#descriptions.push({ cycle: this.#issued, injected });
  }

  /** With masks, descriptions are read, and rows too while the result has masked fields. */
  inspects(type: number): boolean {
    if (modelReads(type)) return true;
    if (this.#options.masking === undefined) return false;
    return type === Backend.rowDescription || type === Backend.noData || (type === Backend.dataRow && this.#planMasks);
  }

  emit(bytes: Buffer): void {
    this.#options.emit(bytes);
  }

  streamed(type: number, bodyLength: number): boolean {
    if (type !== Backend.dataRow && type !== Backend.copyData) return true;
    // A CopyData of COPY … TO STDOUT is a row (the only CopyData a server sends outside replication).
    const rows = 1;
    this.#rows += rows;
    this.#bytes += bodyLength;
    const { maxRows, maxBytes } = this.#options;
    if (maxRows !== undefined && this.#rows > maxRows) return this.#exhausted('rows');
    if (maxBytes !== undefined && this.#bytes > maxBytes) return this.#exhausted('bytes');
    const head = this.#current();
    if (head) {
      head.rows += rows;
      head.bytes += bodyLength;
    }
    return true;
  }

  inspect(type: number, body: Buffer): Verdict {
    if (type === Backend.parameterStatus) return this.#parameter(body);
    const fields = type === Backend.errorResponse ? readErrorFields(body) : undefined;
    if (fields && (fields.get('S') === 'FATAL' || fields.get('S') === 'PANIC')) {
      const fatal = { code: fields.get('C') ?? 'XX000', message: frame(Backend.errorResponse, body) };
      // The reason goes to the gateway's log: the SQLSTATE, never the server's message, which may quote values.
      this.#options.onUpstreamFatal(`the upstream server ended the session (SQLSTATE ${fatal.code})`, fatal);
      return 'drop';
    }
    if (!this.#settle()) return 'drop';
    const broken = modelReads(type) ? this.#input.answered(type) : undefined;
    if (broken !== undefined) return this.#broken(broken);
    const cycle = this.#cycles[0];
    if (type === Backend.readyForQuery) return this.#ready(cycle, body);
    if (fields) {
      if (cycle?.refusal) return 'drop';
      this.#endResult();
      const standIn = this.#standIns[0];
      if (standIn?.cycle === this.#received && isStandInError(fields, standIn)) {
        this.#standIns.shift();
        return standIn.reply;
      }
      const error = statementError(fields);
      const head = this.#current();
      if (head) {
        head.error = error;
        if (!head.untilReady) this.#finish();
      } else if (this.#received === this.#issued) {
        // The cycle being answered is not closed by a Sync yet: its next Execute may still come (see #earlyError).
        this.#earlyError = { cycle: this.#received, error };
      }
      return 'pass';
    }
    if (cycle?.refusal) return 'drop';
    if (type === Backend.rowDescription || type === Backend.noData) return this.#described(type, body);
    if (type === Backend.dataRow) return this.#maskRow(body);
    if (type !== Backend.commandComplete && type !== Backend.emptyQueryResponse && type !== Backend.portalSuspended) {
      return 'pass'; // ParseComplete, BindComplete, CloseComplete, CopyInResponse: read by the model alone
    }
    this.#endResult();
    const head = this.#current();
    if (head && type === Backend.commandComplete) {
      head.commandTag = body.toString('utf8', 0, Math.max(0, body.length - 1));
      const counted = /(\d+)$/.exec(head.commandTag);
      if (counted) head.taggedRows = (head.taggedRows ?? 0) + Number(counted[1]);
    }
    if (head && !head.untilReady) this.#finish();
    return 'pass';
  }

  /**
   * Moves the model along the messages the server reads without answering; a Sync or Query it will never answer
   * merges its cycle into the next. False when the session must end.
   */
  #settle(): boolean {
    for (let step = this.#input.settle(); step !== undefined; step = this.#input.settle()) {
      if ('broken' in step || !this.#merge(step.swallowed)) {
        this.#broken('broken' in step ? step.broken : 'a Sync or Query the gateway did not send was skipped');
        return false;
      }
    }
    return true;
  }

  /** Cycle `ordinal` gets no ReadyForQuery: what waited for it waits for the next cycle's. */
  #merge(ordinal: number): boolean {
    const index = ordinal - this.#received;
    if (index < 0 || index >= this.#cycles.length) return false;
    this.#cycles.splice(index, 1);
    this.#issued--;
    for (const later of [...this.#pending, ...this.#standIns, ...this.#descriptions]) {
      if (later.cycle > ordinal) later.cycle--;
    }
    if (this.#earlyError !== undefined && this.#earlyError.cycle > ordinal) this.#earlyError.cycle--;
    this.#input.renumber(ordinal);
    return true;
  }

  /** The server did what the model cannot follow: the session ends (fail closed, nothing more is answered). */
  #broken(reason: string): 'drop' {
    this.#options.onUpstreamFatal(reason);
    return 'drop';
  }

  #ready(cycle: OpenCycle | undefined, body: Buffer): Verdict {
    if (cycle === undefined) {
      this.#options.onUpstreamFatal('the upstream server sent ReadyForQuery nobody asked for');
      return 'drop';
    }
    const ordinal = this.#received;
    this.#cycles.shift();
    this.#received++;
    this.#endResult();
    // Descriptions an error made the server skip are never answered.
    while (this.#descriptions[0] !== undefined && this.#descriptions[0].cycle <= ordinal) this.#descriptions.shift();
    while (this.#standIns[0] !== undefined && this.#standIns[0].cycle <= ordinal) this.#standIns.shift();
    while (this.#pending[0] !== undefined && this.#pending[0].cycle <= ordinal) this.#finish();
    if (this.#earlyError !== undefined && this.#earlyError.cycle <= ordinal) this.#earlyError = undefined;
    if (cycle.refusal) this.#options.emit(cycle.refusal);
    // Transaction status 'I': idle, no transaction open.
    if (body[0] === 0x49) this.#options.onIdle?.(cycle.id);
    this.#options.onAnswered?.();
    return 'pass';
  }

  #described(type: number, body: Buffer): Verdict {
    const masks = this.#options.masking?.masks;
    if (masks === undefined) return 'pass';
    const asked = this.#descriptions[0]?.cycle === this.#received ? this.#descriptions.shift() : undefined;
    const { plan, rewritten } =
      type === Backend.rowDescription ? planRowDescription(body, masks) : { plan: [], rewritten: undefined };
    // A simple query's result is described right before its rows; in the extended protocol, the gate's Describe.
    if (asked === undefined || asked.injected) {
      this.#plan = plan;
      this.#planMasks = masksAny(plan);
    }
    if (asked?.injected) return 'drop';
    return rewritten === undefined ? 'pass' : frame(Backend.rowDescription, rewritten);
  }

  #maskRow(body: Buffer): Verdict {
    const masking = this.#options.masking;
    if (masking === undefined) return 'pass';
    if (this.#plan === undefined) {
      // Fail closed: rows whose columns the gateway was not told cannot be shown.
      this.#options.onUpstreamFatal('a row arrived whose columns the gateway could not tell, in a masked session');
      return 'drop';
    }
    return maskDataRow(body, this.#plan, masking.hashKey);
  }

  #endResult(): void {
    this.#plan = undefined;
    this.#planMasks = false;
  }

  /** The gateway checks statements as UTF-8: a session switched to another encoding could hide one. */
  #parameter(body: Buffer): Verdict {
    const end = body.indexOf(0);
    const name = body.toString('utf8', 0, Math.max(end, 0));
    if (name === 'client_encoding') {
      const value = body.toString('utf8', end + 1, Math.max(end + 1, body.length - 1));
      if (value.toUpperCase() !== 'UTF8') {
        this.#options.onUpstreamFatal(`client_encoding ${value} is not allowed through the gateway (UTF8 only)`);
        return 'drop';
      }
    }
    return 'pass';
  }

  /** The oldest statement still running, if it belongs to the cycle being answered. */
  #current(): Pending | undefined {
    const head = this.#pending[0];
    return head !== undefined && head.cycle === this.#received ? head : undefined;
  }

  #finish(): void {
    const done = this.#pending.shift();
    if (done === undefined) return;
    this.#options.outcome(done.seq, {
      ...(done.commandTag !== undefined ? { commandTag: done.commandTag } : {}),
      rows: done.taggedRows ?? done.rows,
      bytes: done.bytes,
      ...(done.error ? { error: done.error } : {}),
      durationMs: performance.now() - done.startedAt,
    });
  }

  #exhausted(what: 'rows' | 'bytes'): false {
    this.#options.onBudgetExhausted(what);
    return false;
  }
}
