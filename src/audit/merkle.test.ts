import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EMPTY_TREE_ROOT, MerkleBuilder, merkleLeafHash, merkleNodeHash, merkleRoot } from './merkle.js';

const sha256 = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();

/** RFC 6962 §2.1 written out literally, over raw bytes: the reference the builder must match. */
function referenceRoot(leaves: readonly Buffer[]): string {
  const mth = (items: readonly Buffer[]): Buffer => {
    if (items.length === 0) return sha256();
    if (items.length === 1) return sha256(Buffer.from([0x00]), items[0] as Buffer);
    let k = 1;
    while (k * 2 < items.length) k *= 2;
    return sha256(Buffer.from([0x01]), mth(items.slice(0, k)), mth(items.slice(k)));
  };
  return mth(leaves).toString('hex');
}

const eventHash = (index: number) => createHash('sha256').update(`event ${index}`).digest('hex');

describe('RFC 6962 Merkle tree', () => {
  it('the empty tree hashes to SHA-256 of nothing', () => {
    expect(EMPTY_TREE_ROOT).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(new MerkleBuilder().root()).toBe(EMPTY_TREE_ROOT);
  });

  it('three leaves split as ((0, 1), 2)', () => {
    const [a, b, c] = [0, 1, 2].map(eventHash) as [string, string, string];
    const expected = merkleNodeHash(merkleNodeHash(merkleLeafHash(a), merkleLeafHash(b)), merkleLeafHash(c));
    expect(merkleRoot([a, b, c])).toBe(expected);
    expect(merkleLeafHash(a)).toBe(sha256(Buffer.from([0]), Buffer.from(a, 'hex')).toString('hex'));
  });

  it('the incremental root matches the recursive definition at every size from 0 to 300', () => {
    const hashes = Array.from({ length: 300 }, (_, index) => eventHash(index));
    const builder = new MerkleBuilder();
    for (let size = 0; size <= 300; size += 1) {
      expect(builder.root(), `size ${size}`).toBe(
        referenceRoot(hashes.slice(0, size).map((h) => Buffer.from(h, 'hex'))),
      );
      const next = hashes[size];
      if (next !== undefined) builder.append(next);
    }
  });

  it('the incremental root matches the recursive definition at random sizes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 301, max: 5000 }), (size) => {
        const hashes = Array.from({ length: size }, (_, index) => eventHash(index * 7 + size));
        expect(merkleRoot(hashes)).toBe(referenceRoot(hashes.map((h) => Buffer.from(h, 'hex'))));
      }),
      { numRuns: 20 },
    );
  });

  it('a builder resumed from a saved state continues exactly where it stopped', () => {
    const hashes = Array.from({ length: 77 }, (_, index) => eventHash(index));
    const first = new MerkleBuilder();
    hashes.slice(0, 45).forEach((h) => first.append(h));
    const resumed = new MerkleBuilder(first.state());
    hashes.slice(45).forEach((h) => resumed.append(h));
    expect(resumed.size).toBe(77);
    expect(resumed.root()).toBe(merkleRoot(hashes));
  });

  it('a saved state whose subtree count does not fit its size is refused', () => {
    expect(() => new MerkleBuilder({ size: 3, nodes: [eventHash(0)] })).toThrow(/needs 2 subtree roots/);
  });

  it('an event hash that is not 64 lowercase hex characters is refused', () => {
    expect(() => new MerkleBuilder().append('ABC')).toThrow(RangeError);
  });
});
