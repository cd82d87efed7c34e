/**
 * Drift scan benchmark (SPEC §7: 100k resources × 5 checks ≤ 3 s): five realistic PostgreSQL baseline checks,
 * compiled through `compileExpression`, evaluated over 100k resources whose observed configs vary and sometimes
 * lack fields. Each run gets freshly built config objects, as a scan reading observations from storage would.
 */
import { evaluateBaseline } from '../src/decide/drift.decide.js';
import { NO_DRIFT } from '../src/decide/types.js';
import type { ResourceState } from '../src/decide/types.js';
import { makeProfile, makeResource } from '../test/factories/profile.factory.js';
import type { Resource } from '../src/policy/model.js';
import { formatCount, median } from './harness.js';
import type { BenchResult } from './harness.js';

const RESOURCES = 100_000;
const RUNS = 5;
const TARGET_MS = 3000;
const NOW = Date.UTC(2025, 5, 2, 10, 0, 0);

const profile = makeProfile({
  name: 'postgres-prod',
  baseline: [
    { name: 'tls-on', expr: 'resource.config.ssl == "on"', severity: 'high', message: 'TLS must be on' },
    {
      name: 'scram-passwords',
      expr: 'resource.config.password_encryption == "scram-sha-256"',
      severity: 'medium',
      message: 'passwords must be hashed with SCRAM',
    },
    {
      name: 'no-extra-superusers',
      expr: 'resource.config.superusers.all(u, u in ["postgres"])',
      severity: 'critical',
      message: 'only the postgres role may be a superuser',
      whenAbsent: 'non_compliant',
    },
    {
      name: 'connection-limit',
      expr: 'resource.config.max_connections <= 500 && resource.config.max_connections >= 20',
      severity: 'low',
      message: 'max_connections must be between 20 and 500',
    },
    {
      name: 'logging',
      expr: 'resource.config.log_connections == "on" && resource.config.?log_min_duration_statement.orValue(-1) >= 0',
      severity: 'medium',
      message: 'connections and slow statements must be logged',
    },
  ],
});

/** Deterministic pseudo-random numbers (mulberry32), so every run scans the same population. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function buildResources(): Resource[] {
  return Array.from({ length: RESOURCES }, (_, i) => makeResource({ name: `db-${i}`, labels: { shard: `${i % 64}` } }));
}

/** Observed configs: most resources compliant, some drifting, some with fields the provider did not report. */
function buildStates(): ResourceState[] {
  const next = random(42);
  return Array.from({ length: RESOURCES }, () => {
    const config: Record<string, unknown> = {
      ssl: next() < 0.9 ? 'on' : 'off',
      password_encryption: next() < 0.85 ? 'scram-sha-256' : 'md5',
      superusers: next() < 0.95 ? ['postgres'] : ['postgres', 'admin'],
      max_connections: Math.floor(next() * 600),
      log_connections: next() < 0.8 ? 'on' : 'off',
      log_min_duration_statement: 250,
      shared_buffers: '128MB',
    };
    if (next() < 0.05) delete config['ssl'];
    if (next() < 0.05) delete config['superusers'];
    if (next() < 0.3) delete config['log_min_duration_statement'];
    return { config, drift: NO_DRIFT };
  });
}

export async function run(): Promise<BenchResult[]> {
  const resources = buildResources();
  const samples: number[] = [];
  let nonCompliant = 0;
  for (let round = 0; round < RUNS; round += 1) {
    const states = buildStates();
    const started = performance.now();
    let failing = 0;
    for (let i = 0; i < RESOURCES; i += 1) {
      const evaluation = evaluateBaseline({
        profile,
        resource: resources[i] as Resource,
        state: states[i] as ResourceState,
        now: NOW,
      });
      failing += evaluation.drift.low + evaluation.drift.medium + evaluation.drift.high + evaluation.drift.critical;
    }
    samples.push(performance.now() - started);
    nonCompliant = failing;
  }
  const medianMs = median(samples);
  const evaluationsPerSecond = (RESOURCES * profile.baseline.length) / (medianMs / 1000);
  return [
    {
      name: `drift scan, ${formatCount(RESOURCES)} resources × ${profile.baseline.length} checks`,
      result: `${formatCount(medianMs)} ms (median of ${RUNS}; ${formatCount(evaluationsPerSecond)} checks/s; ${formatCount(nonCompliant)} findings)`,
      target: '≤ 3 s',
      met: medianMs <= TARGET_MS,
    },
  ];
}
