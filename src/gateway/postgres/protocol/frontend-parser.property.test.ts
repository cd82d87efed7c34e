/**
 * Fuzzing the frontend parser with fast-check: whatever bytes a client sends, in whatever chunks, the reader and
 * the decoders either deliver messages or throw a `ProtocolError` — never another exception, never a message
 * longer than the limit — and well-formed messages come out exactly as sent, however the stream is split.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { frame } from './backend-messages.js';
import {
  decodeBind,
  decodeCleartextPassword,
  decodeExecute,
  decodeParse,
  decodeQuery,
  decodeSaslInitialResponse,
  decodeStartupPacket,
  decodeTarget,
  Frontend,
} from './frontend-messages.js';
import { query, startupMessage } from './frontend-builders.js';
import { MessageReader } from './message-reader.js';
import { ProtocolError } from './protocol-error.js';

const LIMIT = 4096;

/** Splits `bytes` at the given cut points. */
function chunked(bytes: Uint8Array, cuts: readonly number[]): Buffer[] {
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const point of [...points, bytes.length]) {
    if (point > from) chunks.push(Buffer.from(bytes.subarray(from, point)));
    from = point;
  }
  return chunks;
}

interface Delivered {
  readonly startup: Buffer[];
  readonly messages: { type: number; body: Buffer; whole: Buffer }[];
}

function readAll(chunks: readonly Buffer[], startupFirst: boolean): Delivered {
  const delivered: Delivered = { startup: [], messages: [] };
  const reader: MessageReader = new MessageReader(
    {
      startup: (body) => {
        delivered.startup.push(Buffer.from(body));
        reader.endStartupPhase();
      },
      message: (type, body, whole) =>
        delivered.messages.push({ type, body: Buffer.from(body), whole: Buffer.from(whole) }),
    },
    { maxMessageBytes: LIMIT },
  );
  if (!startupFirst) reader.endStartupPhase();
  for (const chunk of chunks) reader.feed(chunk);
  return delivered;
}

const DECODERS: readonly ((body: Buffer) => unknown)[] = [
  decodeStartupPacket,
  decodeQuery,
  decodeParse,
  decodeBind,
  decodeExecute,
  decodeTarget,
  decodeCleartextPassword,
  decodeSaslInitialResponse,
];

describe('the frontend parser under fuzzing', () => {
  it('arbitrary bytes in arbitrary chunks give messages within the limit or a ProtocolError, nothing else', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 600 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        fc.boolean(),
        (bytes, cuts, startupFirst) => {
          try {
            const delivered = readAll(chunked(bytes, cuts), startupFirst);
            for (const message of delivered.messages) {
              expect(message.body.length).toBeLessThanOrEqual(LIMIT);
              for (const decode of DECODERS) {
                try {
                  decode(message.body);
                } catch (error) {
                  expect(error).toBeInstanceOf(ProtocolError);
                }
              }
            }
          } catch (error) {
            expect(error).toBeInstanceOf(ProtocolError);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('every decoder given an arbitrary body returns or throws a ProtocolError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        for (const decode of DECODERS) {
          try {
            decode(Buffer.from(bytes));
          } catch (error) {
            expect(error).toBeInstanceOf(ProtocolError);
          }
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('well-formed messages come out exactly as sent however the stream is split', () => {
    const text = fc.string({ maxLength: 40 }).map((value) => value.replaceAll('\0', ''));
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom('user', 'database', 'application_name'), text),
        fc.array(text, { maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (parameters, statements, cuts) => {
          const startup = startupMessage(new Map(Object.entries(parameters)));
          const messages = statements.map((sql) => query(sql));
          const stream = Buffer.concat([startup, ...messages, frame(Frontend.sync, Buffer.alloc(0))]);
          const delivered = readAll(chunked(stream, cuts), true);
          expect(delivered.startup).toHaveLength(1);
          const packet = decodeStartupPacket(delivered.startup[0]!);
          expect(packet).toMatchObject({ kind: 'startup', major: 3, minor: 0 });
          expect(Object.fromEntries(packet.kind === 'startup' ? packet.parameters : [])).toEqual(parameters);
          expect(delivered.messages.map((message) => message.whole)).toEqual([
            ...messages,
            frame(Frontend.sync, Buffer.alloc(0)),
          ]);
          expect(delivered.messages.slice(0, -1).map((message) => decodeQuery(message.body))).toEqual(statements);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('a length beyond the limit is refused before anything is buffered for it', () => {
    const header = Buffer.from([Frontend.query, 0x7f, 0xff, 0xff, 0xff]);
    expect(() => readAll([header], false)).toThrow(ProtocolError);
    expect(() => readAll([Buffer.from([0x00, 0x01, 0x00, 0x00])], true)).toThrow(/startup packet length/);
    expect(() => readAll([Buffer.from([Frontend.query, 0, 0, 0, 3])], false)).toThrow(/invalid length 3/);
  });
});
