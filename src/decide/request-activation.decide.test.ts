import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { activationDeadline, activationWindowPassed, grantEnd } from './request-activation.decide.js';

const now = Date.UTC(2026, 0, 15, 9, 0, 0);
const HOUR = 3_600_000;

describe('activationDeadline', () => {
  it('an approval stays usable for the action’s activation window', () => {
    expect(activationDeadline(now, { activationWindowSeconds: 4 * 3600 })).toBe(now + 4 * HOUR);
  });

  it('a request whose action is gone can never be activated, so its window closes at the approval', () => {
    expect(activationDeadline(now, undefined)).toBe(now);
    expect(activationWindowPassed(activationDeadline(now, undefined), now)).toBe(true);
  });

  it('the deadline itself is already too late, the instant before it is not', () => {
    const deadline = activationDeadline(now, { activationWindowSeconds: 60 });
    expect(activationWindowPassed(deadline, deadline - 1)).toBe(false);
    expect(activationWindowPassed(deadline, deadline)).toBe(true);
  });
});

describe('grantEnd', () => {
  it('a grant lasts the duration asked for when nothing cuts it short', () => {
    expect(grantEnd({ now, durationSeconds: 1800 })).toBe(now + 30 * 60_000);
  });

  it('a grant ends with the activated role that entitled the request when that comes first', () => {
    expect(grantEnd({ now, durationSeconds: 7200, entitledUntil: now + HOUR })).toBe(now + HOUR);
  });

  it('a grant ends when the provider’s grant does when that comes first', () => {
    expect(grantEnd({ now, durationSeconds: 7200, entitledUntil: now + HOUR, providerUntil: now + 600_000 })).toBe(
      now + 600_000,
    );
  });

  it('never ends later than any of its bounds', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 86_400 }),
        fc.option(fc.integer({ min: 0, max: 100 * HOUR }), { nil: undefined }),
        fc.option(fc.integer({ min: 0, max: 100 * HOUR }), { nil: undefined }),
        (durationSeconds, entitled, provider) => {
          const end = grantEnd({
            now,
            durationSeconds,
            entitledUntil: entitled === undefined ? undefined : now + entitled,
            providerUntil: provider === undefined ? undefined : now + provider,
          });
          const bounds = [now + durationSeconds * 1000, entitled, provider].map((b, i) =>
            b === undefined ? Infinity : i === 0 ? b : now + b,
          );
          return end === Math.min(...bounds);
        },
      ),
    );
  });
});
