import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { canonicalEventBody, type StoredAuditEvent } from './audit-event.js';
import { EMPTY_TREE_ROOT, MerkleBuilder } from './merkle.js';
import type { VerifierEvent } from './verify.js';
import { HashingThread } from './verify-hashing-thread.js';

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

describe('hashing on a worker thread', () => {
  const open: HashingThread[] = [];
  const thread = (sizes: number[]) => {
    const made = new HashingThread(sizes);
    open.push(made);
    return made;
  };
  afterEach(async () => {
    await Promise.all(open.splice(0).map((made) => made.close()));
  });

  it('recomputes each rendered event’s hash as hashEvent does, and passes other events on untouched', async () => {
    const events = mixedEvents(40);
    // A rendered event whose stored hash does not match its content: the hash is recomputed, not copied.
    const forged = events[3];
    if (forged === undefined || !('text' in forged)) throw new Error('event 4 is rendered');
    events[3] = { seq: forged.seq, text: 'f'.repeat(64) + forged.text.slice(64) };
    const seen: VerifierEvent[] = [];
    for await (const page of thread([]).ahead(stream(paginate(events, [3, 1, 8])))) seen.push(...page);
    expect(seen.map((event) => event.seq)).toEqual(events.map((event) => event.seq));
    seen.forEach((event, index) => {
      if (!('text' in event)) return expect(event).toBe(events[index]);
      expect(event.contentHash).toBe(sha256(event.text.slice(64)));
      expect(event.contentHash === storedHash(event)).toBe(event.seq !== 4);
    });
  });

  it('has the root MerkleBuilder has at every size asked for, over pages of any length', async () => {
    const events = mixedEvents(300);
    const sizes = [1, 2, 3, 7, 8, 9, 64, 100, 127, 128, 129, 255, 256, 299, 300];
    const hashing = thread(sizes);
    const local = new MerkleBuilder();
    expect(hashing.root()).toBe(EMPTY_TREE_ROOT);
    for await (const page of hashing.ahead(stream(paginate(events, [1, 5, 17, 2, 64])))) {
      for (const event of page) {
        hashing.append(storedHash(event));
        local.append(storedHash(event));
        if (sizes.includes(event.seq) || event === page[page.length - 1]) expect(hashing.root()).toBe(local.root());
      }
    }
    expect(local.size).toBe(300);
  });

  it('refuses a hash other than the one it was given, and a root it was not asked for', async () => {
    const events = mixedEvents(10);
    const hashing = thread([]);
    const pages = hashing.ahead(stream([events]));
    await pages.next();
    hashing.append(storedHash(events[0] as VerifierEvent));
    expect(() => hashing.root()).toThrow(/no Merkle root at size 1/);
    expect(() => hashing.append(storedHash(events[2] as VerifierEvent))).toThrow(/another hash at size 2/);
    await pages.return(undefined);
  });
});
