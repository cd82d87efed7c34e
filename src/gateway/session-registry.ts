/**
 * The live sessions of one gateway process, whatever their protocol, and the one job of ending them when their
 * grant stops allowing access: at `expiresAt` (a timer per session) and when the grant is revoked or ended on
 * any replica (the backend's grant-change hint: this process's commits and PostgreSQL NOTIFY from the others,
 * then one read of which live grants ended). A poll backs up a lost hint. Ending is the session's own business
 * (the PostgreSQL one sends FATAL 57P01 and closes); the registry only decides when.
 */
import type { GatewayBackend, SessionEndReason } from './backend.js';

export interface LiveSession {
  readonly sessionId: string;
  readonly grantId: string;
  readonly expiresAt: number;
  /** Ends the session now, telling the client why; idempotent. */
  terminate(reason: SessionEndReason): void;
}

export interface SessionRegistryOptions {
  /** How soon after a hint the live grants are read (several hints in that time make one read). */
  readonly debounceMs?: number;
  /** How often live grants are read without a hint (a missed NOTIFY). */
  readonly pollIntervalMs?: number;
  readonly onError?: (error: unknown) => void;
}

/** How a session whose grant no longer allows access ended: at its expiry, or before it (a revoke). */
export function grantEndReason(expiresAt: number, now: number): 'expired' | 'revoked' {
  return expiresAt <= now ? 'expired' : 'revoked';
}

/**
 * Whether one session's grant has ended, read now (the registry reads it on hints; a session reads it when its
 * upstream connection was ended under it, to tell the client why).
 */
export async function grantEndOf(
  backend: Pick<GatewayBackend, 'endedGrants' | 'clock'>,
  session: Pick<LiveSession, 'grantId' | 'expiresAt'>,
): Promise<'expired' | 'revoked' | undefined> {
  const ended = await backend.endedGrants([session.grantId]);
  return ended.has(session.grantId) ? grantEndReason(session.expiresAt, backend.clock.now()) : undefined;
}

/** setTimeout's largest delay; a longer wait is re-armed when it fires. */
const MAX_TIMER_MS = 2_147_483_647;

export class SessionRegistry {
  readonly #backend: Pick<GatewayBackend, 'endedGrants' | 'onGrantsChanged' | 'clock'>;
  readonly #sessions = new Map<string, { session: LiveSession; timer: NodeJS.Timeout | undefined }>();
  readonly #debounceMs: number;
  readonly #onError: (error: unknown) => void;
  readonly #unsubscribe: () => void;
  readonly #poll: NodeJS.Timeout;
  #pending: NodeJS.Timeout | undefined;
  #checking: Promise<void> | undefined;
  #again = false;

  constructor(
    backend: Pick<GatewayBackend, 'endedGrants' | 'onGrantsChanged' | 'clock'>,
    options: SessionRegistryOptions = {},
  ) {
    this.#backend = backend;
    this.#debounceMs = options.debounceMs ?? 50;
    this.#onError = options.onError ?? (() => undefined);
    this.#unsubscribe = backend.onGrantsChanged(() => this.checkSoon());
    this.#poll = setInterval(() => this.checkSoon(), options.pollIntervalMs ?? 10_000);
    this.#poll.unref();
  }

  get size(): number {
    return this.#sessions.size;
  }

  add(session: LiveSession): void {
    this.#sessions.set(session.sessionId, { session, timer: this.#expiryTimer(session) });
    // Its grant was checked when the session was opened, but a revoke committed between that check and now sent
    // its hint while the session was not here to be ended: read once more (hints arriving together make one read).
    this.checkSoon();
  }

  remove(sessionId: string): void {
    const entry = this.#sessions.get(sessionId);
    if (entry?.timer !== undefined) clearTimeout(entry.timer);
    this.#sessions.delete(sessionId);
  }

  /** Reads which live grants ended, shortly (hints arriving together make one read). */
  checkSoon(): void {
    if (this.#pending !== undefined || this.#sessions.size === 0) return;
    this.#pending = setTimeout(() => {
      this.#pending = undefined;
      void this.checkNow();
    }, this.#debounceMs);
  }

  /** Ends the sessions whose grant ended; one read at a time, another after it if asked meanwhile. */
  async checkNow(): Promise<void> {
    if (this.#checking !== undefined) {
      this.#again = true;
      return this.#checking;
    }
    this.#checking = (async () => {
      do {
        this.#again = false;
        const grantIds = [...new Set([...this.#sessions.values()].map(({ session }) => session.grantId))];
        if (grantIds.length === 0) break;
        try {
          const ended = await this.#backend.endedGrants(grantIds);
          const now = this.#backend.clock.now();
          for (const { session } of [...this.#sessions.values()]) {
            if (ended.has(session.grantId)) this.#end(session, grantEndReason(session.expiresAt, now));
          }
        } catch (error) {
          this.#onError(error);
        }
      } while (this.#again);
    })().finally(() => {
      this.#checking = undefined;
    });
    return this.#checking;
  }

  /** Ends every live session (the gateway is stopping). */
  terminateAll(reason: SessionEndReason): void {
    for (const { session } of [...this.#sessions.values()]) this.#end(session, reason);
  }

  stop(): void {
    this.#unsubscribe();
    clearInterval(this.#poll);
    if (this.#pending !== undefined) clearTimeout(this.#pending);
    for (const { timer } of this.#sessions.values()) if (timer !== undefined) clearTimeout(timer);
  }

  #end(session: LiveSession, reason: SessionEndReason): void {
    this.remove(session.sessionId);
    session.terminate(reason);
  }

  #expiryTimer(session: LiveSession): NodeJS.Timeout | undefined {
    const delay = session.expiresAt - this.#backend.clock.now();
    if (delay <= 0) {
      queueMicrotask(() => this.#end(session, 'expired'));
      return undefined;
    }
    const timer = setTimeout(
      () => {
        if (!this.#sessions.has(session.sessionId)) return;
        if (delay > MAX_TIMER_MS) this.#sessions.set(session.sessionId, { session, timer: this.#expiryTimer(session) });
        else this.#end(session, 'expired');
      },
      Math.min(delay, MAX_TIMER_MS),
    );
    timer.unref();
    return timer;
  }
}
