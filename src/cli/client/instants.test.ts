import { describe, expect, it } from 'vitest';
import { isAppError } from '../../core/errors.js';
import { parseInstant } from './instants.js';

const NOW = Date.UTC(2026, 2, 1, 12, 0, 0);
const DAY = 86_400_000;

describe('instants typed on the command line', () => {
  it.each([
    ['a duration counts back from now for the start of a period', '90d', 'past', NOW - 90 * DAY],
    ['a duration counts forward from now for a deadline', '7d', 'future', NOW + 7 * DAY],
    ['durations combine units', '1d12h', 'future', NOW + 1.5 * DAY],
    ['now is now', 'now', 'past', NOW],
    ['a date is midnight UTC', '2026-03-31', 'future', Date.UTC(2026, 2, 31)],
    ['a time keeps its offset', '2026-03-31T17:00:00+02:00', 'future', Date.UTC(2026, 2, 31, 15)],
    ['a UTC time with milliseconds', '2026-03-31T17:00:00.250Z', 'future', Date.UTC(2026, 2, 31, 17, 0, 0, 250)],
  ] as const)('%s', (_name, text, direction, expected) => {
    expect(parseInstant('--x', text, direction, NOW)).toBe(expected);
  });

  it.each(['tomorrow', '2026-03-31T17:00:00', '2026-13-45', '-7d', '0d', ''])(
    "'%s' is a usage error that names the option",
    (text) => {
      let caught: unknown;
      try {
        parseInstant('--deadline', text, 'future', NOW);
      } catch (error) {
        caught = error;
      }
      expect(isAppError(caught) && caught.code).toBe('invalid');
      expect((caught as Error).message).toContain('--deadline');
    },
  );
});
