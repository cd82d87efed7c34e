/**
 * Builders of the messages the gateway itself sends to the upstream PostgreSQL server as its client: the
 * startup packets, password and SASL answers, a Query, a Describe of a portal, Sync and Terminate. Statements of
 * the user are never built here: they are forwarded byte for byte after their check.
 */
import { randomBytes } from 'node:crypto';
import { frame } from './backend-messages.js';
import { Frontend, StartupCode } from './frontend-messages.js';

function cstring(text: string): Buffer {
  return Buffer.from(`${text}\0`, 'utf8');
}

function lengthPrefixed(body: Buffer): Buffer {
  const packet = Buffer.allocUnsafe(4 + body.length);
  packet.writeInt32BE(4 + body.length, 0);
  body.copy(packet, 4);
  return packet;
}

export function sslRequest(): Buffer {
  const packet = Buffer.allocUnsafe(8);
  packet.writeInt32BE(8, 0);
  packet.writeInt32BE(StartupCode.ssl, 4);
  return packet;
}

export function cancelRequest(processId: number, secretKey: number): Buffer {
  const packet = Buffer.allocUnsafe(16);
  packet.writeInt32BE(16, 0);
  packet.writeInt32BE(StartupCode.cancel, 4);
  packet.writeInt32BE(processId, 8);
  packet.writeInt32BE(secretKey, 12);
  return packet;
}

/** A protocol 3.0 StartupMessage with `parameters` (user, database, application_name, GUCs). */
export function startupMessage(parameters: ReadonlyMap<string, string>): Buffer {
  const version = Buffer.allocUnsafe(4);
  version.writeInt32BE(3 << 16, 0);
  const pairs = [...parameters].flatMap(([name, value]) => [cstring(name), cstring(value)]);
  return lengthPrefixed(Buffer.concat([version, ...pairs, Buffer.from([0])]));
}

export function passwordMessage(password: string): Buffer {
  return frame(Frontend.password, cstring(password));
}

export function saslInitialResponse(mechanism: string, data: string): Buffer {
  const payload = Buffer.from(data, 'utf8');
  const length = Buffer.allocUnsafe(4);
  length.writeInt32BE(payload.length, 0);
  return frame(Frontend.password, Buffer.concat([cstring(mechanism), length, payload]));
}

export function saslResponse(data: string): Buffer {
  return frame(Frontend.password, Buffer.from(data, 'utf8'));
}

export function query(sql: string): Buffer {
  return frame(Frontend.query, cstring(sql));
}

/** Describe of a portal: the gateway asks for a result's columns before executing it, to mask them. */
export function describePortal(name: string): Buffer {
  return frame(Frontend.describe, Buffer.concat([Buffer.from('P'), cstring(name)]));
}

/**
 * Portal names a client may not use, in any case: the gate refuses every message and cursor statement naming one,
 * so the stand-in below can never find a portal of the client's under its name.
 */
export const RESERVED_PORTAL_PREFIX = 'countersign.';
/** The stem of the stand-in portal's name; each session adds a random part (`refusalPortal`). */
export const REFUSAL_PORTAL = 'countersign.refused-statement';

/**
 * The name of the portal the gate executes in place of a refused extended-protocol statement, so the server fails
 * there, inside the client's batch, and rolls back the batch's implicit transaction (or aborts the explicit one)
 * exactly as it would for a failed statement. Random per session and never sent to the client (the response side
 * replaces its error), so that not even a cursor made behind the gate's back (a function's, a DO block's) can be
 * named so; 52 bytes, under the 63 to which the server cuts portal names.
 */
export function refusalPortal(): string {
  return `${REFUSAL_PORTAL}.${randomBytes(16).toString('base64url')}`;
}

/**
 * `message` (a Bind, Execute, Describe or Close as the client sent it) naming portal `portal` instead of the one it
 * named: the gate keeps the client's portals under names of its own upstream (statement-names.ts). `at` is where
 * the portal's name starts in the body (after Describe's and Close's kind byte) and `length` its length in bytes.
 */
export function withPortal(message: Buffer, at: number, length: number, portal: string): Buffer {
  const body = message.subarray(5);
  return frame(
    message[0]!,
    Buffer.concat([body.subarray(0, at), Buffer.from(portal, 'utf8'), body.subarray(at + length)]),
  );
}

/** An Execute of `portal` with no row limit. */
export function executePortal(portal: string): Buffer {
  return frame(Frontend.execute, Buffer.concat([cstring(portal), Buffer.alloc(4)]));
}

export const SYNC = frame(Frontend.sync, Buffer.alloc(0));
export const TERMINATE = frame(Frontend.terminate, Buffer.alloc(0));
