/**
 * `POST /v1/check` over HTTP on SQLite (SPEC §7: ≥ 8,000 req/s, p99 ≤ 5 ms). The real app (`buildApp`, the
 * bearer authenticator behind its token cache, the guard, zod validation and serialisation, metrics) over a
 * SQLite file, with the example policy plus a gateway NHI holding `provision` on every profile, and active
 * grants made through the verbs. The gateway asks about other identities (allowed and denied answers mixed, so
 * the denial aggregation runs too), from autocannon in a worker thread (the server keeps the main thread), on
 * loopback only: pipelining 1, 10 s after a 2 s warm-up, with 10 connections (a gateway's pool) and then with
 * 50. Both are closed loops at saturation on a machine the load generator shares, so latency at 50 connections
 * is mostly queueing (connections / throughput).
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { AuditLog } from '../src/audit/store/audit-log.js';
import { systemClock } from '../src/core/clock.js';
import type { AppContext } from '../src/app/context.js';
import { StorePolicyRuntime } from '../src/app/policy-runtime.js';
import { loadPolicy } from '../src/features/governance/policy-sync.js';
import { activateRequest, createRequest } from '../src/features/requests/requests.verbs.js';
import { issueToken } from '../src/features/access/tokens.verbs.js';
import { BearerAuthenticator } from '../src/http/auth/authenticator.js';
import { CachedAuthenticator } from '../src/http/auth/cached-authenticator.js';
import { buildApp } from '../src/http/app.js';
import { formatProblem, parsePolicySources } from '../src/policy/load.js';
import { PROVIDER_TYPES, SYSTEM_OPERATOR, SYSTEM_POLICY, type ProviderType } from '../src/policy/model.js';
import { readPolicyDirectory } from '../src/policy/policy-files.js';
import { NoopProvider } from '../src/providers/noop/noop-provider.js';
import type { Provider } from '../src/providers/provider.js';
import { openDatabase } from '../src/store/database.js';
import { migrateToLatest } from '../src/store/migrate.js';
import type { BenchResult } from './harness.js';
import { formatCount } from './harness.js';
import { sqliteScratch } from './scratch-database.js';
import { ChangeFeed } from '../src/app/change-events.js';

const EXAMPLE_POLICY = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../examples/policy');
/** A gateway's connection pool (the target row), and a saturating load reported beside it for transparency. */
const CONNECTION_COUNTS = [10, 50] as const;
const DURATION_SECONDS = 10;
const WARMUP_SECONDS = 2;
const TARGET_RPS = 8000;
const TARGET_P99_MS = 5;

/** The gateway: a workload identity owned by a platform admin, holding `provision` everywhere. */
const GATEWAY_POLICY = `
apiVersion: countersign.dev/v1
kind: Identity
metadata: { name: edge-gateway }
spec: { kind: workload, owner: peggy }
---
apiVersion: countersign.dev/v1
kind: Role
metadata: { name: access-gateway }
spec: { duties: [provision], profiles: ["*"], subjects: [identity:edge-gateway] }
`;

/** Auto-approved requests of the example policy: short human reads and staging writes. */
const GRANTS: readonly { identity: string; resource: string; action: string; duration: string }[] = [
  ...['alice', 'bob', 'carol', 'dan', 'judy', 'ken'].map((identity) => ({
    identity,
    resource: 'payments-db',
    action: 'read',
    duration: '1h',
  })),
  ...['carol', 'dan', 'erin', 'frank', 'grace', 'quinn'].flatMap((identity) => [
    { identity, resource: 'analytics-db', action: 'read', duration: '8h' },
    { identity, resource: 'analytics-db', action: 'write', duration: '8h' },
  ]),
];

/** What the gateway asks: grants, standing roles and denials (no grant, unknown action, disabled identity). */
export const QUESTIONS: readonly { identity: string; resource: string; action: string }[] = [
  ...GRANTS.map(({ identity, resource, action }) => ({ identity, resource, action })),
  { identity: 'alice', resource: 'payments-db', action: 'write' },
  { identity: 'erin', resource: 'payments-db', action: 'admin' },
  { identity: 'quinn', resource: 'payments-db', action: 'read' },
  { identity: 'mallory', resource: 'payments-db', action: 'read' },
  { identity: 'bob', resource: 'kyc-documents', action: 'read-object' },
  { identity: 'judy', resource: 'prod-eu-cluster', action: 'drop-cluster' },
];

export async function openApp(url: string): Promise<AppContext> {
  const database = await openDatabase(url);
  const migrated = await migrateToLatest(database);
  if (migrated.error) throw migrated.error;
  const read = await readPolicyDirectory(EXAMPLE_POLICY);
  const sources = [...read.sources, { path: 'bench/gateway.yaml', text: GATEWAY_POLICY }];
  const parsed = read.problems.length === 0 ? parsePolicySources(sources) : { problems: read.problems };
  if (!parsed.policy) throw new Error(`bench policy does not load:\n${parsed.problems.map(formatProblem).join('\n')}`);
  const providers = new Map<ProviderType, Provider>(PROVIDER_TYPES.map((type) => [type, new NoopProvider(type)]));
  const app: AppContext = {
    database,
    clock: systemClock,
    auditLog: new AuditLog(database.dialect, randomBytes(32)),
    policy: new StorePolicyRuntime(parsed.policy),
    providers,
    changes: new ChangeFeed(),
  };
  await loadPolicy({
    app,
    actor: SYSTEM_POLICY,
    input: { policy: parsed.policy, documents: sources, location: 'bench' },
  });
  return app;
}

export async function grantAll(app: AppContext): Promise<void> {
  for (const grant of GRANTS) {
    const input = { resource: grant.resource, action: grant.action, duration: grant.duration, justification: 'bench' };
    const created = await createRequest({ app, actor: grant.identity, input });
    if (created.status !== 'approved')
      throw new Error(`bench request ${created.id} is ${created.status}, not approved`);
    await activateRequest({ app, actor: grant.identity, input: { id: created.id } });
  }
}

function load(url: string, token: string, seconds: number, connections: number): Promise<autocannon.Result> {
  return autocannon({
    url: `${url}/v1/check`,
    connections,
    pipelining: 1,
    duration: seconds,
    workers: 1,
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    requests: QUESTIONS.map((question) => ({ method: 'POST', body: JSON.stringify(question) })),
  });
}

export async function run(): Promise<BenchResult[]> {
  const scratch = sqliteScratch();
  const app = await openApp(scratch.url);
  try {
    await grantAll(app);
    const { token } = await issueToken({ app, actor: SYSTEM_OPERATOR, input: { identity: 'edge-gateway', ttl: '1h' } });
    const auth = new CachedAuthenticator(new BearerAuthenticator(app));
    const http = buildApp({ app, auth, ready: () => true });
    const url = await http.listen({ host: '127.0.0.1', port: 0 });
    try {
      await load(url, token, WARMUP_SECONDS, CONNECTION_COUNTS[0]);
      const results: BenchResult[] = [];
      for (const connections of CONNECTION_COUNTS) {
        const result = await load(url, token, DURATION_SECONDS, connections);
        const failures = result.errors + result.timeouts + result.non2xx;
        if (result.requests.total === 0 || failures > 0) {
          throw new Error(
            `check load saw ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx`,
          );
        }
        const rps = result.requests.average;
        const p99 = result.latency.p99;
        results.push({
          name: `POST /v1/check over HTTP, SQLite, ${connections} connections`,
          result:
            `${formatCount(rps)} req/s, p50 ${result.latency.p50} ms, p99 ${p99} ms ` +
            `(${DURATION_SECONDS} s, ${formatCount(result.requests.total)} checks)`,
          target: `≥ ${formatCount(TARGET_RPS)} req/s, p99 ≤ ${TARGET_P99_MS} ms`,
          met: rps >= TARGET_RPS && p99 <= TARGET_P99_MS,
        });
      }
      return results;
    } finally {
      await http.close();
    }
  } finally {
    await app.database.close();
    await scratch.drop();
  }
}
