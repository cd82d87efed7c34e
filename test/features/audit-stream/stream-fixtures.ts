/**
 * Shared pieces of the audit stream tests: a log to stream (real audit events through `AuditLog`), a streamer run
 * until it is caught up, and a check that a local service (NATS, RabbitMQ) answers, which CI requires.
 */
import { randomBytes } from 'node:crypto';
import { connect as netConnect } from 'node:net';
import { ManualClock } from '../../../src/core/clock.js';
import { AuditLog } from '../../../src/audit/store/audit-log.js';
import { parseStreamLine } from '../../../src/audit/stream-record.js';
import { verifyStreamCopy, type StreamCopyVerification } from '../../../src/audit/verify-stream.js';
import { AuditStreamer, type AuditSink, type StreamRun } from '../../../src/features/audit-stream/index.js';
import type { Database } from '../../../src/store/database.js';
import { appendEvents, T0 } from '../../audit/audit-attacks.js';

export const IN_CI = process.env.CI === 'true';
export const INSTALLATION = 'inst_test';

/** True when something accepts TCP connections on 127.0.0.1:`port` (checked once per file). */
export function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = netConnect({ host: '127.0.0.1', port });
    socket.setTimeout(2000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** Whether the tests of a local service run: always in CI (where they fail if it is absent), else if it answers. */
export async function serviceAvailable(name: string, port: number): Promise<boolean> {
  if (IN_CI) return true;
  const answers = await portAnswers(port);
  if (!answers) console.warn(`\n⚠ ${name} does not answer on 127.0.0.1:${port}: skipping its audit stream tests.\n`);
  return answers;
}

export function uniqueName(prefix: string): string {
  return `${prefix}${randomBytes(4).toString('hex')}`;
}

/** A log to stream: `append(n)` adds n real audit events (chained, redacted) to the database. */
export class StreamedLog {
  readonly clock = new ManualClock(T0);
  readonly auditLog: AuditLog;
  #appended = 0;

  constructor(readonly database: Database) {
    this.auditLog = new AuditLog(database.dialect, new Uint8Array(32).fill(7));
  }

  async append(count: number): Promise<void> {
    await appendEvents(this.database, this.auditLog, count, T0 + this.#appended);
    this.#appended += count;
  }

  streamer(sink: AuditSink, options: { owner?: string; batchSize?: number; database?: Database } = {}): AuditStreamer {
    return new AuditStreamer({
      database: options.database ?? this.database,
      sink,
      installationId: INSTALLATION,
      clock: this.clock,
      ...(options.owner ? { owner: options.owner } : {}),
      ...(options.batchSize ? { batchSize: options.batchSize } : {}),
    });
  }
}

/** Runs the streamer until it is caught up (or `maxRuns` runs), skipping backoffs by moving the clock. */
export async function runUntilCaughtUp(
  streamer: AuditStreamer,
  clock: ManualClock,
  maxRuns = 100,
): Promise<StreamRun[]> {
  const runs: StreamRun[] = [];
  for (let run = 0; run < maxRuns; run += 1) {
    const result = await streamer.runOnce();
    runs.push(result);
    if (result.caughtUp) return runs;
    if (result.error !== undefined) clock.advance(61_000);
  }
  throw new Error(`the streamer was not caught up after ${maxRuns} runs: ${JSON.stringify(runs.at(-1))}`);
}

/** The `seq` of each record received (a bare record, a HEC envelope or a syslog message), in arrival order. */
export function seqsOf(lines: readonly string[]): number[] {
  return lines.map((line) => {
    const parsed = parseStreamLine(line);
    if (!parsed.ok) throw new Error(parsed.message);
    return parsed.event.seq;
  });
}

/** 1 … n. */
export function oneTo(n: number): number[] {
  return Array.from({ length: n }, (_, index) => index + 1);
}

/** Verifies received lines as `audit verify --from-stream` does (no checkpoints: chain and hashes only). */
export function verifyLines(lines: readonly string[]): Promise<StreamCopyVerification> {
  return verifyStreamCopy({ lines, checkpoints: [] });
}

/** Arrival order without repeated deliveries (what a consumer deduplicating by seq keeps). */
export function distinctInOrder(seqs: readonly number[]): number[] {
  const seen = new Set<number>();
  return seqs.filter((seq) => (seen.has(seq) ? false : (seen.add(seq), true)));
}
