/**
 * Full lifecycles per second (SPEC §7): create a `write` request → a DBA approves → security approves → the
 * requester activates → the requester revokes, every step through the verbs and audited, on SQLite (a file)
 * and on PostgreSQL (a scratch database; skipped with a note when no server answers). Four lifecycles run at a
 * time, as concurrent API calls would; the figure is the median of three runs after a warm-up.
 */
import { activateRequest } from '../src/app/request-activate.verb.js';
import { createRequest } from '../src/app/request-create.verb.js';
import { revokeRequest } from '../src/app/request-end.verb.js';
import { approveRequest } from '../src/app/request-review.verb.js';
import type { AppContext } from '../src/app/context.js';
import { openLifecycleApp } from '../test/app/fixtures/lifecycle-app.js';
import { formatCount, median, type BenchResult } from './harness.js';
import { postgresScratch, sqliteScratch, type ScratchDatabase } from './scratch-database.js';

const LANES = 4;
const RUNS = 3;

async function lifecycle(app: AppContext): Promise<void> {
  const created = await createRequest({
    app,
    actor: 'erin',
    input: { resource: 'bench-db-1', action: 'write', duration: '30m', justification: 'benchmark' },
  });
  await approveRequest({ app, actor: 'dora', input: { id: created.id } });
  await approveRequest({ app, actor: 'sam', input: { id: created.id } });
  await activateRequest({ app, actor: 'erin', input: { id: created.id } });
  const revoked = await revokeRequest({ app, actor: 'erin', input: { id: created.id, reason: 'done' } });
  if (revoked.status !== 'revoked') throw new Error(`a benchmark lifecycle ended '${revoked.status}', not revoked`);
}

/** Lifecycles per second over `count` lifecycles, `LANES` at a time. */
async function measure(app: AppContext, count: number): Promise<number> {
  let started = 0;
  const lane = async (): Promise<void> => {
    while (started < count) {
      started += 1;
      await lifecycle(app);
    }
  };
  const begin = process.hrtime.bigint();
  await Promise.all(Array.from({ length: LANES }, lane));
  return count / (Number(process.hrtime.bigint() - begin) / 1e9);
}

async function bench(name: string, scratch: ScratchDatabase, count: number, target: number): Promise<BenchResult> {
  const app = await openLifecycleApp(scratch.url);
  try {
    await measure(app, 20);
    const rates: number[] = [];
    for (let run = 0; run < RUNS; run += 1) rates.push(await measure(app, count));
    const rate = median(rates);
    return {
      name,
      result: `${formatCount(rate)} lifecycles/s (median of ${RUNS}: ${rates.map(formatCount).join(', ')})`,
      target: `≥ ${target}/s`,
      met: rate >= target,
    };
  } finally {
    await app.database.close();
    await scratch.drop();
  }
}

export async function run(): Promise<BenchResult[]> {
  const results = [await bench('full lifecycle, SQLite (5 verbs, audited)', sqliteScratch(), 600, 300)];
  const postgres = await postgresScratch();
  if ('unavailable' in postgres) {
    results.push({
      name: 'full lifecycle, PostgreSQL',
      result: `skipped: ${postgres.unavailable}`,
      target: '≥ 150/s',
      met: false,
    });
  } else {
    results.push(await bench('full lifecycle, PostgreSQL (5 verbs, audited)', postgres, 300, 150));
  }
  return results;
}
