import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeRequestRecord } from '../../test/factories/policy.factory.js';
import { makeAction } from '../../test/factories/profile.factory.js';
import { checkExtensionRequest, type ExtensionRequestCheck } from './extension.decide.js';

const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
const active = makeRequestRecord({
  status: 'active',
  activatedAt: NOW - HOUR,
  firstActivatedAt: NOW - 2 * HOUR,
  expiresAt: NOW + HOUR,
});
const base: ExtensionRequestCheck = {
  active,
  action: makeAction({ name: 'read', maxDurationSeconds: 4 * 3600 }),
  providerType: 'postgres',
  providerExtends: true,
  durationSeconds: 90 * 60,
  now: NOW,
};

describe('checkExtensionRequest', () => {
  it.each<[string, Partial<ExtensionRequestCheck>, readonly string[]]>([
    ['a later end within maxDuration from the first activation', {}, []],
    ['exactly at maxDuration from the first activation', { durationSeconds: 2 * 3600 }, []],
    [
      'one second past maxDuration from the first activation',
      { durationSeconds: 2 * 3600 + 1 },
      ['extension.past_max_duration'],
    ],
    ['an end no later than the current one', { durationSeconds: 3600 }, ['extension.not_later']],
    ['a provider that cannot extend', { providerExtends: false }, ['provider.cannot_extend']],
    [
      'an execute action',
      { action: makeAction({ name: 'run', grant: undefined, execute: { role: 'x' } }) },
      ['extension.not_a_grant'],
    ],
    ['an action that no longer exists', { action: undefined }, ['action.unknown']],
    ['a request that is not active', { active: { ...active, status: 'approved' } }, ['grant.not_active']],
    ['a grant that already expired', { now: NOW + HOUR }, ['grant.not_active']],
  ])('%s', (_name, overrides, codes) => {
    const result = checkExtensionRequest({ ...base, ...overrides });
    expect(result.allowed).toBe(codes.length === 0);
    if (codes.length > 0) expect(result.reasons.map((r) => r.code)).toEqual(codes);
  });

  it('counts maxDuration from the first activation, not from the latest extension', () => {
    const extended = { ...active, activatedAt: NOW - 10 * 60_000 };
    const result = checkExtensionRequest({ ...base, active: extended, durationSeconds: 3 * 3600 });
    expect(result.reasons.map((r) => r.code)).toEqual(['extension.past_max_duration']);
  });
});

describe('checkExtensionRequest, for any timing', () => {
  it('never allows an end past maxDuration from the first activation, nor one no later than the current end', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 * 3600 }),
        fc.integer({ min: 0, max: 10 * 3600 }),
        fc.integer({ min: 1, max: 10 * 3600 }),
        fc.integer({ min: 60, max: 12 * 3600 }),
        fc.integer({ min: 1, max: 12 * 3600 }),
        (sinceFirst, untilEnd, durationSeconds, maxDurationSeconds, sinceLatest) => {
          const now = NOW;
          const record = {
            ...active,
            firstActivatedAt: now - sinceFirst * 1000,
            activatedAt: now - Math.min(sinceFirst, sinceLatest) * 1000,
            expiresAt: now + untilEnd * 1000 + 1,
          };
          const result = checkExtensionRequest({
            ...base,
            active: record,
            action: makeAction({ name: 'read', maxDurationSeconds }),
            durationSeconds,
          });
          const end = now + durationSeconds * 1000;
          if (result.allowed) {
            expect(end).toBeLessThanOrEqual(record.firstActivatedAt + maxDurationSeconds * 1000);
            expect(end).toBeGreaterThan(record.expiresAt);
          }
        },
      ),
    );
  });
});
