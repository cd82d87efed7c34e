/**
 * The application under test: an `AppContext` over a `describeEachDialect` database with a manual clock, the
 * policy loaded and synced into the store, and an audit log with random HMAC and data keys. Tests in one suite
 * share the suite's database, so each test should act on identities and resources no other test of the suite
 * changes (or load a policy of its own). `auditEvents()` returns only the events written after the app was
 * created and its policy loaded.
 *
 * Providers default to a `NoopProvider` registered for every provider type, so every profile of the example
 * policy works without a real system; tests that need real providers (or failing ones) pass `providers`.
 */
import { randomBytes } from 'node:crypto';
import { AuditLog } from '../../src/audit/store/audit-log.js';
import { ManualClock } from '../../src/core/clock.js';
import type { AppContext } from '../../src/app/context.js';
import { StorePolicyRuntime } from '../../src/app/policy-runtime.js';
import { loadPolicy, type PolicyLoadSummary } from '../../src/features/governance/policy-sync.js';
import type { PolicySource } from '../../src/policy/load.js';
import { parsePolicySources } from '../../src/policy/load.js';
import { formatProblem } from '../../src/policy/load.js';
import { PROVIDER_TYPES, SYSTEM_POLICY, type PolicySet } from '../../src/policy/model.js';
import { readPolicyDirectory } from '../../src/policy/policy-files.js';
import { NoopProvider } from '../../src/providers/noop/noop-provider.js';
import type { Provider, ProviderRegistry } from '../../src/providers/provider.js';
import type { ProviderType } from '../../src/policy/model.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import type { DialectContext } from '../store/dialects.js';
import { ChangeFeed } from '../../src/app/change-events.js';

export const EXAMPLE_POLICY_DIR = 'examples/policy';
/** 2026-01-15T09:00:00Z, the running example's "now". */
export const TEST_START = Date.UTC(2026, 0, 15, 9, 0, 0);

export interface TestAppOptions {
  /** A policy directory to load (default `examples/policy`); ignored when `policy` is given. */
  readonly policyDir?: string;
  /** A policy built in the test (e.g. with `makePolicy`); stored with no source documents. */
  readonly policy?: PolicySet;
  readonly clock?: ManualClock;
  readonly providers?: ProviderRegistry;
  /** Connections the operator allow-listed for resources registered through the API (default none). */
  readonly allowedConnections?: AppContext['allowedConnections'];
  /** A revocation journal, for tests of revokes while the store refuses writes (default none). */
  readonly revocations?: AppContext['revocations'];
  /** Keys for gateway-only actions (issue 14); without them their activation is refused. */
  readonly gateway?: AppContext['gateway'];
}

export interface AuditRow {
  readonly seq: number;
  readonly time: number;
  readonly actor: string;
  readonly action: string;
  readonly subject: string;
  readonly details: Record<string, unknown>;
}

export interface TestApp {
  readonly app: AppContext;
  readonly clock: ManualClock;
  readonly runtime: StorePolicyRuntime;
  readonly load: PolicyLoadSummary;
  /** Audit events appended since this app was created, in order. */
  auditEvents(): Promise<AuditRow[]>;
}

const policyCache = new Map<string, { policy: PolicySet; documents: PolicySource[] }>();

async function readPolicy(dir: string): Promise<{ policy: PolicySet; documents: PolicySource[] }> {
  const cached = policyCache.get(dir);
  if (cached) return cached;
  const read = await readPolicyDirectory(dir);
  const loaded = read.problems.length === 0 ? parsePolicySources(read.sources) : { problems: read.problems };
  if (!loaded.policy)
    throw new Error(`test policy '${dir}' does not load:\n${loaded.problems.map(formatProblem).join('\n')}`);
  const result = { policy: loaded.policy, documents: [...read.sources] };
  policyCache.set(dir, result);
  return result;
}

/** A `NoopProvider` for every provider type. */
export function noopProviders(): Map<ProviderType, Provider> {
  return new Map(PROVIDER_TYPES.map((type) => [type, new NoopProvider(type)]));
}

export async function createTestApp(ctx: DialectContext, options: TestAppOptions = {}): Promise<TestApp> {
  const database = ctx.database;
  const migrated = await migrateToLatest(database);
  if (migrated.error) throw migrated.error;
  const { policy, documents } = options.policy
    ? { policy: options.policy, documents: [] }
    : await readPolicy(options.policyDir ?? EXAMPLE_POLICY_DIR);
  const clock = options.clock ?? new ManualClock(TEST_START);
  const runtime = new StorePolicyRuntime(policy);
  const app: AppContext = {
    database,
    clock,
    auditLog: new AuditLog(database.dialect, randomBytes(32), { dataKey: randomBytes(32) }),
    policy: runtime,
    providers: options.providers ?? noopProviders(),
    changes: new ChangeFeed(),
    ...(options.allowedConnections ? { allowedConnections: options.allowedConnections } : {}),
    ...(options.revocations ? { revocations: options.revocations } : {}),
    ...(options.gateway ? { gateway: options.gateway } : {}),
  };
  const load = await loadPolicy({
    app,
    actor: SYSTEM_POLICY,
    input: { policy, documents, location: options.policy ? 'test' : (options.policyDir ?? EXAMPLE_POLICY_DIR) },
  });
  // The load's own `policy.load` event is left out: tests look at what their verbs wrote.
  const head = await database.db
    .selectFrom('audit_events')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .executeTakeFirst();
  const startSeq = Number(head?.seq ?? 0);
  return {
    app,
    clock,
    runtime,
    load,
    async auditEvents() {
      const rows = await database.db
        .selectFrom('audit_events')
        .selectAll()
        .where('seq', '>', startSeq)
        .orderBy('seq')
        .execute();
      return rows.map((row) => ({
        seq: Number(row.seq),
        time: Number(row.time),
        actor: row.actor,
        action: row.action,
        subject: row.subject,
        details: JSON.parse(row.details) as Record<string, unknown>,
      }));
    },
  };
}
