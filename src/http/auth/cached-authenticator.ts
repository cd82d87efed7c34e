/**
 * A small in-memory cache in front of an `Authenticator`, so that hot routes (`POST /v1/check`, asked thousands
 * of times a second by the same gateway token) do not read the token table on every call. Only API-token
 * principals are cached, keyed by the SHA-256 of the `Authorization` header (never the token itself), for
 * `ttlMs` (default 5 s) after a successful verification, at most `maxEntries` of them (oldest evicted first).
 *
 * Expiry is checked on every request, cached or not: a cached principal whose credential's `expiresAt` has passed
 * (by `now`, the wall clock the verification used) is dropped and verified again, which refuses it.
 *
 * Revocation latency: a token revoked, or whose identity was disabled, by this process is forgotten as the
 * transaction commits (`changed`, subscribed by the HTTP app to the app's change feed, `app/change-events.ts`),
 * so its next call is verified again and refused; revoked on another replica, it keeps authenticating here for at
 * most `ttlMs` after its last successful verification. Failures are never cached: a wrong token costs a
 * verification every time (and the guard's failure limiter applies).
 */
import { createHash } from 'node:crypto';
import type { ChangeEvent } from '../../app/change-events.js';
import type { Authenticator, Principal } from './authenticator.js';

export interface CachedAuthenticatorOptions {
  readonly ttlMs?: number;
  readonly maxEntries?: number;
  /** Monotonic milliseconds (default `performance.now`). */
  readonly monotonicNow?: () => number;
  /** Wall-clock epoch milliseconds, for credential expiry (default `Date.now`; the server passes its clock). */
  readonly now?: () => number;
}

interface Entry {
  readonly principal: Principal;
  readonly until: number;
}

export class CachedAuthenticator implements Authenticator {
  readonly #inner: Authenticator;
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;
  readonly #wallNow: () => number;
  readonly #entries = new Map<string, Entry>();

  constructor(inner: Authenticator, options: CachedAuthenticatorOptions = {}) {
    this.#inner = inner;
    this.#ttlMs = options.ttlMs ?? 5000;
    this.#maxEntries = options.maxEntries ?? 10_000;
    this.#now = options.monotonicNow ?? (() => performance.now());
    this.#wallNow = options.now ?? (() => Date.now());
  }

  /**
   * The principal of the header. Invariant: a cached answer is one the inner authenticator gave for the same
   * header less than `ttlMs` ago, that was not forgotten since, and whose credential has not expired.
   */
  async authenticate(authorization: string | undefined): Promise<Principal> {
    if (authorization === undefined) return this.#inner.authenticate(authorization);
    const key = createHash('sha256').update(authorization).digest('base64');
    const now = this.#now();
    const cached = this.#entries.get(key);
    if (cached !== undefined) {
      const expiresAt = cached.principal.expiresAt;
      if (now < cached.until && (expiresAt === undefined || this.#wallNow() < expiresAt)) return cached.principal;
      this.#entries.delete(key);
    }
    const principal = await this.#inner.authenticate(authorization);
    if (principal.method === 'api_token') {
      if (this.#entries.size >= this.#maxEntries) {
        const oldest = this.#entries.keys().next();
        if (oldest.done !== true) this.#entries.delete(oldest.value);
      }
      this.#entries.set(key, { principal, until: now + this.#ttlMs });
    }
    return principal;
  }

  /** Forgets the cached verification of one API token (after revoking it). */
  forgetToken(tokenId: string): void {
    for (const [key, entry] of this.#entries) if (entry.principal.tokenId === tokenId) this.#entries.delete(key);
  }

  /** Forgets every cached verification for an identity (after disabling it). */
  forgetIdentity(identity: string): void {
    for (const [key, entry] of this.#entries) if (entry.principal.identity === identity) this.#entries.delete(key);
  }

  /** What a transaction of this process committed: a revoked token or a disabled identity is forgotten. */
  changed(changes: readonly ChangeEvent[]): void {
    for (const change of changes) {
      if (change.kind === 'token_revoked') this.forgetToken(change.tokenId);
      else if (change.kind === 'identity_disabled') this.forgetIdentity(change.identity);
    }
  }

  clear(): void {
    this.#entries.clear();
  }

  get size(): number {
    return this.#entries.size;
  }
}
