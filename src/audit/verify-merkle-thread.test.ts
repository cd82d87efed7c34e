import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { canonicalEventBody, type StoredAuditEvent } from './audit-event.js';
import { EMPTY_TREE_ROOT, MerkleBuilder } from './merkle.js';
import type { VerifierEvent } from './verify.js';
import { MerkleThread } from './verify-merkle-thread.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function storedEvent(seq: number, subject: string): StoredAuditEvent {
  const prevHash = sha256(`before ${seq}`);
  const event = { seq, time: seq, actor: 'alice', action: 'request.approve', subject, detailsJson: '{"n":1}' };
  return { ...event, prevHash, hash: sha256(prevHash + canonicalEventBody(event)) };
}

/** Every third event as the database renders it, the others as stored columns. */
function mixedEvents(count: number): VerifierEvent[] {
  // Subjects beyond ASCII, some outside the BMP, so that text lengths are not byte counts.
  const subjects = ['request:req_1', 'résumé', '😀 emoji', 'lone \ud800 surrogate', ''];
  return Array.from({ length: count }, (_, index) => {
    const event = storedEvent(index + 1, subjects[index % subjects.length] as string);
    return index % 3 === 0 ? { seq: event.seq, text: event.hash + event.prevHash + canonicalEventBody(event) } : event;
  });
}

/** Splits `items` into pages of the given sizes, repeating the sizes as needed. */
function paginate<T>(items: readonly T[], sizes: readonly number[]): T[][] {
  const pages: T[][] = [];
  for (let start = 0, turn = 0; start < items.length; turn += 1) {
    const size = sizes[turn % sizes.length] ?? 1;
    pages.push(items.slice(start, start + size));
    start += size;
  }
  return pages;
}

async function* stream<T>(pages: readonly T[][]): AsyncGenerator<readonly T[]> {
  yield* pages;
}

const storedHash = (event: VerifierEvent) => ('text' in event ? event.text.slice(0, 64) : event.hash);

describe('the Merkle tree built on a worker thread', () => {
  const open: MerkleThread[] = [];
  const thread = (sizes: number[]) => {
    const made = new MerkleThread(sizes);
    open.push(made);
    return made;
  };
  afterEach(async () => {
    await Promise.all(open.splice(0).map((made) => made.close()));
  });

  it('passes every page on as it came, in order', async () => {
    const events = mixedEvents(40);
    const pages = paginate(events, [3, 1, 8]);
    const seen: (readonly VerifierEvent[])[] = [];
    for await (const page of thread([]).ahead(stream(pages))) seen.push(page);
    expect(seen).toEqual(pages);
  });

  it('has the root MerkleBuilder has at every size asked for, over pages of any length', async () => {
    const events = mixedEvents(300);
    const sizes = [1, 2, 3, 7, 8, 9, 64, 100, 127, 128, 129, 255, 256, 299, 300];
    const merkle = thread(sizes);
    const local = new MerkleBuilder();
    expect(merkle.root()).toBe(EMPTY_TREE_ROOT);
    for await (const page of merkle.ahead(stream(paginate(events, [1, 5, 17, 2, 64])))) {
      for (const event of page) {
        merkle.append(storedHash(event));
        local.append(storedHash(event));
        if (sizes.includes(event.seq) || event === page[page.length - 1]) expect(merkle.root()).toBe(local.root());
      }
    }
    expect(local.size).toBe(300);
  });

  it('refuses a hash other than the one it was given, and a root it was not asked for', async () => {
    const events = mixedEvents(10);
    const merkle = thread([]);
    const pages = merkle.ahead(stream([events]));
    await pages.next();
    merkle.append(storedHash(events[0] as VerifierEvent));
    expect(() => merkle.root()).toThrow(/no root at size 1/);
    expect(() => merkle.append(storedHash(events[2] as VerifierEvent))).toThrow(/another hash at size 2/);
    await pages.return(undefined);
  });
});
