/**
 * Times in the viewer's own zone, with the exact UTC time on hover (and to screen readers through `dateTime`);
 * durations in words; a countdown that ticks.
 */
import { useEffect, useState } from 'react';

const LOCAL = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function utcText(iso: string): string {
  return `${new Date(iso)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, '')} UTC`;
}

export function Time({ iso }: { iso: string | undefined | null }) {
  if (iso === undefined || iso === null) return <span className="muted">—</span>;
  return (
    <time dateTime={iso} title={utcText(iso)}>
      {LOCAL.format(new Date(iso))}
    </time>
  );
}

/** `3h 12m`, `45s`, `2d 4h`: the two largest units. */
export function durationText(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const units: [number, string][] = [
    [86_400, 'd'],
    [3600, 'h'],
    [60, 'm'],
    [1, 's'],
  ];
  const parts: string[] = [];
  let rest = s;
  for (const [size, unit] of units) {
    if (rest >= size || (unit === 's' && parts.length === 0)) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
    if (parts.length === 2) break;
  }
  return parts.join(' ');
}

/** The current time, refreshed every `everyMs`. */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/** "ends in 12m 3s" / "ended 4m ago", ticking every second. */
export function Countdown({ until, label = 'ends' }: { until: string; label?: string }) {
  const now = useNow();
  const left = (Date.parse(until) - now) / 1000;
  return (
    <time dateTime={until} title={utcText(until)} className={left < 300 ? 'countdown soon' : 'countdown'}>
      {left > 0
        ? `${label} in ${durationText(left)}`
        : `${label === 'ends' ? 'ended' : label} ${durationText(-left)} ago`}
    </time>
  );
}
