/**
 * The upstream scanner under fast-check: however the server's stream is split into chunks, what passes reaches
 * the client byte for byte and in order, each message is seen once with its real type, drops and replacements
 * land exactly where the message was, and rows are counted without being collected.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Backend, frame, readyForQuery } from './backend-messages.js';
import { BackendScanner, type Verdict } from './backend-scanner.js';

const TYPES = [
  Backend.dataRow,
  Backend.commandComplete,
  Backend.readyForQuery,
  Backend.errorResponse,
  Backend.noticeResponse,
  Backend.copyData,
  0x54, // RowDescription
  0x31, // ParseComplete
];

const messageArbitrary = fc
  .record({ type: fc.constantFrom(...TYPES), body: fc.uint8Array({ maxLength: 70 }) })
  .map(({ type, body }) => frame(type, Buffer.from(body)));

function chunked(bytes: Buffer, cuts: readonly number[]): Buffer[] {
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const point of [...points, bytes.length]) {
    if (point > from) chunks.push(bytes.subarray(from, point));
    from = point;
  }
  return chunks;
}

function scan(
  messages: readonly Buffer[],
  cuts: readonly number[],
  verdict: (type: number) => Verdict,
): { output: Buffer; inspected: number[]; streamed: number[] } {
  const emitted: Buffer[] = [];
  const inspected: number[] = [];
  const streamed: number[] = [];
  const scanner = new BackendScanner({
    emit: (bytes) => emitted.push(Buffer.from(bytes)),
    inspect: (type) => {
      inspected.push(type);
      return verdict(type);
    },
    streamed: (type) => {
      streamed.push(type);
      return true;
    },
  });
  for (const chunk of chunked(Buffer.concat(messages), cuts)) scanner.feed(chunk);
  return { output: Buffer.concat(emitted), inspected, streamed };
}

describe('the upstream scanner', () => {
  it('passes every message through unchanged, in order, however the stream is split', () => {
    fc.assert(
      fc.property(
        fc.array(messageArbitrary, { maxLength: 30 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        (messages, cuts) => {
          const { output, inspected, streamed } = scan(messages, cuts, () => 'pass');
          expect(output.equals(Buffer.concat(messages))).toBe(true);
          expect(inspected.length + streamed.length).toBe(messages.length);
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('drops and replaces inspected messages exactly in their place', () => {
    const marker = readyForQuery('E');
    fc.assert(
      fc.property(
        fc.array(messageArbitrary, { maxLength: 30 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        (messages, cuts) => {
          const verdict = (type: number): Verdict =>
            type === Backend.errorResponse ? 'drop' : type === Backend.commandComplete ? marker : 'pass';
          const expected = Buffer.concat(
            messages.flatMap((message) =>
              message[0] === Backend.errorResponse ? [] : message[0] === Backend.commandComplete ? [marker] : [message],
            ),
          );
          expect(scan(messages, cuts, verdict).output.equals(expected)).toBe(true);
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('stops before a row the sink refuses, emitting nothing of it or after it', () => {
    const rows = Array.from({ length: 5 }, (_, i) => frame(Backend.dataRow, Buffer.from(`row ${i}`)));
    const emitted: Buffer[] = [];
    let seen = 0;
    const scanner = new BackendScanner({
      emit: (bytes) => emitted.push(Buffer.from(bytes)),
      inspect: () => 'pass',
      streamed: () => ++seen <= 3,
    });
    scanner.feed(Buffer.concat(rows));
    expect(Buffer.concat(emitted).equals(Buffer.concat(rows.slice(0, 3)))).toBe(true);
    expect(scanner.stopped).toBe(true);
  });
});
