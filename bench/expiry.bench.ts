/**
 * Expiry at scale (SPEC §7): 10,000 grants of approved requests, inserted directly as active (set-up, not
 * timed), all expiring in the same second; the scheduler runs as in production (1 s ticks, noop provider) and
 * the benchmark reports the time from that second until every grant is expired, and the p99 lag between a
 * grant's `expires_at` and its `revoked_at`. SQLite (a file), and PostgreSQL when a server answers.
 */
import type { AppContext } from '../src/app/context.js';
import { Scheduler } from '../src/app/scheduler.js';
import type { NewRow } from '../src/store/schema.js';
import { openLifecycleApp } from '../test/app/fixtures/lifecycle-app.js';
import { formatCount, percentiles, type BenchResult } from './harness.js';
import { postgresScratch, sqliteScratch, type ScratchDatabase } from './scratch-database.js';

const GRANTS = 10_000;
const CHUNK = 500;

async function insertExpiring(app: AppContext, expiresAt: number): Promise<void> {
  const profile = app.policy.loaded.profiles.get('bench-db');
  if (profile === undefined) throw new Error("the benchmark policy has no profile 'bench-db'");
  const now = Date.now();
  for (let start = 0; start < GRANTS; start += CHUNK) {
    const requests: NewRow<'requests'>[] = [];
    const grants: NewRow<'grants'>[] = [];
    for (let i = start; i < Math.min(start + CHUNK, GRANTS); i += 1) {
      const id = `req_bench_${i}`;
      requests.push({
        id,
        requester: 'erin',
        resource: 'bench-db-1',
        action: 'read',
        duration_seconds: 60,
        profile: profile.name,
        profile_version: profile.version,
        digest: 'd'.repeat(64),
        status: 'active',
        matched_rule: 'reads-are-routine',
        created_at: now,
        updated_at: now,
        approved_at: now,
        activated_at: now,
        expires_at: expiresAt,
      });
      grants.push({
        id: `grt_bench_${i}`,
        request_id: id,
        identity: 'erin',
        resource: 'bench-db-1',
        action: 'read',
        provider: 'noop',
        status: 'active',
        handle: JSON.stringify({ noop: id }),
        created_at: now,
        updated_at: now,
        expires_at: expiresAt,
      });
    }
    await app.database.db.insertInto('requests').values(requests).execute();
    await app.database.db.insertInto('grants').values(grants).execute();
  }
}

async function bench(name: string, scratch: ScratchDatabase): Promise<BenchResult> {
  const app = await openLifecycleApp(scratch.url);
  const scheduler = new Scheduler(app, { logger: { error: (fields, message) => console.error(message, fields) } });
  try {
    // The second they all expire in starts once the set-up is done, so nothing is due before the scheduler runs.
    const expiresAt = Math.ceil((Date.now() + 15_000) / 1000) * 1000;
    await insertExpiring(app, expiresAt);
    await scheduler.start();
    for (;;) {
      const left = await app.database.db
        .selectFrom('grants')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', '!=', 'expired')
        .executeTakeFirstOrThrow();
      if (Number(left.n) === 0) break;
      if (Date.now() > expiresAt + 120_000) throw new Error(`${left.n} grants still not expired after 2 minutes`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await scheduler.stop();
    const rows = await app.database.db.selectFrom('grants').select(['expires_at', 'revoked_at']).execute();
    const lags = rows.map((row) => (row.revoked_at ?? Number.NaN) - row.expires_at);
    const last = Math.max(...rows.map((row) => row.revoked_at ?? Number.NaN));
    const { p50, p99 } = percentiles(lags);
    const allSeconds = (last - expiresAt) / 1000;
    return {
      name,
      result: `all ${formatCount(GRANTS)} revoked ${allSeconds.toFixed(2)} s after expiry; lag p50 ${(p50 / 1000).toFixed(2)} s, p99 ${(p99 / 1000).toFixed(2)} s`,
      target: 'all within 10 s; p99 lag ≤ 1 s',
      met: allSeconds <= 10 && p99 <= 1000,
    };
  } finally {
    await scheduler.stop();
    await app.database.close();
    await scratch.drop();
  }
}

export async function run(): Promise<BenchResult[]> {
  const results = [await bench('expiry of 10,000 grants in one second, SQLite', sqliteScratch())];
  const postgres = await postgresScratch();
  if ('unavailable' in postgres) {
    results.push({
      name: 'expiry of 10,000 grants, PostgreSQL',
      result: `skipped: ${postgres.unavailable}`,
      target: 'all within 10 s',
      met: false,
    });
  } else {
    results.push(await bench('expiry of 10,000 grants in one second, PostgreSQL', postgres));
  }
  return results;
}
