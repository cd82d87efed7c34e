/**
 * Policy durations: strings such as `90s`, `15m`, `8h`, `90d` (and combinations like `1h30m`), always carried
 * in code as a number of seconds so that the unit is in the name (`ttlSeconds`).
 */
const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };
const DURATION_PATTERN = /^(?:\d{1,9}[smhdw])+$/;
const PART_PATTERN = /(\d{1,9})([smhdw])/g;

/** Parses a duration string into seconds, or returns undefined when it is not a well-formed positive duration. */
export function parseDurationSeconds(text: string): number | undefined {
  if (!DURATION_PATTERN.test(text)) return undefined;
  let seconds = 0;
  for (const [, amount, unit] of text.matchAll(PART_PATTERN)) {
    seconds += Number(amount) * (UNIT_SECONDS[unit as string] ?? 0);
  }
  return seconds > 0 ? seconds : undefined;
}

/** Formats seconds as the shortest duration string that parses back to the same value (`5400` → `1h30m`). */
export function formatDurationSeconds(totalSeconds: number): string {
  if (totalSeconds <= 0) return '0s';
  let rest = Math.floor(totalSeconds);
  let text = '';
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    const amount = Math.floor(rest / size);
    if (amount > 0) {
      text += `${amount}${unit}`;
      rest -= amount * size;
    }
  }
  return text;
}
