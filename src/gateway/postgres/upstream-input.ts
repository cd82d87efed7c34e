/**
 * What the upstream server does with each message the gateway forwarded, followed from its answers, so that the
 * response side knows which Sync and Query will really be answered by a ReadyForQuery. PostgreSQL does not answer
 * every one (postgres.c, copyfromparse.c; the protocol's "Extended Query" and "COPY Operations"):
 *   - after an error in an extended-protocol message it skips every message up to Sync, a simple Query included:
 *     that Query is never run and gets no ReadyForQuery of its own;
 *   - during COPY FROM STDIN it reads CopyData and ignores Sync and Flush (libpq sends a Sync right behind the
 *     Execute of a COPY in the extended protocol, and another after CopyDone): such a Sync gets no ReadyForQuery.
 * Each message is matched to its answers in order (ParseComplete, BindComplete, CloseComplete, a description, a
 * command's completion, an error, ReadyForQuery), which tells an error of the batch before a Query from the
 * Query's own. Pure: the tracker feeds it and acts on what it returns.
 */
import { Frontend } from './protocol/frontend-messages.js';
import type { Outcome } from './statement-names.js';

/** Answers the model reads (the tracker must inspect these). */
export const Answer = {
  parseComplete: 0x31, // '1'
  bindComplete: 0x32, // '2'
  closeComplete: 0x33, // '3'
  rowDescription: 0x54, // 'T'
  noData: 0x6e, // 'n'
  commandComplete: 0x43, // 'C'
  emptyQueryResponse: 0x49, // 'I'
  portalSuspended: 0x73, // 's'
  errorResponse: 0x45, // 'E'
  readyForQuery: 0x5a, // 'Z'
  copyInResponse: 0x47, // 'G'
  copyBothResponse: 0x57, // 'W'
} as const;

const READ = new Set<number>(Object.values(Answer));

/** Whether the model needs to read an answer of this type. */
export function modelReads(type: number): boolean {
  return READ.has(type);
}

/** One forwarded message; `ordinal` is the cycle a Sync or Query opened on the response side. */
interface Input {
  readonly type: number;
  ordinal?: number;
  /** Told what the server did with it (the gate's bookkeeping of statement names: statement-names.ts). */
  readonly settled?: (outcome: Outcome) => void;
}

/** What the caller does next: nothing, merge a cycle whose ReadyForQuery never comes, or end the session. */
export type Step = { readonly swallowed: number } | { readonly broken: string };

/** Messages that end or feed a COPY FROM STDIN; anything else sent during one fails it (and is consumed). */
const COPY_MESSAGES = new Set<number>([Frontend.copyData, Frontend.copyDone, Frontend.copyFail, Frontend.flush]);

export class UpstreamInput {
  readonly #inputs: Input[] = [];
  /** The message the server is answering. */
  #current: Input | undefined;
  /** After an error in the extended protocol, until Sync. */
  #skipping = false;
  /** The server is reading COPY FROM STDIN data for `#current`; `#copyEnded`: the client sent its CopyDone/Fail. */
  #copying = false;
  #copyEnded = false;
  /** A CopyData was sent and its COPY not ended by the client yet (see `admits`). */
  #copyDataOpen = false;

  /**
   * Whether the client may send a message of `type` now. While COPY data is open (a CopyData sent, no CopyDone or
   * CopyFail yet), or during a COPY FROM STDIN the server started, only COPY messages (and Sync before any data)
   * are accepted: which of them the server would consume depends on where in the data a row fails, which the
   * gateway cannot tell.
   */
  admits(type: number): boolean {
    if (type === Frontend.terminate || COPY_MESSAGES.has(type)) return true;
    if (this.#copyDataOpen) return false;
    if (this.#copying && !this.#copyEnded) return type === Frontend.sync;
    return true;
  }

  /** A message was forwarded; `ordinal` for a Sync or Query; `settled` is told what the server did with it. */
  forwarded(type: number, ordinal: number | undefined, settled?: (outcome: Outcome) => void): void {
    if (type === Frontend.copyData) this.#copyDataOpen = true;
    if (type === Frontend.copyDone || type === Frontend.copyFail) this.#copyDataOpen = false;
    this.#inputs.push({ type, ...(ordinal === undefined ? {} : { ordinal }), ...(settled ? { settled } : {}) });
  }

  /** A cycle was merged into the next: later ordinals move down by one. */
  renumber(merged: number): void {
    for (const input of [this.#current, ...this.#inputs]) {
      if (input?.ordinal !== undefined && input.ordinal > merged) input.ordinal--;
    }
  }

  /**
   * Moves the server along the messages that get no answer in its state (bounded: each call consumes at most
   * one cycle-opening message, so the caller renumbers before the next). Call until it returns undefined.
   */
  settle(): Step | undefined {
    for (;;) {
      const head = this.#inputs[0];
      if (head === undefined) return undefined;
      if (this.#copying) {
        if (this.#copyEnded) return undefined;
        if (head.type === Frontend.copyDone || head.type === Frontend.copyFail) this.#copyEnded = true;
        else if (head.type !== Frontend.copyData && head.type !== Frontend.flush && head.type !== Frontend.sync) {
          return { broken: 'a message other than COPY data was sent during COPY FROM STDIN' };
        }
        this.#inputs.shift();
        if (head.type === Frontend.sync) return { swallowed: head.ordinal! };
        continue;
      }
      if (this.#current !== undefined) return undefined;
      this.#inputs.shift();
      if (this.#skipping) {
        if (head.type === Frontend.sync) this.#current = head;
        else head.settled?.('skipped');
        if (head.type === Frontend.query) return { swallowed: head.ordinal! };
        continue;
      }
      if (COPY_MESSAGES.has(head.type)) continue;
      this.#current = head;
    }
  }

  /** The server answered `type` (one the model reads); returns what breaks the model, if anything. */
  answered(type: number): string | undefined {
    const current = this.#current;
    if (current === undefined) return `the upstream server answered ${String.fromCharCode(type)} to nothing`;
    const kind = current.type;
    const expected = (done: boolean): string | undefined => {
      if (!done) return `the upstream server answered ${String.fromCharCode(type)} out of turn`;
      this.#current = undefined;
      current.settled?.('done');
      return undefined;
    };
    switch (type) {
      case Answer.readyForQuery:
        if (this.#copying) return 'the upstream server was ready during COPY';
        this.#skipping = false;
        return expected(kind === Frontend.sync || kind === Frontend.query);
      case Answer.parseComplete:
        return expected(kind === Frontend.parse);
      case Answer.bindComplete:
        return expected(kind === Frontend.bind);
      case Answer.closeComplete:
        return expected(kind === Frontend.close);
      case Answer.rowDescription:
      case Answer.noData:
        // A Describe's answer; in a simple query, its results' descriptions.
        return kind === Frontend.query ? undefined : expected(kind === Frontend.describe);
      case Answer.copyInResponse:
        if (kind !== Frontend.query && kind !== Frontend.execute) return expected(false);
        this.#copying = true;
        this.#copyEnded = false;
        return undefined;
      case Answer.copyBothResponse:
        return 'COPY BOTH (replication) is not supported through the gateway';
      case Answer.errorResponse:
        return this.#failed(kind);
      default:
        // CommandComplete, EmptyQueryResponse, PortalSuspended: an Execute ends; a Query goes on to its Ready.
        this.#copying = false;
        if (kind === Frontend.query) return undefined;
        return expected(kind === Frontend.execute);
    }
  }

  #failed(kind: number): undefined {
    this.#copying = false;
    // A simple Query (and a Sync whose commit failed) still ends with ReadyForQuery; any other message's error
    // makes the server skip everything up to Sync.
    if (kind === Frontend.query || kind === Frontend.sync) return undefined;
    this.#current?.settled?.('failed');
    this.#current = undefined;
    this.#skipping = true;
    return undefined;
  }
}
