/**
 * Builders of what the gateway itself says to a PostgreSQL client (protocol 3.0): authentication requests,
 * ParameterStatus, BackendKeyData, ReadyForQuery, ErrorResponse and NoticeResponse with SQLSTATE codes,
 * NegotiateProtocolVersion. Each returns one complete message ready to write.
 */

/** Backend message type bytes the gateway writes or reads. */
export const Backend = {
  authentication: 0x52, // 'R'
  parameterStatus: 0x53, // 'S'
  backendKeyData: 0x4b, // 'K'
  readyForQuery: 0x5a, // 'Z'
  errorResponse: 0x45, // 'E'
  noticeResponse: 0x4e, // 'N'
  commandComplete: 0x43, // 'C'
  emptyQueryResponse: 0x49, // 'I'
  portalSuspended: 0x73, // 's'
  dataRow: 0x44, // 'D'
  rowDescription: 0x54, // 'T'
  noData: 0x6e, // 'n'
  copyData: 0x64, // 'd'
  negotiateProtocolVersion: 0x76, // 'v'
} as const;

/** The fields of an ErrorResponse or NoticeResponse the gateway writes. */
export interface ErrorFields {
  readonly severity: 'ERROR' | 'FATAL' | 'WARNING' | 'NOTICE';
  /** The SQLSTATE (`42501` insufficient_privilege, `57P01` admin_shutdown, `28P01` invalid_password…). */
  readonly code: string;
  readonly message: string;
  readonly detail?: string;
  readonly hint?: string;
}

/** A message of `type` around `body` (the length word counts itself, not the type byte). */
export function frame(type: number, body: Buffer): Buffer {
  const message = Buffer.allocUnsafe(5 + body.length);
  message[0] = type;
  message.writeInt32BE(4 + body.length, 1);
  body.copy(message, 5);
  return message;
}

function int32(value: number): Buffer {
  const buffer = Buffer.allocUnsafe(4);
  buffer.writeInt32BE(value, 0);
  return buffer;
}

function cstring(text: string): Buffer {
  return Buffer.from(`${text}\0`, 'utf8');
}

/** Text without NUL bytes (which would end a protocol string early). */
function clean(text: string): string {
  return text.includes('\0') ? text.replaceAll('\0', '') : text;
}

export function authenticationOk(): Buffer {
  return frame(Backend.authentication, int32(0));
}

export function authenticationCleartextPassword(): Buffer {
  return frame(Backend.authentication, int32(3));
}

export function authenticationSasl(mechanisms: readonly string[]): Buffer {
  return frame(Backend.authentication, Buffer.concat([int32(10), ...mechanisms.map(cstring), Buffer.from([0])]));
}

export function authenticationSaslContinue(data: string): Buffer {
  return frame(Backend.authentication, Buffer.concat([int32(11), Buffer.from(data, 'utf8')]));
}

export function authenticationSaslFinal(data: string): Buffer {
  return frame(Backend.authentication, Buffer.concat([int32(12), Buffer.from(data, 'utf8')]));
}

export function parameterStatus(name: string, value: string): Buffer {
  return frame(Backend.parameterStatus, Buffer.concat([cstring(clean(name)), cstring(clean(value))]));
}

export function backendKeyData(processId: number, secretKey: number): Buffer {
  return frame(Backend.backendKeyData, Buffer.concat([int32(processId), int32(secretKey)]));
}

/** `I` idle, `T` in a transaction block, `E` in a failed transaction block. */
export function readyForQuery(status: 'I' | 'T' | 'E'): Buffer {
  return frame(Backend.readyForQuery, Buffer.from(status, 'latin1'));
}

function fields(error: ErrorFields): Buffer {
  const parts: Buffer[] = [
    cstring(`S${error.severity}`),
    cstring(`V${error.severity}`),
    cstring(`C${error.code}`),
    cstring(`M${clean(error.message)}`),
  ];
  if (error.detail !== undefined) parts.push(cstring(`D${clean(error.detail)}`));
  if (error.hint !== undefined) parts.push(cstring(`H${clean(error.hint)}`));
  parts.push(Buffer.from([0]));
  return Buffer.concat(parts);
}

export function errorResponse(error: ErrorFields): Buffer {
  return frame(Backend.errorResponse, fields(error));
}

export function noticeResponse(notice: ErrorFields): Buffer {
  return frame(Backend.noticeResponse, fields(notice));
}

/** Tells a client asking for protocol 3.x (x > 0) or `_pq_.` options that the gateway speaks 3.0 without them. */
export function negotiateProtocolVersion(newestMinor: number, unsupportedOptions: readonly string[]): Buffer {
  return frame(
    Backend.negotiateProtocolVersion,
    Buffer.concat([int32(newestMinor), int32(unsupportedOptions.length), ...unsupportedOptions.map(cstring)]),
  );
}

/** Reads the fields of an ErrorResponse or NoticeResponse body: field code → value. */
export function readErrorFields(body: Buffer): Map<string, string> {
  const result = new Map<string, string>();
  let at = 0;
  while (at < body.length && body[at] !== 0) {
    const code = String.fromCharCode(body[at]!);
    const end = body.indexOf(0, at + 1);
    if (end < 0) break;
    result.set(code, body.toString('utf8', at + 1, end));
    at = end + 1;
  }
  return result;
}
