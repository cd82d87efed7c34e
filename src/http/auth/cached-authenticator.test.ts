import { describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors.js';
import type { Authenticator, Principal } from './authenticator.js';
import { CachedAuthenticator } from './cached-authenticator.js';

/** Maps headers to principals and counts how often it was asked; unknown headers fail as `unauthenticated`. */
class TableAuthenticator implements Authenticator {
  calls = 0;
  constructor(readonly table: Map<string, Principal>) {}
  async authenticate(authorization: string | undefined): Promise<Principal> {
    this.calls++;
    const principal = authorization === undefined ? undefined : this.table.get(authorization);
    if (principal === undefined) throw new AppError('unauthenticated', 'the API token is not valid');
    return principal;
  }
}

function setup(options: { maxEntries?: number } = {}) {
  let now = 0;
  const inner = new TableAuthenticator(
    new Map<string, Principal>([
      ['Bearer a', { identity: 'alice', method: 'api_token', tokenId: 'tok_a' }],
      ['Bearer b', { identity: 'bob', method: 'api_token', tokenId: 'tok_b' }],
      ['Bearer c', { identity: 'alice', method: 'api_token', tokenId: 'tok_c' }],
      ['Bearer jwt', { identity: 'carol', method: 'oidc' }],
    ]),
  );
  const cache = new CachedAuthenticator(inner, { ttlMs: 5000, monotonicNow: () => now, ...options });
  return { inner, cache, advance: (ms: number) => (now += ms) };
}

describe('CachedAuthenticator', () => {
  it('verifies an API token once per TTL and again once the TTL has passed', async () => {
    const { inner, cache, advance } = setup();
    await cache.authenticate('Bearer a');
    advance(4999);
    expect(await cache.authenticate('Bearer a')).toMatchObject({ identity: 'alice' });
    expect(inner.calls).toBe(1);
    advance(1);
    await cache.authenticate('Bearer a');
    expect(inner.calls).toBe(2);
  });

  it('never caches a failure or an OIDC principal', async () => {
    const { inner, cache } = setup();
    await expect(cache.authenticate('Bearer nope')).rejects.toMatchObject({ code: 'unauthenticated' });
    await expect(cache.authenticate('Bearer nope')).rejects.toMatchObject({ code: 'unauthenticated' });
    await cache.authenticate('Bearer jwt');
    await cache.authenticate('Bearer jwt');
    expect(inner.calls).toBe(4);
    expect(cache.size).toBe(0);
  });

  it('forgets a revoked token and every token of a disabled identity at once', async () => {
    const { inner, cache } = setup();
    for (const header of ['Bearer a', 'Bearer b', 'Bearer c']) await cache.authenticate(header);
    cache.forgetToken('tok_b');
    await cache.authenticate('Bearer b');
    expect(inner.calls).toBe(4);
    cache.forgetIdentity('alice');
    expect(cache.size).toBe(1);
    await cache.authenticate('Bearer a');
    await cache.authenticate('Bearer c');
    expect(inner.calls).toBe(6);
  });

  it('holds at most maxEntries verifications, evicting the oldest', async () => {
    const { inner, cache } = setup({ maxEntries: 2 });
    for (const header of ['Bearer a', 'Bearer b', 'Bearer c']) await cache.authenticate(header);
    expect(cache.size).toBe(2);
    await cache.authenticate('Bearer c');
    expect(inner.calls).toBe(3);
    await cache.authenticate('Bearer a');
    expect(inner.calls).toBe(4);
  });

  it('checks expiry on every request: a cached principal whose token expired is verified again', async () => {
    let wall = 1_000;
    const inner = new TableAuthenticator(
      new Map<string, Principal>([
        ['Bearer e', { identity: 'alice', method: 'api_token', tokenId: 'tok_e', expiresAt: 2_000 }],
      ]),
    );
    const cache = new CachedAuthenticator(inner, { ttlMs: 5000, monotonicNow: () => 0, now: () => wall });
    await cache.authenticate('Bearer e');
    await cache.authenticate('Bearer e');
    expect(inner.calls).toBe(1);
    wall = 2_000;
    await cache.authenticate('Bearer e');
    expect(inner.calls).toBe(2);
  });
});
