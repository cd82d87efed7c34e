/**
 * Slows down credential guessing: after `maxFailures` failed authentications from one client address within
 * `windowMs`, every authentication attempt from it is refused (`rate_limited`, with the seconds to wait)
 * until the window has passed, whether or not the credential would have been good. In memory, per process.
 */
export interface FailureLimiterOptions {
  readonly maxFailures?: number;
  readonly windowMs?: number;
  /** Addresses tracked at most; the oldest windows are forgotten first beyond that. */
  readonly maxKeys?: number;
}

interface Window {
  readonly startedAt: number;
  failures: number;
}

export class FailureLimiter {
  readonly maxFailures: number;
  readonly windowMs: number;
  readonly #maxKeys: number;
  readonly #windows = new Map<string, Window>();

  constructor(options: FailureLimiterOptions = {}) {
    this.maxFailures = options.maxFailures ?? 10;
    this.windowMs = options.windowMs ?? 60_000;
    this.#maxKeys = options.maxKeys ?? 10_000;
  }

  /** Seconds the client must wait before trying again, or undefined when it may try now. */
  blockedFor(key: string, now: number): number | undefined {
    const window = this.#windows.get(key);
    if (!window) return undefined;
    const endsAt = window.startedAt + this.windowMs;
    if (endsAt <= now) {
      this.#windows.delete(key);
      return undefined;
    }
    return window.failures >= this.maxFailures ? Math.ceil((endsAt - now) / 1000) : undefined;
  }

  recordFailure(key: string, now: number): void {
    const window = this.#windows.get(key);
    if (window && window.startedAt + this.windowMs > now) {
      window.failures += 1;
      return;
    }
    this.#windows.delete(key);
    if (this.#windows.size >= this.#maxKeys) {
      // Maps iterate in insertion order: the first key is the oldest window.
      const oldest = this.#windows.keys().next().value;
      if (oldest !== undefined) this.#windows.delete(oldest);
    }
    this.#windows.set(key, { startedAt: now, failures: 1 });
  }
}
