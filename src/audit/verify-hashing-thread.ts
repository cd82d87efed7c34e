/**
 * The hashing of `audit verify` done on a second thread. Recomputing each event's hash and rebuilding the
 * RFC 6962 tree cost three SHA-256 per event, half the work of verifying a large log; on a worker thread they
 * run beside the reading and the chain checks instead of after them.
 *
 * {@link HashingThread.ahead} hands the worker each page as soon as it is read: the stored hash of every event,
 * for the tree, and the text of every event the database rendered (see `readEventsToVerify`), to hash. It passes
 * the page on to the verifier once the worker is done with it, each rendered event carrying the hash recomputed
 * from its text; the verifier compares it with the stored one and checks the chain as ever. The worker also
 * answers the root of the tree at every size the verifier may ask for (each checkpoint's size, and the end of
 * the page). The verifier asks for a root only at a size up to which it has accepted every event, and an
 * accepted event's recomputed hash is its stored hash; so the worker's tree is the one the verifier would have
 * built itself. `append` holds each accepted hash against the one the worker was given, all the same.
 */
import { Worker } from 'node:worker_threads';
import { EMPTY_TREE_ROOT } from './merkle.js';
import { HASH_LENGTH, type RenderedAuditEvent, type VerifierEvent, type VerifierMerkleTree } from './verify.js';

/**
 * The worker's program, plain JavaScript so that it runs from source text in any setting (compiled, or under a
 * TypeScript loader that workers do not inherit). Each message is a page: `hashes`, the stored hashes end to
 * end; `texts`, the rendered texts end to end; `lengths`, each event's text length, or -1 for an event that was
 * not rendered. The answer: the SHA-256 of each text after its stored hash (as `hashEvent` hashes it), end to
 * end, and `[size, root]` pairs. The tree is `MerkleBuilder` (merkle.ts) over hex hashes; the tests of this
 * module hold the two equal.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { hash } = require('node:crypto');
const wanted = new Set(workerData.sizes);
const leafInput = Buffer.alloc(33, 0x00);
const nodeInput = Buffer.alloc(65, 0x01);
const nodes = [];
let size = 0;
function nodeHash(left, right) {
  nodeInput.write(left, 1, 32, 'hex');
  nodeInput.write(right, 33, 32, 'hex');
  return hash('sha256', nodeInput, 'hex');
}
function root() {
  let root = nodes[nodes.length - 1];
  for (let index = nodes.length - 2; index >= 0; index -= 1) root = nodeHash(nodes[index], root);
  return root;
}
parentPort.on('message', ({ hashes, texts, lengths }) => {
  const recomputed = [];
  const roots = [];
  let at = 0;
  for (let index = 0; index < lengths.length; index += 1) {
    const length = lengths[index];
    if (length >= 0) {
      recomputed.push(hash('sha256', texts.slice(at + ${HASH_LENGTH}, at + length), 'hex'));
      at += length;
    }
    leafInput.write(hashes.slice(index * ${HASH_LENGTH}, (index + 1) * ${HASH_LENGTH}), 1, 32, 'hex');
    let node = hash('sha256', leafInput, 'hex');
    for (let rest = size; rest % 2 === 1; rest = (rest - 1) / 2) node = nodeHash(nodes.pop(), node);
    nodes.push(node);
    size += 1;
    if (wanted.has(size)) roots.push([size, root()]);
  }
  if (size > 0) roots.push([size, root()]);
  parentPort.postMessage({ recomputed: recomputed.join(''), roots });
});
`;

interface PageAnswer {
  readonly recomputed: string;
  readonly roots: readonly (readonly [number, string])[];
}

/**
 * Stands in for a stored hash that is not 64 characters, to keep the others in place in a page's string. Such
 * an event fails its own hash check, so no root over it is ever asked for.
 */
const MALFORMED_HASH = '0'.repeat(HASH_LENGTH);

function storedHashOf(event: VerifierEvent): string {
  if ('text' in event) return event.text.slice(0, HASH_LENGTH);
  const { hash } = event;
  return typeof hash === 'string' && hash.length === HASH_LENGTH ? hash : MALFORMED_HASH;
}

interface Waiter {
  readonly resolve: (answer: PageAnswer) => void;
  readonly reject: (error: Error) => void;
}

/** Hashing for `verifyAuditLog` on a worker thread, and the {@link VerifierMerkleTree} it builds; `close` it. */
export class HashingThread implements VerifierMerkleTree {
  readonly #worker: Worker;
  readonly #roots = new Map<number, string>();
  readonly #waiters: Waiter[] = [];
  /** Pages of stored hashes given to the worker and not yet all appended, oldest first. */
  readonly #given: string[] = [];
  #offset = 0;
  #size = 0;

  /** `sizes`: the sizes whose roots will be asked for besides the ends of pages (the checkpoints' sizes). */
  constructor(sizes: Iterable<number>) {
    this.#worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { sizes: [...new Set(sizes)] } });
    this.#worker.on('message', (answer: PageAnswer) => this.#waiters.shift()?.resolve(answer));
    const fail = (error: Error) => {
      for (const waiter of this.#waiters.splice(0)) waiter.reject(error);
    };
    this.#worker.on('error', fail);
    this.#worker.on('exit', () => fail(new Error('the hashing thread stopped')));
  }

  /**
   * Yields `pages` in order, each once the worker is done with it, with its rendered events' hashes recomputed;
   * the next page is read while the worker hashes.
   */
  async *ahead(pages: AsyncIterable<readonly VerifierEvent[]>): AsyncGenerator<readonly VerifierEvent[]> {
    let pending: { readonly page: readonly VerifierEvent[]; readonly done: Promise<PageAnswer> } | undefined;
    for await (const page of pages) {
      if (page.length === 0) continue;
      const done = this.#give(page);
      if (pending !== undefined) yield this.#take(pending.page, await pending.done);
      pending = { page, done };
    }
    if (pending !== undefined) yield this.#take(pending.page, await pending.done);
  }

  append(eventHash: string): void {
    const page = this.#given[0];
    if (page === undefined || eventHash.length !== HASH_LENGTH || !page.startsWith(eventHash, this.#offset)) {
      throw new Error(`the hashing thread was given another hash at size ${this.#size + 1} than the verifier accepted`);
    }
    this.#size += 1;
    this.#offset += HASH_LENGTH;
    if (this.#offset === page.length) {
      this.#given.shift();
      this.#offset = 0;
    }
  }

  root(): string {
    if (this.#size === 0) return EMPTY_TREE_ROOT;
    const root = this.#roots.get(this.#size);
    if (root === undefined) throw new Error(`the hashing thread has no Merkle root at size ${this.#size}`);
    return root;
  }

  async close(): Promise<void> {
    await this.#worker.terminate();
  }

  #give(page: readonly VerifierEvent[]): Promise<PageAnswer> {
    const stored: string[] = [];
    const texts: string[] = [];
    const lengths = new Int32Array(page.length);
    page.forEach((event, index) => {
      stored.push(storedHashOf(event));
      if ('text' in event) texts.push(event.text);
      lengths[index] = 'text' in event ? event.text.length : -1;
    });
    const hashes = stored.join('');
    this.#given.push(hashes);
    const done = new Promise<PageAnswer>((resolve, reject) => this.#waiters.push({ resolve, reject }));
    // A page read ahead may never be waited for (the verifier stopped early): its failure is not unhandled.
    done.catch(() => undefined);
    this.#worker.postMessage({ hashes, texts: texts.join(''), lengths }, [lengths.buffer]);
    return done;
  }

  /** The page with the roots recorded and each rendered event given the hash the worker recomputed. */
  #take(page: readonly VerifierEvent[], answer: PageAnswer): VerifierEvent[] {
    for (const [size, root] of answer.roots) this.#roots.set(size, root);
    let at = 0;
    return page.map((event): VerifierEvent => {
      if (!('text' in event)) return event;
      const recomputed: RenderedAuditEvent = {
        seq: event.seq,
        text: event.text,
        contentHash: answer.recomputed.slice(at, at + HASH_LENGTH),
      };
      at += HASH_LENGTH;
      return recomputed;
    });
  }
}
