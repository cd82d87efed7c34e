import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  AuditChain,
  canonicalEventBody,
  EMPTY_HEAD,
  GENESIS_HASH,
  hashEvent,
  type AuditEvent,
  type StoredAuditEvent,
} from './audit-event.js';
import { signCheckpoint, type SignedCheckpoint } from './checkpoint.js';
import { EMPTY_TREE_ROOT, MerkleBuilder, merkleRoot } from './merkle.js';
import { verifyAuditLog, type AuditProblemKind, type RenderedAuditEvent, type VerifyAuditLogInput } from './verify.js';

const hmacKey = Buffer.alloc(32, 3);
const signer = generateKeyPairSync('ed25519');
const rogue = generateKeyPairSync('ed25519');
const T0 = 1_700_000_000_000;

interface Log {
  readonly events: StoredAuditEvent[];
  readonly checkpoints: SignedCheckpoint[];
}

/** A log of `size` events with a checkpoint signed every `every` events. */
function buildLog(size: number, every: number): Log {
  const chain = new AuditChain(EMPTY_HEAD, { hmacKey });
  const merkle = new MerkleBuilder();
  const events: StoredAuditEvent[] = [];
  const checkpoints: SignedCheckpoint[] = [];
  for (let seq = 1; seq <= size; seq += 1) {
    const { details: _details, ...stored } = chain.append({
      time: T0 + seq * 1000,
      actor: seq % 2 === 0 ? 'bob' : 'alice',
      action: 'request.approve',
      subject: `request:req_${seq}`,
      details: { step: seq % 3, justification: `change ${seq}`, password: `pw${seq}` },
    });
    events.push(stored);
    merkle.append(stored.hash);
    if (seq % every === 0)
      checkpoints.push(sign({ size: seq, head: stored.hash, root: merkle.root(), time: T0 + seq * 1000 }));
  }
  return { events, checkpoints };
}

const sign = (checkpoint: Omit<SignedCheckpoint, 'keyId' | 'signature'>, key = signer.privateKey) =>
  signCheckpoint(checkpoint, key);

// What an attacker with write access to the database can do.
const edit = (event: StoredAuditEvent, text: string): StoredAuditEvent => ({
  ...event,
  detailsJson: event.detailsJson.replace(/change \d+/, text),
});
const rehash = (event: StoredAuditEvent): StoredAuditEvent => ({ ...event, hash: hashEvent(event.prevHash, event) });
const rechain = (events: readonly StoredAuditEvent[]): StoredAuditEvent[] => {
  let prevHash = GENESIS_HASH;
  return events.map((event, index) => {
    const linked = { ...event, seq: index + 1, prevHash };
    const hash = hashEvent(prevHash, linked);
    prevHash = hash;
    return { ...linked, hash };
  });
};
const forgedAfter = (previous: StoredAuditEvent): StoredAuditEvent =>
  rehash({
    ...previous,
    seq: previous.seq + 1,
    prevHash: previous.hash,
    actor: 'mallory',
    detailsJson: '{"forged":true}',
  });
const at = (events: readonly StoredAuditEvent[], seq: number): StoredAuditEvent => {
  const event = events.find((candidate) => candidate.seq === seq);
  if (event === undefined) throw new Error(`no event ${seq} in the fixture`);
  return event;
};
const resignAll = (checkpoints: readonly SignedCheckpoint[], events: readonly StoredAuditEvent[]) => {
  const merkle = new MerkleBuilder();
  const roots = new Map<number, string>();
  events.forEach((event, index) => {
    merkle.append(event.hash);
    roots.set(index + 1, merkle.root());
  });
  return checkpoints.map((checkpoint) =>
    sign(
      { ...checkpoint, head: at(events, checkpoint.size).hash, root: roots.get(checkpoint.size) ?? '' },
      rogue.privateKey,
    ),
  );
};

/** An event as SQLite renders it for verification: stored hash, stored prevHash, canonical body. */
const rendered = (event: StoredAuditEvent): RenderedAuditEvent => ({
  seq: event.seq,
  text: event.hash + event.prevHash + canonicalEventBody(event),
});

async function* pagesOf<T>(events: readonly T[], size = 4): AsyncGenerator<readonly T[]> {
  for (let start = 0; start < events.length; start += size) yield events.slice(start, start + size);
}

type Tamper = (log: Log) => {
  events: StoredAuditEvent[];
  checkpoints: SignedCheckpoint[];
  witness?: SignedCheckpoint[];
};

const tamperings: [string, Tamper, AuditProblemKind, number][] = [
  [
    'event 50, the last one a checkpoint covers, edited with its own hash recomputed',
    ({ events, checkpoints }) => ({
      events: events.map((e) => (e.seq === 50 ? rehash(edit(e, 'x')) : e)),
      checkpoints,
    }),
    'modified',
    50,
  ],
  [
    'details of event 37 edited in place',
    ({ events, checkpoints }) => ({
      events: events.map((e) => (e.seq === 37 ? edit(e, 'change 99') : e)),
      checkpoints,
    }),
    'modified',
    37,
  ],
  [
    'event 37 edited and its own hash recomputed',
    ({ events, checkpoints }) => ({
      events: events.map((e) => (e.seq === 37 ? rehash(edit(e, 'x')) : e)),
      checkpoints,
    }),
    'modified',
    37,
  ],
  [
    'event 37 edited and the chain after it recomputed',
    ({ events, checkpoints }) => ({
      events: rechain(events.map((e) => (e.seq === 37 ? edit(e, 'x') : e))),
      checkpoints,
    }),
    'checkpoint_mismatch',
    26,
  ],
  [
    'event 10 deleted',
    ({ events, checkpoints }) => ({ events: events.filter((e) => e.seq !== 10), checkpoints }),
    'deleted',
    10,
  ],
  [
    'events 10 to 12 deleted',
    ({ events, checkpoints }) => ({ events: events.filter((e) => e.seq < 10 || e.seq > 12), checkpoints }),
    'deleted',
    10,
  ],
  ['the first event deleted', ({ events, checkpoints }) => ({ events: events.slice(1), checkpoints }), 'deleted', 1],
  [
    'events 20 and 21 swapped',
    ({ events, checkpoints }) => ({
      events: events.map((e) => at(events, e.seq === 20 ? 21 : e.seq === 21 ? 20 : e.seq)),
      checkpoints,
    }),
    'reordered',
    20,
  ],
  [
    'event 5 moved to the end',
    ({ events, checkpoints }) => ({ events: [...events.filter((e) => e.seq !== 5), at(events, 5)], checkpoints }),
    'reordered',
    5,
  ],
  [
    'event 30 stored twice',
    ({ events, checkpoints }) => ({ events: events.flatMap((e) => (e.seq === 30 ? [e, e] : [e])), checkpoints }),
    'inserted',
    30,
  ],
  [
    'a forged event 50 slipped in beside the real one',
    ({ events, checkpoints }) => ({
      events: events.flatMap((e) => (e.seq === 50 ? [forgedAfter(at(events, 49)), e] : [e])),
      checkpoints,
    }),
    'inserted',
    50,
  ],
  [
    'a forged event 50 inserted and later events renumbered with recomputed hashes',
    ({ events, checkpoints }) => ({
      events: [
        ...events.slice(0, 49),
        forgedAfter(at(events, 49)),
        ...events.slice(49).map((e) => rehash({ ...e, seq: e.seq + 1 })),
      ],
      checkpoints,
    }),
    'inserted',
    50,
  ],
  [
    'a forged event 50 inserted with the whole chain recomputed after it',
    ({ events, checkpoints }) => ({
      events: rechain([...events.slice(0, 49), forgedAfter(at(events, 49)), ...events.slice(49)]),
      checkpoints,
    }),
    'checkpoint_mismatch',
    26,
  ],
  [
    'the chain rewritten and the database checkpoints after it dropped, but a witness kept them',
    ({ events, checkpoints }) => ({
      events: rechain([...events.slice(0, 49), forgedAfter(at(events, 49)), ...events.slice(49)]),
      checkpoints: checkpoints.slice(0, 1),
      witness: checkpoints,
    }),
    'checkpoint_mismatch',
    26,
  ],
  [
    'the last 10 events dropped behind the checkpoint at 100',
    ({ events, checkpoints }) => ({ events: events.slice(0, 90), checkpoints }),
    'truncated',
    91,
  ],
  [
    'the last 10 events and the checkpoint at 100 dropped, but a witness kept it',
    ({ events, checkpoints }) => ({
      events: events.slice(0, 90),
      checkpoints: checkpoints.slice(0, 3),
      witness: checkpoints,
    }),
    'truncated',
    91,
  ],
  [
    'the checkpoint at 50 re-signed by another key',
    ({ events, checkpoints }) => ({
      events,
      checkpoints: checkpoints.map((c) => (c.size === 50 ? sign(c, rogue.privateKey) : c)),
    }),
    'bad_signature',
    50,
  ],
  [
    'history rewritten and every checkpoint re-signed by another key',
    ({ events, checkpoints }) => {
      const rewritten = rechain(events.map((e) => (e.seq === 37 ? edit(e, 'x') : e)));
      return { events: rewritten, checkpoints: resignAll(checkpoints, rewritten) };
    },
    'bad_signature',
    25,
  ],
  [
    'the signature of the checkpoint at 75 corrupted',
    ({ events, checkpoints }) => ({
      events,
      // Flip the first character for sure (replacing it with a fixed one is a no-op when it already is that one).
      checkpoints: checkpoints.map((c) =>
        c.size === 75 ? { ...c, signature: `${c.signature.startsWith('B') ? 'C' : 'B'}${c.signature.slice(1)}` } : c,
      ),
    }),
    'bad_signature',
    75,
  ],
  [
    'the database lost the checkpoint at 50 that the witness holds',
    ({ events, checkpoints }) => ({
      events,
      checkpoints: checkpoints.filter((c) => c.size !== 50),
      witness: checkpoints,
    }),
    'witness_mismatch',
    50,
  ],
  [
    'the witness holds a different checkpoint at 50 than the database',
    ({ events, checkpoints }) => ({
      events,
      checkpoints,
      witness: checkpoints.map((c) => (c.size === 50 ? sign({ ...c, time: c.time + 1 }) : c)),
    }),
    'witness_mismatch',
    50,
  ],
  [
    'the witness holds a checkpoint signed by another key',
    ({ events, checkpoints }) => ({
      events,
      checkpoints,
      witness: checkpoints.map((c) => (c.size === 50 ? sign(c, rogue.privateKey) : c)),
    }),
    'bad_signature',
    50,
  ],
  [
    'event 37 edited and the checkpoint at 75 forged: the earlier problem is named',
    ({ events, checkpoints }) => ({
      events: events.map((e) => (e.seq === 37 ? edit(e, 'x') : e)),
      checkpoints: checkpoints.map((c) => (c.size === 75 ? sign(c, rogue.privateKey) : c)),
    }),
    'modified',
    37,
  ],
];

describe('verifying the audit log', () => {
  it('an untouched log with a checkpoint every 10 events verifies, with its head and Merkle root', async () => {
    const log = buildLog(100, 10);
    const result = await verifyAuditLog({ ...log, publicKey: signer.publicKey, witness: log.checkpoints });
    expect(result).toEqual({
      ok: true,
      eventsVerified: 100,
      checkpointsVerified: 10,
      witnessCheckpointsVerified: 10,
      signaturesChecked: true,
      head: { seq: 100, hash: log.events[99]?.hash },
      root: merkleRoot(log.events.map((event) => event.hash)),
    });
  });

  it('events read in pages, rendered by the database as one text each, verify the same way', async () => {
    const log = buildLog(30, 7);
    const input = log.events.map(rendered);
    expect(
      await verifyAuditLog({ events: pagesOf(input), checkpoints: log.checkpoints, publicKey: signer.publicKey }),
    ).toMatchObject({
      ok: true,
      eventsVerified: 30,
      checkpointsVerified: 4,
      head: { seq: 30, hash: log.events[29]?.hash },
      root: merkleRoot(log.events.map((e) => e.hash)),
    });
    const edited = input.map((e) => (e.seq === 12 ? { ...e, text: e.text.replace('change', 'chang3') } : e));
    expect(await verifyAuditLog({ events: pagesOf(edited), checkpoints: [] })).toMatchObject({
      ok: false,
      firstBadSeq: 12,
      problem: { kind: 'modified' },
    });
  });

  it('pages stop being read at the first problem', async () => {
    const { events, checkpoints } = buildLog(100, 25);
    let pagesRead = 0;
    async function* pages(): AsyncGenerator<readonly StoredAuditEvent[]> {
      for (let start = 0; start < events.length; start += 10) {
        pagesRead += 1;
        yield events.slice(start, start + 10).map((event) => (event.seq === 35 ? edit(event, 'x') : event));
      }
    }
    expect(await verifyAuditLog({ events: pages(), checkpoints })).toMatchObject({ firstBadSeq: 35 });
    expect(pagesRead).toBe(4);
  });

  it('events streamed asynchronously with details as objects verify the same way', async () => {
    const log = buildLog(30, 7);
    const asObjects: AuditEvent[] = log.events.map(({ detailsJson, ...rest }) => ({
      ...rest,
      details: JSON.parse(detailsJson) as AuditEvent['details'],
    }));
    async function* stream() {
      yield* asObjects;
    }
    expect(
      await verifyAuditLog({ events: stream(), checkpoints: log.checkpoints, publicKey: signer.publicKey }),
    ).toMatchObject({
      ok: true,
      eventsVerified: 30,
    });
    const edited = asObjects.map((event) =>
      event.seq === 12 ? { ...event, details: { ...event.details, step: 9 } } : event,
    );
    expect(await verifyAuditLog({ events: edited, checkpoints: [] })).toMatchObject({ ok: false, firstBadSeq: 12 });
  });

  it('an empty log verifies, also against a checkpoint of size 0', async () => {
    const empty = sign({ size: 0, head: GENESIS_HASH, root: EMPTY_TREE_ROOT, time: T0 });
    expect(await verifyAuditLog({ events: [], checkpoints: [empty], publicKey: signer.publicKey })).toMatchObject({
      ok: true,
      eventsVerified: 0,
      checkpointsVerified: 1,
      root: EMPTY_TREE_ROOT,
    });
  });

  it('events appended after the last checkpoint verify by their chain', async () => {
    const log = buildLog(60, 25);
    expect(await verifyAuditLog({ ...log, publicKey: signer.publicKey })).toMatchObject({
      ok: true,
      eventsVerified: 60,
    });
  });

  for (const [name, tamper, kind, seq] of tamperings) {
    it(`${name} is reported as ${kind} at seq ${seq}`, async () => {
      const tampered = tamper(buildLog(100, 25));
      const result = await verifyAuditLog({ witness: tampered.checkpoints, ...tampered, publicKey: signer.publicKey });
      expect(result).toMatchObject({ ok: false, firstBadSeq: seq, problem: { kind, seq } });
      expect(result.eventsVerified).toBe(Math.max(0, seq - 1));
      expect(result.problem?.message).toMatch(/\S/);
      // Rendered by the database and read in pages, the same events get the same verdict.
      const events = pagesOf(tampered.events.map(rendered), 7);
      expect(
        await verifyAuditLog({ witness: tampered.checkpoints, ...tampered, events, publicKey: signer.publicKey }),
      ).toEqual(result);
    });
  }

  it('a rewrite caught by a checkpoint names the range it lies in', async () => {
    const { events, checkpoints } = buildLog(100, 25);
    const rewritten = rechain(events.map((e) => (e.seq === 37 ? edit(e, 'x') : e)));
    const result = await verifyAuditLog({ events: rewritten, checkpoints, publicKey: signer.publicKey });
    expect(result.problem?.message).toBe(
      "the log's chain head at size 50 differs from the database checkpoint: history between seq 26 and 50 was rewritten",
    );
  });

  it('without a public key signatures are not checked, but checkpoint contents still are', async () => {
    const { events, checkpoints } = buildLog(50, 25);
    const forged = checkpoints.map((c) => sign(c, rogue.privateKey));
    expect(await verifyAuditLog({ events, checkpoints: forged })).toMatchObject({ ok: true, signaturesChecked: false });
    const rewritten = rechain(events.map((e) => (e.seq === 30 ? edit(e, 'x') : e)));
    expect(await verifyAuditLog({ events: rewritten, checkpoints })).toMatchObject({
      ok: false,
      problem: { kind: 'checkpoint_mismatch', seq: 26 },
    });
  });

  it('a rewritten chain whose checkpoints were all removed goes unseen without a witness', async () => {
    const { events } = buildLog(40, 10);
    const rewritten = rechain(events.map((e) => (e.seq === 5 ? edit(e, 'x') : e)));
    expect(await verifyAuditLog({ events: rewritten, checkpoints: [], publicKey: signer.publicKey })).toMatchObject({
      ok: true,
    });
  });

  it('verification stops reading at the first problem', async () => {
    const { events, checkpoints } = buildLog(100, 25);
    let read = 0;
    function* counted(): Generator<StoredAuditEvent> {
      for (const event of events) {
        read += 1;
        yield event.seq === 20 ? edit(event, 'x') : event;
      }
    }
    const input: VerifyAuditLogInput = { events: counted(), checkpoints, publicKey: signer.publicKey };
    expect(await verifyAuditLog(input)).toMatchObject({ firstBadSeq: 20 });
    expect(read).toBe(20);
  });
});
