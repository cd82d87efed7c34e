/**
 * A PostgreSQL client written against the protocol alone, for the gateway tests that must send exactly the
 * messages they mean (an Execute with no Describe, a pipelined batch with no Sync in between): SCRAM login with
 * the gateway secret, then whatever messages the test builds with the helpers below.
 */
import net from 'node:net';
import { Backend, frame } from '../../src/gateway/postgres/protocol/backend-messages.js';
import {
  saslInitialResponse,
  saslResponse,
  startupMessage,
  TERMINATE,
} from '../../src/gateway/postgres/protocol/frontend-builders.js';
import { Frontend } from '../../src/gateway/postgres/protocol/frontend-messages.js';
import { MessageReader } from '../../src/gateway/postgres/protocol/message-reader.js';
import { ScramClient, SCRAM_MECHANISM } from '../../src/gateway/postgres/scram.js';

function cstring(text: string): Buffer {
  return Buffer.from(`${text}\0`, 'utf8');
}

export function parse(name: string, sql: string): Buffer {
  return frame(Frontend.parse, Buffer.concat([cstring(name), cstring(sql), Buffer.from([0, 0])]));
}

/** A Bind with no parameters and every result column in `format` (0 text, 1 binary). */
export function bind(portal: string, statement: string, format: 0 | 1): Buffer {
  const tail = Buffer.alloc(8);
  tail.writeInt16BE(0, 0); // parameter formats
  tail.writeInt16BE(0, 2); // parameters
  tail.writeInt16BE(1, 4); // one result format for all columns
  tail.writeInt16BE(format, 6);
  return frame(Frontend.bind, Buffer.concat([cstring(portal), cstring(statement), tail]));
}

export function execute(portal: string): Buffer {
  return frame(Frontend.execute, Buffer.concat([cstring(portal), Buffer.alloc(4)]));
}

export function readRow(body: Buffer): (Buffer | null)[] {
  const values: (Buffer | null)[] = [];
  let offset = 2;
  for (let i = 0; i < body.readInt16BE(0); i++) {
    const length = body.readInt32BE(offset);
    offset += 4;
    values.push(length < 0 ? null : body.subarray(offset, offset + length));
    offset += Math.max(length, 0);
  }
  return values;
}

/** A client written against the protocol alone: SCRAM login, then whatever messages the test sends. */
export class RawClient {
  readonly #messages: { type: number; body: Buffer }[] = [];
  #wake: (() => void) | undefined;

  private constructor(readonly socket: net.Socket) {
    const reader = new MessageReader(
      {
        startup: () => undefined,
        message: (type, body) => {
          this.#messages.push({ type, body: Buffer.from(body) });
          this.#wake?.();
        },
      },
      { maxMessageBytes: 1 << 24 },
    );
    reader.endStartupPhase();
    socket.on('data', (chunk: Buffer) => reader.feed(chunk));
  }

  static async connect(port: number, user: string, database: string, secret: string): Promise<RawClient> {
    const socket = net.connect({ host: '127.0.0.1', port });
    await new Promise((resolve) => socket.once('connect', resolve));
    const client = new RawClient(socket);
    socket.write(
      startupMessage(
        new Map([
          ['user', user],
          ['database', database],
        ]),
      ),
    );
    const scram = new ScramClient(secret);
    for (;;) {
      const message = await client.next();
      if (message.type === Backend.readyForQuery) return client;
      if (message.type === Backend.errorResponse) throw new Error(message.body.toString('utf8'));
      if (message.type !== Backend.authentication) continue;
      const code = message.body.readInt32BE(0);
      if (code === 10) client.send(saslInitialResponse(SCRAM_MECHANISM, scram.clientFirst()));
      if (code === 11) client.send(saslResponse(scram.serverFirst(message.body.toString('utf8', 4))));
      if (code === 12) scram.serverFinal(message.body.toString('utf8', 4));
    }
  }

  send(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  async next(): Promise<{ type: number; body: Buffer }> {
    const deadline = Date.now() + 10_000;
    while (this.#messages.length === 0) {
      if (Date.now() > deadline) throw new Error('no answer from the gateway');
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
        setTimeout(resolve, 100);
      });
    }
    return this.#messages.shift()!;
  }

  /** Every message up to and including the next ReadyForQuery (notices and parameter changes left out). */
  async untilReady(): Promise<{ type: number; body: Buffer }[]> {
    const answers: { type: number; body: Buffer }[] = [];
    for (;;) {
      const message = await this.next();
      if (message.type === Backend.noticeResponse || message.type === Backend.parameterStatus) continue;
      answers.push(message);
      if (message.type === Backend.readyForQuery) return answers;
    }
  }

  close(): void {
    this.socket.end(TERMINATE);
  }
}
