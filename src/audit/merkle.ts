/**
 * RFC 6962 §2.1 Merkle tree hash over the audit log, whose leaves are the events' chain hashes (32 bytes each):
 *   MTH({})    = SHA-256()
 *   leaf(d)    = SHA-256(0x00 ‖ d)
 *   MTH(D[n])  = SHA-256(0x01 ‖ MTH(D[0:k]) ‖ MTH(D[k:n])), k the largest power of two smaller than n.
 * {@link MerkleBuilder} keeps only the roots of the perfect subtrees that make up the log so far (one per set
 * bit of the size, a "compact range"), so an append costs amortised O(1) hashes and a root O(log n).
 * Hashes travel as lowercase hex strings.
 */
import { hash as oneShotHash } from 'node:crypto';

/** MTH of the empty tree: SHA-256 of no bytes. */
export const EMPTY_TREE_ROOT = oneShotHash('sha256', '', 'hex');

const HEX_HASH = /^[0-9a-f]{64}$/;
// Scratch buffers: hashing happens synchronously, so one pair serves every call.
const leafInput = Buffer.alloc(33, 0x00);
const nodeInput = Buffer.alloc(65, 0x01);

/** RFC 6962 leaf hash of one event hash (hex). */
export function merkleLeafHash(eventHash: string): string {
  leafInput.write(eventHash, 1, 32, 'hex');
  return oneShotHash('sha256', leafInput, 'hex');
}

/** RFC 6962 interior node hash of two child hashes (hex). */
export function merkleNodeHash(left: string, right: string): string {
  nodeInput.write(left, 1, 32, 'hex');
  nodeInput.write(right, 33, 32, 'hex');
  return oneShotHash('sha256', nodeInput, 'hex');
}

/** What a builder needs to resume: the size and the perfect subtree roots, largest (leftmost) first. */
export interface MerkleState {
  readonly size: number;
  readonly nodes: readonly string[];
}

function popCount(value: number): number {
  let count = 0;
  for (let rest = value; rest > 0; rest = Math.floor(rest / 2)) count += rest % 2;
  return count;
}

/** Incremental RFC 6962 tree: `root()` after n appends equals MTH of those n leaves. */
export class MerkleBuilder {
  readonly #nodes: string[];
  #size: number;

  constructor(state: MerkleState = { size: 0, nodes: [] }) {
    if (!Number.isSafeInteger(state.size) || state.size < 0 || popCount(state.size) !== state.nodes.length) {
      throw new RangeError(`a Merkle state of size ${state.size} needs ${popCount(state.size)} subtree roots`);
    }
    if (!state.nodes.every((node) => HEX_HASH.test(node))) throw new RangeError('Merkle subtree roots must be hex');
    this.#nodes = [...state.nodes];
    this.#size = state.size;
  }

  get size(): number {
    return this.#size;
  }

  /** A copy of the compact range, for storing beside a checkpoint and resuming later. */
  state(): MerkleState {
    return { size: this.#size, nodes: [...this.#nodes] };
  }

  /** Appends the leaf for one event hash (64 lowercase hex characters). */
  append(eventHash: string): void {
    if (!HEX_HASH.test(eventHash)) throw new RangeError('an event hash is 64 lowercase hex characters');
    this.appendTrusted(eventHash);
  }

  /** {@link append} without the format check, for callers that have just computed the hash themselves. */
  appendTrusted(eventHash: string): void {
    let node = merkleLeafHash(eventHash);
    // Each trailing 1 bit of the old size is a perfect subtree of the same height as the new one: merge them.
    for (let size = this.#size; size % 2 === 1; size = (size - 1) / 2) {
      node = merkleNodeHash(this.#nodes.pop() as string, node);
    }
    this.#nodes.push(node);
    this.#size += 1;
  }

  /** MTH of everything appended so far. */
  root(): string {
    const nodes = this.#nodes;
    let root = nodes[nodes.length - 1];
    if (root === undefined) return EMPTY_TREE_ROOT;
    for (let index = nodes.length - 2; index >= 0; index -= 1) root = merkleNodeHash(nodes[index] as string, root);
    return root;
  }
}

/** MTH of a list of event hashes. */
export function merkleRoot(eventHashes: Iterable<string>): string {
  const builder = new MerkleBuilder();
  for (const eventHash of eventHashes) builder.append(eventHash);
  return builder.root();
}
