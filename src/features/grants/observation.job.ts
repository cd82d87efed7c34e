/**
 * The background observer (SPEC §2.7, §2.11): every few minutes (5 by default, and once at start) it asks the
 * provider of every resource that can be observed what the resource looks like now (`observeResource`, which
 * records the observation and recomputes drift), and reconciles every resource whose provider keeps an
 * inventory of the credentials it made (`reconcileResource`, which removes orphans). It acts as
 * `system:observer`.
 *
 * One replica at a time does it: each run takes the named lease `resource.observer` and renews it before each
 * resource, so a run that outlasts its lease stops rather than overlapping another replica's. Resources are
 * handled one at a time (provider calls are network I/O against real systems); an error is logged and counted,
 * and the run goes on with the next resource. This file is one run (`runOnce`); `server/` runs it in a
 * `PeriodicWorker`, which gives the lease back when the server stops.
 */
import { hostname } from 'node:os';
import type { ResourceProfile } from '../../policy/model.js';
import { NamedLease } from '../../store/lease.js';
import { newId } from '../../core/clock.js';
import type { AppContext } from '../../app/context.js';
import { reconcileResource } from './reconcile.verb.js';
import { observeResource } from '../resources/index.js';

export const OBSERVER_ACTOR = 'system:observer';
export const OBSERVER_LEASE = 'resource.observer';
export const DEFAULT_OBSERVATION_INTERVAL_MS = 5 * 60_000;

/** The slice of a logger (pino's shape) the observer writes to. */
export interface ObservationLogger {
  error(fields: Readonly<Record<string, unknown>>, message: string): void;
}

export interface ObservationJobOptions {
  /** Time between runs (default 5 minutes). */
  readonly intervalMs?: number;
  /** Stable id of this process in the lease (default `host:pid:random`). */
  readonly owner?: string;
  /** How long the lease holds after each renewal (default: the interval plus a minute). */
  readonly leaseMs?: number;
  /** Grace period handed to reconciliation, in seconds (default: its own, 5 minutes). */
  readonly reconcileGraceSeconds?: number;
  readonly logger?: ObservationLogger;
}

export interface ObservationRun {
  /** Set when another replica holds the lease and this run did nothing. */
  readonly skipped?: 'lease_held_elsewhere';
  readonly observed: number;
  /** Drift findings opened by this run's observations. */
  readonly newFindings: number;
  readonly reconciled: number;
  /** Orphan credentials removed by this run. */
  readonly removed: number;
  /** Resources whose observation or reconciliation threw; each was logged. */
  readonly errors: number;
}

/** What the background observer does for resources of a profile, by what its provider can do. */
export interface BackgroundWork {
  readonly observe: boolean;
  readonly reconcile: boolean;
}

/**
 * Observation needs a provider that can read the target (`postgres`, `webhook`, `exec` with `observeArgv`);
 * reconciliation one that lists the credentials it made (`postgres`, `exec` with `list`). `noop` and `manual`
 * have neither.
 */
export function backgroundWorkFor(profile: ResourceProfile): BackgroundWork {
  switch (profile.provider.type) {
    case 'postgres':
      return { observe: true, reconcile: true };
    case 'webhook':
      return { observe: true, reconcile: false };
    case 'exec': {
      const argv = profile.provider.settings.observeArgv;
      return {
        observe: Array.isArray(argv) && argv.length > 0,
        reconcile: profile.provider.settings.list !== undefined,
      };
    }
    case 'manual':
    case 'noop':
      return { observe: false, reconcile: false };
  }
}

const stderrLogger: ObservationLogger = {
  error: (fields, message) => process.stderr.write(`${JSON.stringify({ level: 'error', message, ...fields })}\n`),
};

export class ObservationJob {
  readonly owner: string;
  /** Time between runs, for the worker that runs this job. */
  readonly intervalMs: number;
  /** `resource.observer`, held for the interval plus a minute, so this replica keeps it from run to run. */
  readonly lease: NamedLease;
  readonly #app: AppContext;
  readonly #graceSeconds: number | undefined;
  readonly #logger: ObservationLogger;

  constructor(app: AppContext, options: ObservationJobOptions = {}) {
    this.#app = app;
    this.owner = options.owner ?? `${hostname()}:${process.pid}:${newId('obsw')}`;
    this.intervalMs = Math.max(1000, options.intervalMs ?? DEFAULT_OBSERVATION_INTERVAL_MS);
    this.lease = new NamedLease(app.database.db, {
      name: OBSERVER_LEASE,
      owner: this.owner,
      leaseMs: Math.max(1000, options.leaseMs ?? this.intervalMs + 60_000),
      now: () => app.clock.now(),
    });
    this.#graceSeconds = options.reconcileGraceSeconds;
    this.#logger = options.logger ?? stderrLogger;
  }

  /**
   * One pass over every resource, if this replica holds the lease. Never rejects: a failure to take the lease
   * or to list resources is logged and counted like a failing resource.
   */
  async runOnce(): Promise<ObservationRun> {
    const run = { observed: 0, newFindings: 0, reconciled: 0, removed: 0, errors: 0 };
    let targets: { name: string; work: BackgroundWork }[];
    try {
      if (!(await this.lease.hold())) return { ...run, skipped: 'lease_held_elsewhere' };
      targets = await this.#targets();
    } catch (error) {
      this.#logError('resource.observe', 'resources', error);
      return { ...run, errors: 1 };
    }
    for (const target of targets) {
      // Renewed before each resource: if another replica took over meanwhile, this run stops here.
      const held = await this.lease.hold().catch((error: unknown) => {
        this.#logError('resource.observe', 'lease', error);
        return false;
      });
      if (!held) break;
      const input = { resource: target.name };
      if (target.work.observe) {
        try {
          const observed = await observeResource({ app: this.#app, actor: OBSERVER_ACTOR, input });
          run.observed += 1;
          run.newFindings += observed.newFindings.length;
        } catch (error) {
          run.errors += 1;
          this.#logError('resource.observe', target.name, error);
        }
      }
      if (target.work.reconcile) {
        try {
          const graceSeconds = this.#graceSeconds;
          const reconciled = await reconcileResource({
            app: this.#app,
            actor: OBSERVER_ACTOR,
            input: graceSeconds === undefined ? input : { ...input, graceSeconds },
          });
          run.reconciled += 1;
          run.removed += reconciled.removed.length;
        } catch (error) {
          run.errors += 1;
          this.#logError('resource.reconcile', target.name, error);
        }
      }
    }
    return run;
  }

  /** Resources of the loaded policy and live ones registered through the API, by name, with their work. */
  async #targets(): Promise<{ name: string; work: BackgroundWork }[]> {
    const policy = this.#app.policy.loaded;
    const profileOf = new Map([...policy.resources.values()].map((resource) => [resource.name, resource.profile]));
    const registered = await this.#app.database.db
      .selectFrom('resources')
      .select(['name', 'profile'])
      .where('removed_at', 'is', null)
      .execute();
    for (const row of registered) if (!profileOf.has(row.name)) profileOf.set(row.name, row.profile);
    const targets: { name: string; work: BackgroundWork }[] = [];
    for (const [name, profileName] of [...profileOf].sort(([a], [b]) => a.localeCompare(b))) {
      const profile = policy.profiles.get(profileName);
      const work = profile === undefined ? undefined : backgroundWorkFor(profile);
      if (work !== undefined && (work.observe || work.reconcile)) targets.push({ name, work });
    }
    return targets;
  }

  #logError(job: string, subject: string, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.#logger.error({ job, subject, worker: this.owner, error: message }, `observation job '${job}' failed`);
  }
}
