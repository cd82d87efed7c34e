/**
 * Full lifecycles per second (SPEC §7): create a `write` request → a DBA approves → security approves → the
 * requester activates → the requester revokes, every step through the verbs and audited, on SQLite (a file)
 * and on PostgreSQL (a scratch database; skipped with a note when no server answers). Four lifecycles run at a
 * time, as concurrent API calls would; the figure is the median of three runs after a warm-up. PostgreSQL is
 * also measured with ten at a time (its default pool size): there a lifecycle spends most of its time waiting
 * on round trips and WAL flushes, which concurrent verbs share.
 */
import { activateRequest } from '../src/features/requests/request-activate.verb.js';
import { createRequest } from '../src/features/requests/request-create.verb.js';
import { revokeRequest } from '../src/features/requests/request-end.verb.js';
import { approveRequest } from '../src/features/requests/request-review.verb.js';
import type { AppContext } from '../src/app/context.js';
import { openLifecycleApp } from '../test/app/fixtures/lifecycle-app.js';
import { formatCount, median, type BenchResult } from './harness.js';
import { postgresScratch, sqliteScratch, type ScratchDatabase } from './scratch-database.js';

const LANES = 4;
const POSTGRES_WIDE_LANES = 10;
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

/** Lifecycles per second over `count` lifecycles, `lanes` at a time. */
async function measure(app: AppContext, count: number, lanes: number): Promise<number> {
  let started = 0;
  const lane = async (): Promise<void> => {
    while (started < count) {
      started += 1;
      await lifecycle(app);
    }
  };
  const begin = process.hrtime.bigint();
  await Promise.all(Array.from({ length: lanes }, lane));
  return count / (Number(process.hrtime.bigint() - begin) / 1e9);
}

async function bench(
  name: string,
  scratch: ScratchDatabase,
  count: number,
  target: number,
  lanes = LANES,
): Promise<BenchResult> {
  const app = await openLifecycleApp(scratch.url);
  try {
    await measure(app, 20, lanes);
    const rates: number[] = [];
    for (let run = 0; run < RUNS; run += 1) rates.push(await measure(app, count, lanes));
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
  const results = [await bench('full lifecycle, SQLite (5 verbs, audited), 4 at a time', sqliteScratch(), 600, 300)];
  const postgres = await postgresScratch();
  if ('unavailable' in postgres) {
    results.push({
      name: 'full lifecycle, PostgreSQL',
      result: `skipped: ${postgres.unavailable}`,
      target: '≥ 150/s',
      met: false,
    });
  } else {
    results.push(await bench('full lifecycle, PostgreSQL (5 verbs, audited), 4 at a time', postgres, 300, 150));
    const wide = await postgresScratch();
    if (!('unavailable' in wide)) {
      const name = `full lifecycle, PostgreSQL (5 verbs, audited), ${POSTGRES_WIDE_LANES} at a time`;
      results.push(await bench(name, wide, 600, 150, POSTGRES_WIDE_LANES));
    }
  }
  return results;
}
