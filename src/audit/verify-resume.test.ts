import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AuditChain, EMPTY_HEAD, type StoredAuditEvent } from './audit-event.js';
import { signCheckpoint, type SignedCheckpoint } from './checkpoint.js';
import { MerkleBuilder } from './merkle.js';
import { verifyAuditLog, verifyAuditLogFrom, type VerifierMerkleTree } from './verify.js';

const signer = generateKeyPairSync('ed25519');
const T0 = 1_700_000_000_000;

function buildLog(size: number, every: number): { events: StoredAuditEvent[]; checkpoints: SignedCheckpoint[] } {
  const chain = new AuditChain(EMPTY_HEAD, { hmacKey: Buffer.alloc(32, 5) });
  const merkle = new MerkleBuilder();
  const events: StoredAuditEvent[] = [];
  const checkpoints: SignedCheckpoint[] = [];
  for (let seq = 1; seq <= size; seq += 1) {
    const { details: _details, ...stored } = chain.append({
      time: T0 + seq,
      actor: 'alice',
      action: 'request.approve',
      subject: `request:req_${seq}`,
      details: { step: seq },
    });
    events.push(stored);
    merkle.append(stored.hash);
    if (seq % every === 0) {
      checkpoints.push(
        signCheckpoint({ size: seq, head: stored.hash, root: merkle.root(), time: T0 + seq }, signer.privateKey),
      );
    }
  }
  return { events, checkpoints };
}

function tree(builder: MerkleBuilder): VerifierMerkleTree {
  return { append: (hash) => builder.append(hash), root: () => builder.root() };
}

describe('verifying a log from a prefix already proven good', () => {
  it('gives the verdict, head and root a verification of the whole log gives', async () => {
    const { events, checkpoints } = buildLog(50, 7);
    const whole = await verifyAuditLog({ events, checkpoints, publicKey: signer.publicKey });
    for (const cut of [1, 6, 7, 8, 35, 49, 50]) {
      const builder = new MerkleBuilder();
      const first = await verifyAuditLogFrom({ events: events.slice(0, cut), checkpoints: [], merkle: tree(builder) });
      expect(first.prefix?.seq).toBe(cut);
      const rest = await verifyAuditLogFrom({
        events: events.slice(cut),
        checkpoints: checkpoints.filter((c) => c.size > cut),
        publicKey: signer.publicKey,
        merkle: tree(new MerkleBuilder(builder.state())),
        ...(first.prefix === undefined ? {} : { resume: first.prefix }),
      });
      expect(rest.verification).toMatchObject({ ok: true, eventsVerified: 50, head: whole.head, root: whole.root });
    }
  });

  it('finds an event rewritten after the prefix, and a checkpoint that disagrees with the prefix', async () => {
    const { events, checkpoints } = buildLog(30, 10);
    const builder = new MerkleBuilder();
    const first = await verifyAuditLogFrom({
      events: events.slice(0, 12),
      checkpoints: checkpoints.filter((c) => c.size <= 12),
      merkle: tree(builder),
    });
    const resume = first.prefix;
    if (resume === undefined) throw new Error('the prefix should verify');
    const rewritten = events
      .slice(12)
      .map((event) => (event.seq === 15 ? { ...event, detailsJson: '{"step":0}' } : event));
    const found = await verifyAuditLogFrom({
      events: rewritten,
      checkpoints: checkpoints.filter((c) => c.size > 12),
      merkle: tree(new MerkleBuilder(builder.state())),
      resume,
    });
    expect(found.verification).toMatchObject({ ok: false, eventsVerified: 14, problem: { kind: 'modified', seq: 15 } });
    expect(found.prefix).toBeUndefined();

    // A prefix whose tree is not the log's (another history) fails at the next checkpoint.
    const other = new MerkleBuilder();
    for (let i = 0; i < 12; i += 1) other.append(String(i % 10).repeat(64));
    const mismatched = await verifyAuditLogFrom({
      events: events.slice(12),
      checkpoints: checkpoints.filter((c) => c.size > 12),
      merkle: tree(other),
      resume,
    });
    expect(mismatched.verification).toMatchObject({ ok: false, problem: { kind: 'checkpoint_mismatch' } });
  });

  it('refuses to resume without the Merkle tree of the prefix', async () => {
    const { events } = buildLog(3, 10);
    await expect(
      verifyAuditLogFrom({
        events,
        checkpoints: [],
        resume: { seq: 1, hash: events[0]?.hash ?? '', prevHash: '', lastMatchedSize: 0 },
      }),
    ).rejects.toThrow(/Merkle tree/);
  });
});
