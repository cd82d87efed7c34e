/**
 * Audit verification speed (SPEC §7: 1,000,000 events verified in ≤ 5 s). Builds a chained log of one million
 * events in memory, in the form the store reads them (details as canonical JSON text), with a signed
 * checkpoint every 10,000 events — none of that is timed — then times `verifyAuditLog` over it: every event
 * hash recomputed, every link followed, the RFC 6962 root rebuilt and compared at each checkpoint, and every
 * signature checked.
 */
import { generateKeyPairSync } from 'node:crypto';
import { GENESIS_HASH, hashEvent, type StoredAuditEvent } from '../src/audit/audit-event.js';
import { signCheckpoint, type SignedCheckpoint } from '../src/audit/checkpoint.js';
import { MerkleBuilder } from '../src/audit/merkle.js';
import { verifyAuditLog } from '../src/audit/verify.js';
import { formatCount, median, type BenchResult } from './harness.js';

const EVENTS = 1_000_000;
const CHECKPOINT_EVERY = 10_000;
const RUNS = 3;
const TARGET_SECONDS = 5;

const ACTIONS = ['request.create', 'request.approve', 'request.activate', 'grant.revoke'] as const;
const ACTORS = ['alice', 'bob', 'carol', 'system:executor', 'system:policy'] as const;

function buildLog(privateKey: Parameters<typeof signCheckpoint>[1]): {
  events: StoredAuditEvent[];
  checkpoints: SignedCheckpoint[];
} {
  const events: StoredAuditEvent[] = new Array<StoredAuditEvent>(EVENTS);
  const checkpoints: SignedCheckpoint[] = [];
  const merkle = new MerkleBuilder();
  let prevHash = GENESIS_HASH;
  const t0 = 1_700_000_000_000;
  for (let seq = 1; seq <= EVENTS; seq += 1) {
    const request = `req_${Math.floor(seq / 4)}`;
    // Typical details of a lifecycle step, already canonical (keys in code-point order).
    const detailsJson =
      `{"digest":"${prevHash.slice(0, 32)}","justification":"rotate credentials for ticket OPS-${seq % 9973}",` +
      `"profileVersion":"${prevHash.slice(32)}","reasons":[{"code":"step_satisfied","message":"approval ${seq % 3} of 2 counted"}],` +
      `"step":${seq % 3}}`;
    const unhashed = {
      seq,
      time: t0 + seq * 7,
      actor: ACTORS[seq % ACTORS.length] as string,
      action: ACTIONS[seq % ACTIONS.length] as string,
      subject: `request:${request}`,
      detailsJson,
    };
    const hash = hashEvent(prevHash, unhashed);
    events[seq - 1] = { ...unhashed, prevHash, hash };
    prevHash = hash;
    merkle.appendTrusted(hash);
    if (seq % CHECKPOINT_EVERY === 0) {
      checkpoints.push(signCheckpoint({ size: seq, head: hash, root: merkle.root(), time: t0 + seq * 7 }, privateKey));
    }
  }
  return { events, checkpoints };
}

export async function run(): Promise<BenchResult[]> {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const log = buildLog(privateKey);
  const seconds: number[] = [];
  for (let attempt = 0; attempt < RUNS; attempt += 1) {
    const started = process.hrtime.bigint();
    const result = await verifyAuditLog({ ...log, publicKey });
    const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
    if (!result.ok || result.eventsVerified !== EVENTS || result.checkpointsVerified !== EVENTS / CHECKPOINT_EVERY) {
      throw new Error(`audit verify bench: the generated log did not verify (${result.problem?.message ?? 'counts'})`);
    }
    seconds.push(elapsed);
  }
  const typical = median(seconds);
  return [
    {
      name: `audit verify, ${formatCount(EVENTS)} events, checkpoint every ${formatCount(CHECKPOINT_EVERY)}`,
      result: `${typical.toFixed(2)} s (${formatCount(EVENTS / typical)} events/s; median of ${RUNS})`,
      target: `≤ ${TARGET_SECONDS} s`,
      met: typical <= TARGET_SECONDS,
    },
  ];
}
