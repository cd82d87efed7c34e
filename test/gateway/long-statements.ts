/**
 * Long statement texts for the tests of parsing off the event loop, and the measure those tests take: how long a
 * `select 1` round trip of another session takes while they are being checked. The texts stay under the 150 KiB
 * the record keeps readable (longer ones are refused before parsing), and are as costly to parse per byte as
 * real ones: an ORM's bulk insert of wide rows (86–340 ms for 140 KB on the test machine, on the event loop), or
 * an attacker's list of one-digit constants (278–611 ms).
 */
import { query } from '../../src/gateway/postgres/protocol/frontend-builders.js';
import type { RawClient } from './raw-client.js';

/** Joins `item(0)`, `item(1)`, … after `head` until the text is about `bytes` long. */
function filled(head: string, item: (n: number) => string, bytes: number): string {
  const items: string[] = [];
  let length = head.length;
  for (let n = 0; length < bytes; n++) {
    const next = item(n);
    items.push(next);
    length += next.length + 1;
  }
  return head + items.join(',');
}

/** An ORM's bulk insert: rows of eight integer columns `a`…`h`, ids from `first`. */
export function bulkInsert(table: string, bytes = 140_000, first = 0): string {
  return filled(
    `insert into ${table} (a, b, c, d, e, f, g, h) values `,
    (n) => `(${first + n},${n + 1},${n + 2},${n + 3},${n + 4},${n + 5},${n + 6},${n + 7})`,
    bytes,
  );
}

/** Among the costliest texts per byte (278–611 ms for 140 KB here): a list of one-digit constants. */
export function longInList(head = 'select 1 where 1 in (', bytes = 140_000): string {
  return `${filled(head, (n) => String(n % 10), bytes)})`;
}

/**
 * Runs `select 1` round trips on `client` until `done` settles (at least `minimum` of them), and returns the
 * longest one in milliseconds with how many ran.
 */
export async function longestRoundTrip(
  client: RawClient,
  done: Promise<unknown>,
  minimum = 5,
): Promise<{ readonly longestMs: number; readonly count: number }> {
  let finished = false;
  const finish = (): void => {
    finished = true;
  };
  done.then(finish, finish);
  let longestMs = 0;
  let count = 0;
  while (!finished || count < minimum) {
    const start = performance.now();
    client.send(query('select 1'));
    await client.untilReady();
    longestMs = Math.max(longestMs, performance.now() - start);
    count += 1;
  }
  return { longestMs, count };
}
