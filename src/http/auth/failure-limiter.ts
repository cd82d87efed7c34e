/**
 * Counts failed authentications, per presented credential and per client address separately (`attemptKeys`),
 * `maxFailures` within `windowMs` each. The guard refuses a credential that failed too often without checking it
 * again (`rate_limited`, with the seconds to wait), and answers further failures from an address over its limit
 * with `rate_limited` too; but a valid credential is always checked and accepted, so bad tokens flooded from a
 * shared address (a NAT) never lock out the people behind it. In memory, per process.
 */
import { createHash } from 'node:crypto';

/** The limiter keys of one attempt: the presented credential (a digest, never the credential) and the address. */
export function attemptKeys(authorization: string, address: string): { credential: string; address: string } {
  return {
    credential: `credential:${createHash('sha256').update(authorization).digest('base64')}`,
    address: `address:${address}`,
  };
}

export interface FailureLimiterOptions {
  readonly maxFailures?: number;
  readonly windowMs?: number;
  /** Keys tracked at most; the oldest windows are forgotten first beyond that. */
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

  /** Seconds before `key` may fail again unrefused, or undefined when it is under the limit. */
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
