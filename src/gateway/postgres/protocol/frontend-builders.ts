/**
 * Builders of the messages the gateway itself sends to the upstream PostgreSQL server as its client: the
 * startup packets, password and SASL answers, a Query, a Describe of a portal, Sync and Terminate. Statements of
 * the user are never built here: they are forwarded byte for byte after their check.
 */
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
 * A portal name no client can use (the gate refuses to bind it): the gate executes it in place of a refused
 * extended-protocol statement, so the server fails there, inside the client's batch, and rolls back the batch's
 * implicit transaction (or aborts the explicit one) exactly as it would for a failed statement.
 */
export const REFUSAL_PORTAL = 'countersign.refused-statement';
export const EXECUTE_REFUSAL_PORTAL = frame(
  Frontend.execute,
  Buffer.concat([cstring(REFUSAL_PORTAL), Buffer.alloc(4)]),
);

export const SYNC = frame(Frontend.sync, Buffer.alloc(0));
export const TERMINATE = frame(Frontend.terminate, Buffer.alloc(0));
