/**
 * The Merkle tree of `audit verify` built on a second thread. Rebuilding the RFC 6962 tree costs two SHA-256 per
 * event, about a third of the work of verifying a large log; on a worker thread it runs beside the reading and
 * the chain checks instead of after them.
 *
 * {@link MerkleThread.ahead} hands the worker each page's stored event hashes as soon as the page is read, and
 * passes the page on to the verifier once the worker has taken them into the tree, with the root at every size
 * the verifier may ask for (each checkpoint's size, and the end of the page). The verifier asks for a root only
 * at a size up to which it has accepted every event, and an accepted event's recomputed hash is its stored hash;
 * so the worker's tree is the one the verifier would have built itself. `append` holds each accepted hash
 * against the one the worker was given, all the same.
 */
import { Worker } from 'node:worker_threads';
import { EMPTY_TREE_ROOT } from './merkle.js';
import { HASH_LENGTH, type VerifierEvent, type VerifierMerkleTree } from './verify.js';

/**
 * The worker's program, plain JavaScript so that it runs from source text in any setting (compiled, or under a
 * TypeScript loader that workers do not inherit). Each message is a page's stored hashes end to end; the answer
 * is `[size, root]` pairs. The tree is `MerkleBuilder` (merkle.ts) over hex hashes; the tests of this module
 * hold the two equal.
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
parentPort.on('message', (hashes) => {
  const roots = [];
  for (let at = 0; at < hashes.length; at += ${HASH_LENGTH}) {
    leafInput.write(hashes.slice(at, at + ${HASH_LENGTH}), 1, 32, 'hex');
    let node = hash('sha256', leafInput, 'hex');
    for (let rest = size; rest % 2 === 1; rest = (rest - 1) / 2) node = nodeHash(nodes.pop(), node);
    nodes.push(node);
    size += 1;
    if (wanted.has(size)) roots.push([size, root()]);
  }
  if (size > 0) roots.push([size, root()]);
  parentPort.postMessage(roots);
});
`;

type Roots = readonly (readonly [number, string])[];

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
  readonly resolve: (roots: Roots) => void;
  readonly reject: (error: Error) => void;
}

/** A {@link VerifierMerkleTree} built on a worker thread; `close` it when done. */
export class MerkleThread implements VerifierMerkleTree {
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
    this.#worker.on('message', (roots: Roots) => this.#waiters.shift()?.resolve(roots));
    const fail = (error: Error) => {
      for (const waiter of this.#waiters.splice(0)) waiter.reject(error);
    };
    this.#worker.on('error', fail);
    this.#worker.on('exit', () => fail(new Error('the Merkle thread stopped')));
  }

  /** Yields `pages` in order, each once the worker has taken its hashes in; the next page is read meanwhile. */
  async *ahead(pages: AsyncIterable<readonly VerifierEvent[]>): AsyncGenerator<readonly VerifierEvent[]> {
    let pending: { readonly page: readonly VerifierEvent[]; readonly taken: Promise<Roots> } | undefined;
    for await (const page of pages) {
      if (page.length === 0) continue;
      const taken = this.#give(page.map(storedHashOf).join(''));
      if (pending !== undefined) yield this.#take(pending.page, await pending.taken);
      pending = { page, taken };
    }
    if (pending !== undefined) yield this.#take(pending.page, await pending.taken);
  }

  append(eventHash: string): void {
    const page = this.#given[0];
    if (page === undefined || eventHash.length !== HASH_LENGTH || !page.startsWith(eventHash, this.#offset)) {
      throw new Error(`the Merkle thread was given another hash at size ${this.#size + 1} than the verifier accepted`);
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
    if (root === undefined) throw new Error(`the Merkle thread has no root at size ${this.#size}`);
    return root;
  }

  async close(): Promise<void> {
    await this.#worker.terminate();
  }

  #give(hashes: string): Promise<Roots> {
    this.#given.push(hashes);
    const taken = new Promise<Roots>((resolve, reject) => this.#waiters.push({ resolve, reject }));
    // A page read ahead may never be waited for (the verifier stopped early): its failure is not unhandled.
    taken.catch(() => undefined);
    this.#worker.postMessage(hashes);
    return taken;
  }

  #take(page: readonly VerifierEvent[], roots: Roots): readonly VerifierEvent[] {
    for (const [size, root] of roots) this.#roots.set(size, root);
    return page;
  }
}
