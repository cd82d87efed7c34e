/**
 * `check` while grants change (issue #10): 20 concurrent callers ask the check service of the HTTP app (the
 * example policy on SQLite, `bench/http-check.bench.ts`'s gateway and grants) while one writer activates and
 * completes grants through the verbs, back to back. Each change is handed to the service as the routes do
 * (`grantsChanged`: the grants of that identity are read again into the index) and, as the reference in the
 * same run, as a full invalidation (`invalidate`: the next check waits for a full rebuild, what every grant
 * change did before). Latency is per `check` call, in process (no HTTP), over `DURATION_MS` per mode.
 */
import { CheckService } from '../src/features/access/check-service.js';
import type { AppContext } from '../src/app/context.js';
import { activateRequest, completeRequest, createRequest } from '../src/features/requests/requests.verbs.js';
import type { BenchResult } from './harness.js';
import { formatCount, percentiles } from './harness.js';
import { grantAll, openApp, QUESTIONS } from './http-check.bench.js';
import { sqliteScratch } from './scratch-database.js';

const CLIENTS = 20;
const DURATION_MS = 5000;
const WARMUP_MS = 500;
/** Target of the issue: check latency stays flat while grants change. */
const TARGET_P99_MS = 5;

type Mode = 'incremental' | 'full';

interface Measured {
  readonly p50: number;
  readonly p99: number;
  readonly checks: number;
  readonly changes: number;
  readonly rebuilds: number;
}

async function measure(app: AppContext, mode: Mode): Promise<Measured> {
  const checks = new CheckService(app, { denialFlushMs: 60_000 });
  const samples: number[] = [];
  let changes = 0;
  let stop = false;
  let recording = false;
  const client = async (offset: number): Promise<void> => {
    for (let i = offset; !stop; i++) {
      const question = QUESTIONS[i % QUESTIONS.length] as (typeof QUESTIONS)[number];
      const started = performance.now();
      await checks.check('edge-gateway', question);
      if (recording) samples.push(performance.now() - started);
      // Yield to the event loop between calls, as network I/O would.
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  const changed = (id: string): void => (mode === 'incremental' ? checks.grantsChanged(id) : checks.invalidate());
  const writer = async (): Promise<void> => {
    const input = { resource: 'analytics-db', action: 'read', duration: '1h', justification: 'bench churn' };
    while (!stop) {
      const created = await createRequest({ app, actor: 'erin', input });
      await activateRequest({ app, actor: 'erin', input: { id: created.id } });
      changed(created.id);
      await completeRequest({ app, actor: 'erin', input: { id: created.id } });
      changed(created.id);
      if (recording) changes += 2;
      // SQLite answers without leaving the microtask queue: yield, or the timers never fire.
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  await checks.check('edge-gateway', QUESTIONS[0] as (typeof QUESTIONS)[number]);
  const rebuildsBefore = checks.rebuilds;
  const running = [writer(), ...Array.from({ length: CLIENTS }, (_, i) => client(i))];
  await new Promise((resolve) => setTimeout(resolve, WARMUP_MS));
  recording = true;
  await new Promise((resolve) => setTimeout(resolve, DURATION_MS));
  recording = false;
  stop = true;
  await Promise.all(running);
  const rebuilds = checks.rebuilds - rebuildsBefore;
  await checks.close();
  const { p50, p99 } = percentiles(samples);
  return { p50, p99, checks: samples.length, changes, rebuilds };
}

function describe(m: Measured): string {
  return (
    `p50 ${m.p50.toFixed(3)} ms, p99 ${m.p99.toFixed(3)} ms (${formatCount(m.checks)} checks, ` +
    `${formatCount(m.changes)} grant changes, ${formatCount(m.rebuilds)} full rebuilds in ${DURATION_MS / 1000} s)`
  );
}

export async function run(): Promise<BenchResult[]> {
  const scratch = sqliteScratch();
  const app = await openApp(scratch.url);
  try {
    await grantAll(app);
    const full = await measure(app, 'full');
    const incremental = await measure(app, 'incremental');
    return [
      {
        name: `check while grants change, SQLite, ${CLIENTS} callers in process`,
        result: describe(incremental),
        reference: `every change a full rebuild (before issue #10): ${describe(full)}`,
        target: `p99 ≤ ${TARGET_P99_MS} ms while grants change`,
        met: incremental.p99 <= TARGET_P99_MS,
      },
    ];
  } finally {
    await app.database.close();
    await scratch.drop();
  }
}
