/**
 * Reads the upstream server's message stream during a session without buffering results: rows (DataRow) and
 * COPY data pass through as views of the chunks they arrived in, counted but never copied, so a 100 MB result
 * costs the gateway one chunk of memory at a time. The few messages the gateway must read (ReadyForQuery,
 * ErrorResponse, CommandComplete, EmptyQueryResponse, PortalSuspended, ParameterStatus) are collected whole, bounded, and the
 * sink decides for each whether it passes, is dropped or is replaced. Output keeps the upstream order.
 */
import { Backend } from './backend-messages.js';
import { ProtocolError } from './protocol-error.js';

/** Largest message the gateway collects to read (an error text, a command tag, a row description). */
const MAX_INSPECTED_BYTES = 1024 * 1024;
/** Largest row the gateway collects to mask (only rows of results with masked columns are collected). */
export const MAX_MASKED_ROW_BYTES = 16 * 1024 * 1024;

/** What becomes of an inspected message: passed on as is, dropped, or replaced by other bytes. */
export type Verdict = 'pass' | 'drop' | Buffer;

export interface BackendSink {
  /** A message the gateway reads, whole; its verdict decides what the client gets. */
  inspect(type: number, body: Buffer): Verdict;
  /** Whether a message of `type` is read whole too (beyond the fixed set), asked at each message's header. */
  inspects?(type: number): boolean;
  /**
   * A message that streams through (rows, COPY data, notices…) announced by its header; return false to stop
   * before it (a budget is exhausted): nothing of it or after it is emitted.
   */
  streamed(type: number, bodyLength: number): boolean;
  /** Bytes for the client, in order. */
  emit(bytes: Buffer): void;
}

const INSPECTED = new Set<number>([
  Backend.readyForQuery,
  Backend.errorResponse,
  Backend.commandComplete,
  Backend.emptyQueryResponse,
  Backend.portalSuspended,
  Backend.parameterStatus,
]);

export class BackendScanner {
  readonly #sink: BackendSink;
  readonly #header = Buffer.alloc(5);
  #headerFilled = 0;
  /** Bytes of a streamed message still to pass through. */
  #streamRemaining = 0;
  /** An inspected message being collected. */
  #collect: Buffer | undefined;
  #collectFilled = 0;
  #collectType = 0;
  #stopped = false;

  constructor(sink: BackendSink) {
    this.#sink = sink;
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  feed(chunk: Buffer): void {
    let offset = 0;
    /** Start of the run of bytes that passes through unchanged and is not emitted yet. */
    let runStart = 0;
    const flushRun = (end: number): void => {
      if (end > runStart) this.#sink.emit(chunk.subarray(runStart, end));
    };
    while (offset < chunk.length && !this.#stopped) {
      if (this.#streamRemaining > 0) {
        const take = Math.min(this.#streamRemaining, chunk.length - offset);
        this.#streamRemaining -= take;
        offset += take;
        continue;
      }
      if (this.#collect !== undefined) {
        const collect = this.#collect;
        const take = Math.min(collect.length - this.#collectFilled, chunk.length - offset);
        chunk.copy(collect, this.#collectFilled, offset, offset + take);
        this.#collectFilled += take;
        offset += take;
        runStart = offset;
        if (this.#collectFilled === collect.length) {
          this.#collect = undefined;
          this.#apply(this.#sink.inspect(this.#collectType, collect.subarray(5)), collect);
        }
        continue;
      }
      const messageStart = offset - this.#headerFilled;
      const take = Math.min(5 - this.#headerFilled, chunk.length - offset);
      chunk.copy(this.#header, this.#headerFilled, offset, offset + take);
      this.#headerFilled += take;
      offset += take;
      if (this.#headerFilled < 5) {
        // The header continues in the next chunk: what precedes it passes now, the header bytes with it.
        continue;
      }
      // A header split across chunks was held back: its bytes are in #header, none of them emitted yet.
      const headerWasSplit = messageStart < 0;
      this.#headerFilled = 0;
      const type = this.#header[0]!;
      const length = this.#header.readInt32BE(1);
      if (length < 4) throw new ProtocolError(`the upstream server sent a message of invalid length ${length}`);
      const bodyLength = length - 4;
      const counted = type === Backend.dataRow || type === Backend.copyData;
      if (!INSPECTED.has(type) && this.#sink.inspects?.(type) !== true) {
        if (!this.#sink.streamed(type, bodyLength)) {
          flushRun(Math.max(messageStart, runStart));
          this.#stopped = true;
          return;
        }
        if (headerWasSplit) {
          this.#sink.emit(Buffer.from(this.#header));
          runStart = offset;
        }
        this.#streamRemaining = bodyLength;
        continue;
      }
      if (counted && !this.#sink.streamed(type, bodyLength)) {
        flushRun(Math.max(messageStart, runStart));
        this.#stopped = true;
        return;
      }
      if (bodyLength > (type === Backend.dataRow ? MAX_MASKED_ROW_BYTES : MAX_INSPECTED_BYTES)) {
        throw new ProtocolError(`the upstream server sent a message of ${length} bytes to inspect`);
      }
      if (!headerWasSplit) flushRun(messageStart);
      if (!headerWasSplit && chunk.length - offset >= bodyLength) {
        const whole = chunk.subarray(messageStart, offset + bodyLength);
        offset += bodyLength;
        runStart = offset;
        this.#apply(this.#sink.inspect(type, whole.subarray(5)), whole);
        continue;
      }
      runStart = offset;
      const collect = Buffer.allocUnsafe(5 + bodyLength);
      this.#header.copy(collect, 0, 0, 5);
      this.#collect = collect;
      this.#collectFilled = 5;
      this.#collectType = type;
      if (bodyLength === 0) {
        this.#collect = undefined;
        this.#apply(this.#sink.inspect(type, collect.subarray(5)), collect);
      }
    }
    if (this.#stopped) return;
    // Bytes of a header split at the end of this chunk are held back until its type is known.
    flushRun(chunk.length - this.#headerFilled);
  }

  #apply(verdict: Verdict, whole: Buffer): void {
    if (verdict === 'pass') this.#sink.emit(whole);
    else if (verdict !== 'drop') this.#sink.emit(verdict);
  }
}
