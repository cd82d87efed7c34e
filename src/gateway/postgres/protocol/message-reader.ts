/**
 * Streaming framing of the PostgreSQL v3 protocol as a client sends it: first length-prefixed startup packets
 * (SSLRequest, GSSENCRequest, CancelRequest, StartupMessage: an Int32 length and a body), then typed messages
 * (a type byte, an Int32 length that counts itself, a body). Bytes arrive in arbitrary chunks; a message wholly
 * inside one chunk is handed over as a view of that chunk (no copy), one split across chunks is reassembled into
 * a buffer of its exact length (no quadratic concatenation). Every length is checked against a hard maximum
 * before a single byte is buffered for it, so a hostile length cannot make the gateway allocate.
 */
import { ProtocolError } from './protocol-error.js';

/** PostgreSQL's own limit on a startup packet (MAX_STARTUP_PACKET_LENGTH). */
export const MAX_STARTUP_PACKET_BYTES = 10_000;

export interface MessageSink {
  /** A startup-phase packet: its body after the length word. */
  startup(body: Buffer): void;
  /** A typed message: its type byte, its body, and the whole message as sent (header included, for forwarding). */
  message(type: number, body: Buffer, whole: Buffer): void;
}

export class MessageReader {
  #maxMessageBytes: number;
  readonly #sink: MessageSink;
  #startupPhase = true;
  /** Header bytes of a message whose header was split across chunks. */
  readonly #header = Buffer.alloc(5);
  #headerFilled = 0;
  /** A message being reassembled (header included) and how much of it has arrived. */
  #partial: Buffer | undefined;
  #partialFilled = 0;
  #partialType = 0;
  #stopped = false;

  constructor(sink: MessageSink, options: { readonly maxMessageBytes: number }) {
    this.#sink = sink;
    this.#maxMessageBytes = options.maxMessageBytes;
  }

  /**
   * The largest typed message body accepted from now on (a message whose header already arrived keeps the limit
   * it was checked against): the gateway reads at most PostgreSQL's 65,535 bytes until the login completes.
   */
  limitMessageBytes(maxMessageBytes: number): void {
    this.#maxMessageBytes = maxMessageBytes;
  }

  /** From now on typed messages are expected (called by the sink once the StartupMessage is handled). */
  endStartupPhase(): void {
    this.#startupPhase = false;
  }

  /** Stops delivering: what follows in the current chunk and later chunks is ignored. */
  stop(): void {
    this.#stopped = true;
  }

  /** True when bytes of an incomplete packet are held (after an SSLRequest that means plaintext was injected). */
  get holdsBytes(): boolean {
    return this.#headerFilled > 0 || this.#partial !== undefined;
  }

  /**
   * Feeds one chunk; returns how many of its bytes were taken (fewer than all only once stopped). Throws
   * `ProtocolError` on a malformed or oversized length.
   */
  feed(chunk: Buffer): number {
    let offset = 0;
    while (offset < chunk.length && !this.#stopped) {
      if (this.#partial !== undefined) {
        offset = this.#continuePartial(chunk, offset);
        continue;
      }
      const headerSize = this.#startupPhase ? 4 : 5;
      let header: Buffer;
      let headerAt: number;
      if (this.#headerFilled > 0 || chunk.length - offset < headerSize) {
        const take = Math.min(headerSize - this.#headerFilled, chunk.length - offset);
        chunk.copy(this.#header, this.#headerFilled, offset, offset + take);
        this.#headerFilled += take;
        offset += take;
        if (this.#headerFilled < headerSize) return offset;
        this.#headerFilled = 0;
        header = this.#header;
        headerAt = 0;
      } else {
        header = chunk;
        headerAt = offset;
        offset += headerSize;
      }
      const type = this.#startupPhase ? 0 : header[headerAt]!;
      const length = header.readInt32BE(headerAt + headerSize - 4);
      const bodyLength = this.#checkLength(type, length);
      const wholeLength = headerSize + bodyLength;
      if (header === chunk && chunk.length - headerAt >= wholeLength) {
        offset = headerAt + wholeLength;
        this.#deliver(type, chunk.subarray(headerAt, offset), headerSize);
        continue;
      }
      // The message continues in later chunks: reassemble it in a buffer of its own, header first.
      const partial = Buffer.allocUnsafe(wholeLength);
      header.copy(partial, 0, headerAt, headerAt + headerSize);
      this.#partial = partial;
      this.#partialFilled = headerSize;
      this.#partialType = type;
      if (partial.length === headerSize) {
        this.#finishPartial();
      }
    }
    return offset;
  }

  #continuePartial(chunk: Buffer, offset: number): number {
    const partial = this.#partial!;
    const take = Math.min(partial.length - this.#partialFilled, chunk.length - offset);
    chunk.copy(partial, this.#partialFilled, offset, offset + take);
    this.#partialFilled += take;
    if (this.#partialFilled === partial.length) this.#finishPartial();
    return offset + take;
  }

  #finishPartial(): void {
    const whole = this.#partial!;
    this.#partial = undefined;
    this.#deliver(this.#partialType, whole, this.#startupPhase ? 4 : 5);
  }

  #deliver(type: number, whole: Buffer, headerSize: number): void {
    const body = whole.subarray(headerSize);
    if (this.#startupPhase) this.#sink.startup(body);
    else this.#sink.message(type, body, whole);
  }

  /** The body length a header announces, refused when negative, too short or over the limit. */
  #checkLength(type: number, length: number): number {
    if (this.#startupPhase) {
      if (length < 8 || length > MAX_STARTUP_PACKET_BYTES) {
        throw new ProtocolError(`invalid startup packet length ${length}`);
      }
      return length - 4;
    }
    if (length < 4) throw new ProtocolError(`invalid length ${length} of message type ${describeType(type)}`);
    if (length - 4 > this.#maxMessageBytes) {
      throw new ProtocolError(
        `message type ${describeType(type)} of ${length} bytes exceeds the gateway's limit of ${this.#maxMessageBytes}`,
        '54000',
      );
    }
    return length - 4;
  }
}

/** A type byte as people read it: the letter, or its code when it is not printable. */
export function describeType(type: number): string {
  return type >= 0x21 && type <= 0x7e ? `'${String.fromCharCode(type)}'` : `0x${type.toString(16).padStart(2, '0')}`;
}
