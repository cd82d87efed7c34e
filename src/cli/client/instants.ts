/**
 * Points in time as people type them on the command line: an ISO-8601 date (`2026-03-31`, midnight UTC) or
 * time (`2026-03-31T17:00:00Z`), `now`, or a duration such as `7d` counted from now — backwards for the start
 * of a period ("the last 90 days": `--from 90d`), forwards for a deadline (`--deadline 14d`). This is where the
 * CLI turns what was typed into an instant (epoch milliseconds), which it sends as an RFC 3339 time.
 */
import { AppError } from '../../core/errors.js';
import { parseDurationSeconds } from '../../core/duration.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
/** A time must say its offset: a bare local time would mean different instants on different machines. */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * The epoch milliseconds `text` stands for. `direction` says which way a duration counts from `nowMs`:
 * `past` (`90d` = 90 days ago) or `future` (`7d` = in 7 days). Anything else is a usage error naming `option`.
 */
export function parseInstant(option: string, text: string, direction: 'past' | 'future', nowMs: number): number {
  const trimmed = text.trim();
  if (trimmed === 'now') return nowMs;
  const seconds = parseDurationSeconds(trimmed);
  if (seconds !== undefined) return direction === 'past' ? nowMs - seconds * 1000 : nowMs + seconds * 1000;
  if (ISO_DATE.test(trimmed) || ISO_TIME.test(trimmed)) {
    const ms = Date.parse(ISO_DATE.test(trimmed) ? `${trimmed}T00:00:00Z` : trimmed);
    if (Number.isFinite(ms)) return ms;
  }
  const example = direction === 'past' ? "'90d' (90 days ago)" : "'7d' (in 7 days)";
  throw new AppError(
    'invalid',
    `${option} '${trimmed.slice(0, 50)}' is not a date (2026-03-31), a time with its offset ` +
      `(2026-03-31T17:00:00Z), 'now' or a duration such as ${example}`,
  );
}
