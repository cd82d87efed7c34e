/**
 * Keeps this replica in step with changes other replicas commit (SPEC §5). Two kinds matter outside the verbs'
 * own transactions, which already read committed state:
 *
 * - **the policy in force**: a change set applied on one replica (or a `serve --policy` restart of another)
 *   records a new `policy_loads` row; every replica must swap it in, or it would keep deciding under the old one;
 * - **grants**, for the in-memory `check` index.
 *
 * On PostgreSQL a dedicated connection `LISTEN`s on `countersign_changes` (triggers send `policy` or `grants`
 * when such a change commits, see migration 0007). Notifications are lost while that connection is down, so
 * after every (re)connect the policy is compared once more, and a poll of the latest load's id every
 * `pollIntervalMs` (default 5 s, on SQLite too: the CLI may load a policy from another process) bounds how
 * long a missed notification can go unnoticed. The poll is a `PeriodicWorker`: a `policy` notification wakes
 * it, so one comparison runs at a time whatever asked for it.
 */
import pg from 'pg';
import type { Logger } from 'pino';
import type { CheckService } from '../features/access/index.js';
import type { StorePolicyRuntime } from '../app/policy-runtime.js';
import { latestPolicyLoadId, restorePolicy } from '../features/governance/index.js';
import { parseDatabaseUrl, type Database } from '../store/database.js';
import { CHANGES_CHANNEL } from '../store/migrations/0007-change-notifications.js';
import { PeriodicWorker } from './periodic-worker.js';

export interface ChangeFollowerOptions {
  readonly database: Database;
  /** The `--db` URL as given (PostgreSQL: the listening connection is opened with it). */
  readonly url: string;
  readonly runtime: StorePolicyRuntime;
  readonly checks?: CheckService;
  /** Told when another replica changed grants (and after every reconnect): the gateway ends revoked sessions. */
  readonly onGrantsChanged?: () => void;
  readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  readonly pollIntervalMs?: number;
  /** Longest wait between attempts to re-open the listening connection (default 30 s). */
  readonly maxReconnectDelayMs?: number;
}

export class ChangeFollower {
  readonly #options: ChangeFollowerOptions;
  /** The `policy_loads` id in force here; undefined until `start`. */
  #loadId: string | undefined;
  readonly #poll: PeriodicWorker<void>;
  #reconnectTimer: NodeJS.Timeout | undefined;
  #reconnectDelayMs = 500;
  #listener: pg.Client | undefined;
  #stopped = false;

  constructor(options: ChangeFollowerOptions) {
    this.#options = options;
    this.#poll = new PeriodicWorker({
      name: 'the policy follower',
      run: () => this.#syncPolicy(),
      intervalMs: options.pollIntervalMs ?? 5000,
      logger: options.logger,
    });
  }

  /** Records the load in force, starts listening (PostgreSQL) and polling. */
  async start(): Promise<void> {
    this.#loadId = await latestPolicyLoadId(this.#options.database);
    await this.#poll.start();
    if (this.#options.database.dialect === 'postgres') await this.#listen();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#reconnectTimer !== undefined) clearTimeout(this.#reconnectTimer);
    const listener = this.#listener;
    this.#listener = undefined;
    await listener?.end().catch(() => undefined);
    await this.#poll.stop();
  }

  /** Swaps in the latest loaded policy if it is not the one in force. Never throws. */
  async #syncPolicy(): Promise<void> {
    try {
      const latest = await latestPolicyLoadId(this.#options.database);
      if (latest === undefined || latest === this.#loadId) return;
      const restored = await restorePolicy(this.#options.database);
      if (restored === undefined) return;
      this.#options.runtime.replace(restored.policy);
      this.#loadId = restored.loadId;
      this.#options.logger.info({ loadId: restored.loadId, policyHash: restored.policyHash }, 'policy changed');
    } catch (error) {
      this.#options.logger.error({ err: error }, 'could not follow a policy change; retrying at the next poll');
    }
  }

  async #listen(): Promise<void> {
    const target = parseDatabaseUrl(this.#options.url);
    if (target.dialect !== 'postgres') return;
    const client = new pg.Client({ connectionString: target.connectionString, application_name: 'countersign-listen' });
    client.on('notification', (message) => {
      if (message.payload === 'policy') this.#poll.wake();
      else if (message.payload === 'grants') {
        this.#options.checks?.refreshSoon();
        this.#options.onGrantsChanged?.();
      }
    });
    client.on('error', (error) => this.#lost(client, error));
    client.on('end', () => this.#lost(client, undefined));
    try {
      await client.connect();
      await client.query(`listen ${CHANGES_CHANNEL}`);
    } catch (error) {
      this.#lost(client, error);
      return;
    }
    this.#listener = client;
    this.#reconnectDelayMs = 500;
    // Whatever was committed while nobody listened is caught up now.
    this.#poll.wake();
    this.#options.checks?.refreshSoon();
    this.#options.onGrantsChanged?.();
  }

  /** The listening connection failed or ended: close it and try again with a growing delay. */
  #lost(client: pg.Client, error: unknown): void {
    if (this.#listener === client) this.#listener = undefined;
    client.removeAllListeners('end');
    void client.end().catch(() => undefined);
    if (this.#stopped || this.#reconnectTimer !== undefined) return;
    this.#options.logger.warn(
      { err: error, retryInMs: this.#reconnectDelayMs },
      'change notifications interrupted; polling until the listening connection is back',
    );
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = undefined;
      void this.#listen();
    }, this.#reconnectDelayMs);
    this.#reconnectTimer.unref();
    this.#reconnectDelayMs = Math.min(this.#reconnectDelayMs * 2, this.#options.maxReconnectDelayMs ?? 30_000);
  }
}
