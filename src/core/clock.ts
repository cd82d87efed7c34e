/**
 * Time and identifiers for the application layer. Verbs read the clock once and hand `now` to pure decisions;
 * tests pass a controllable clock instead of mocking `Date`.
 */
import { randomBytes } from 'node:crypto';

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told to: for tests and for replaying scenarios. */
export class ManualClock implements Clock {
  constructor(private current: number) {}
  now(): number {
    return this.current;
  }
  set(epochMs: number): void {
    this.current = epochMs;
  }
  advance(milliseconds: number): void {
    this.current += milliseconds;
  }
}

/** Random, URL-safe ids with a readable prefix (`req_…`, `grt_…`), 96 bits of entropy. */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString('base64url')}`;
}
