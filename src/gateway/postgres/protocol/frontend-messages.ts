/**
 * Decoders of what a PostgreSQL client sends (protocol 3.0, "Message Formats" in the PostgreSQL manual): the
 * startup packets and the typed messages the gateway must read to check a statement before it is forwarded.
 * Each decoder reads a body exactly: a missing terminator, a count that runs past the end or bytes left over
 * are a `ProtocolError`, never an exception of another kind and never a guess.
 */
import { ProtocolError } from './protocol-error.js';

/** Frontend message type bytes. */
export const Frontend = {
  query: 0x51, // 'Q'
  parse: 0x50, // 'P'
  bind: 0x42, // 'B'
  describe: 0x44, // 'D'
  execute: 0x45, // 'E'
  close: 0x43, // 'C'
  sync: 0x53, // 'S'
  flush: 0x48, // 'H'
  copyData: 0x64, // 'd'
  copyDone: 0x63, // 'c'
  copyFail: 0x66, // 'f'
  functionCall: 0x46, // 'F'
  terminate: 0x58, // 'X'
  /** PasswordMessage, SASLInitialResponse and SASLResponse share it; the authentication step says which. */
  password: 0x70, // 'p'
} as const;

/** Request codes in the protocol-version slot of a startup packet. */
export const StartupCode = {
  ssl: 80877103,
  gssenc: 80877104,
  cancel: 80877102,
} as const;

export type StartupPacket =
  | { readonly kind: 'ssl' }
  | { readonly kind: 'gssenc' }
  | { readonly kind: 'cancel'; readonly processId: number; readonly secretKey: number }
  | {
      readonly kind: 'startup';
      readonly major: number;
      readonly minor: number;
      readonly parameters: ReadonlyMap<string, string>;
    };

/** Reads NUL-terminated strings and integers from a body, refusing to run past its end. */
export class BodyReader {
  #at = 0;
  constructor(private readonly body: Buffer) {}

  get remaining(): number {
    return this.body.length - this.#at;
  }

  cstring(): string {
    const end = this.body.indexOf(0, this.#at);
    if (end < 0) throw new ProtocolError('a string in the message has no terminator');
    const text = this.body.toString('utf8', this.#at, end);
    this.#at = end + 1;
    return text;
  }

  int16(): number {
    this.#need(2);
    const value = this.body.readInt16BE(this.#at);
    this.#at += 2;
    return value;
  }

  int32(): number {
    this.#need(4);
    const value = this.body.readInt32BE(this.#at);
    this.#at += 4;
    return value;
  }

  byte(): number {
    this.#need(1);
    return this.body[this.#at++]!;
  }

  bytes(length: number): Buffer {
    this.#need(length);
    const view = this.body.subarray(this.#at, this.#at + length);
    this.#at += length;
    return view;
  }

  /** A count of items that must each take at least `minBytes`; refuses counts the body cannot hold. */
  count16(minBytes: number): number {
    const count = this.int16();
    if (count < 0 || count * minBytes > this.remaining) throw new ProtocolError(`invalid count ${count}`);
    return count;
  }

  end(): void {
    if (this.#at !== this.body.length) throw new ProtocolError('unexpected bytes at the end of the message');
  }

  #need(length: number): void {
    if (length < 0 || this.#at + length > this.body.length) throw new ProtocolError('the message is truncated');
  }
}

export function decodeStartupPacket(body: Buffer): StartupPacket {
  const reader = new BodyReader(body);
  const code = reader.int32();
  if (code === StartupCode.ssl || code === StartupCode.gssenc) {
    reader.end();
    return { kind: code === StartupCode.ssl ? 'ssl' : 'gssenc' };
  }
  if (code === StartupCode.cancel) {
    const processId = reader.int32();
    const secretKey = reader.int32();
    reader.end();
    return { kind: 'cancel', processId, secretKey };
  }
  const major = code >>> 16;
  const minor = code & 0xffff;
  if (major !== 3) throw new ProtocolError(`unsupported frontend protocol ${major}.${minor}`, '0A000');
  const parameters = new Map<string, string>();
  for (;;) {
    const name = reader.cstring();
    if (name === '') break;
    if (parameters.has(name)) throw new ProtocolError(`startup parameter '${name}' given twice`);
    parameters.set(name, reader.cstring());
  }
  reader.end();
  return { kind: 'startup', major, minor, parameters };
}

export function decodeQuery(body: Buffer): string {
  const reader = new BodyReader(body);
  const sql = reader.cstring();
  reader.end();
  return sql;
}

export interface ParseMessage {
  readonly name: string;
  readonly sql: string;
  readonly parameterTypes: readonly number[];
}

export function decodeParse(body: Buffer): ParseMessage {
  const reader = new BodyReader(body);
  const name = reader.cstring();
  const sql = reader.cstring();
  const count = reader.count16(4);
  const parameterTypes: number[] = [];
  for (let i = 0; i < count; i++) parameterTypes.push(reader.int32());
  reader.end();
  return { name, sql, parameterTypes };
}

export interface BindMessage {
  readonly portal: string;
  readonly statement: string;
  /** Text parameters as text, binary ones as `\x` + hex, nulls as null: what the session record keeps. */
  readonly parameters: readonly (string | null)[];
}

export function decodeBind(body: Buffer): BindMessage {
  const reader = new BodyReader(body);
  const portal = reader.cstring();
  const statement = reader.cstring();
  const formatCount = reader.count16(2);
  const formats: number[] = [];
  for (let i = 0; i < formatCount; i++) formats.push(checkFormat(reader.int16()));
  const parameterCount = reader.count16(4);
  if (formatCount > 1 && formatCount !== parameterCount) {
    throw new ProtocolError(`bind message has ${formatCount} parameter formats but ${parameterCount} parameters`);
  }
  const parameters: (string | null)[] = [];
  for (let i = 0; i < parameterCount; i++) {
    const length = reader.int32();
    if (length === -1) {
      parameters.push(null);
      continue;
    }
    if (length < 0) throw new ProtocolError(`invalid parameter length ${length}`);
    const value = reader.bytes(length);
    const binary = (formatCount === 1 ? formats[0] : formats[i]) === 1;
    parameters.push(binary ? `\\x${value.toString('hex')}` : value.toString('utf8'));
  }
  const resultFormatCount = reader.count16(2);
  for (let i = 0; i < resultFormatCount; i++) checkFormat(reader.int16());
  reader.end();
  return { portal, statement, parameters };
}

function checkFormat(format: number): number {
  if (format !== 0 && format !== 1) throw new ProtocolError(`invalid format code ${format}`);
  return format;
}

export interface ExecuteMessage {
  readonly portal: string;
  readonly maxRows: number;
}

export function decodeExecute(body: Buffer): ExecuteMessage {
  const reader = new BodyReader(body);
  const portal = reader.cstring();
  const maxRows = reader.int32();
  reader.end();
  return { portal, maxRows };
}

/** Describe and Close: `S` a prepared statement, `P` a portal. */
export interface TargetMessage {
  readonly target: 'statement' | 'portal';
  readonly name: string;
}

export function decodeTarget(body: Buffer): TargetMessage {
  const reader = new BodyReader(body);
  const kind = reader.byte();
  if (kind !== 0x53 && kind !== 0x50) throw new ProtocolError('describe or close of neither a statement nor a portal');
  const name = reader.cstring();
  reader.end();
  return { target: kind === 0x53 ? 'statement' : 'portal', name };
}

/** Sync, Flush, Terminate and CopyDone carry no body. */
export function decodeEmpty(body: Buffer): void {
  if (body.length !== 0) throw new ProtocolError('unexpected bytes in a message that has none');
}

export function decodeCleartextPassword(body: Buffer): string {
  const reader = new BodyReader(body);
  const password = reader.cstring();
  reader.end();
  return password;
}

export interface SaslInitialResponse {
  readonly mechanism: string;
  readonly data: Buffer;
}

export function decodeSaslInitialResponse(body: Buffer): SaslInitialResponse {
  const reader = new BodyReader(body);
  const mechanism = reader.cstring();
  const length = reader.int32();
  const data = length === -1 ? Buffer.alloc(0) : reader.bytes(length);
  reader.end();
  return { mechanism, data };
}
