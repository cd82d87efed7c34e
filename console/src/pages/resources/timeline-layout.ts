/**
 * The resource timeline as geometry-free rows: one row per identity with its grants (bars from start to end,
 * an ongoing grant drawn to "now") and its requests (markers at the moment they were made), plus the drift
 * findings as one band. The chart and the table below it both read this, so they always say the same thing.
 * Times are epoch milliseconds here; the chart turns them into pixels, the viewer's zone into words.
 */
import type { components } from '../../api/schema';

export type ResourceTimeline = components['schemas']['ResourceTimeline'];
type Grant = ResourceTimeline['grants'][number];
type TimelineRequest = ResourceTimeline['requests'][number];
type DriftItem = ResourceTimeline['drift'][number];

export interface TimelineBar {
  readonly grant: Grant;
  readonly start: number;
  readonly end: number;
  /** No end yet: the grant may still give access, so the bar runs to now (or the window's end). */
  readonly ongoing: boolean;
  readonly label: string;
}

export interface TimelineMarker {
  readonly request: TimelineRequest;
  readonly at: number;
  readonly label: string;
}

export interface TimelineBand {
  readonly finding: DriftItem;
  readonly start: number;
  readonly end: number;
  readonly open: boolean;
  readonly label: string;
}

export interface TimelineRow {
  readonly identity: string;
  readonly bars: readonly TimelineBar[];
  readonly markers: readonly TimelineMarker[];
}

export interface TimelineLayout {
  readonly from: number;
  readonly to: number;
  /** Where "now" sits, or undefined when the window ends before it. */
  readonly now: number | undefined;
  readonly rows: readonly TimelineRow[];
  readonly drift: readonly TimelineBand[];
}

/** Formats one instant for a text alternative (the viewer's zone). */
export type FormatTime = (epochMs: number) => string;

/** How far past the window's end "now" may be and still be drawn at its edge. */
const NOW_SLACK_MS = 120_000;

const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));

export function grantLabel(grant: Grant, format: FormatTime, ongoing: boolean): string {
  const until = ongoing ? 'now (ongoing)' : format(Date.parse(grant.end ?? ''));
  const kind = grant.breakGlass ? 'break-glass access' : 'access';
  return `${grant.identity}: ${kind} '${grant.action}' from ${format(Date.parse(grant.start))} until ${until}, ${grant.status}`;
}

export function requestLabel(request: TimelineRequest, format: FormatTime): string {
  return `${request.requester} requested '${request.action}' at ${format(Date.parse(request.createdAt))}, ${request.status}`;
}

export function driftLabel(finding: DriftItem, format: FormatTime): string {
  const until = finding.resolvedAt === undefined ? 'still open' : `resolved ${format(Date.parse(finding.resolvedAt))}`;
  return `Drift finding '${finding.check}' (${finding.severity}) opened ${format(Date.parse(finding.openedAt))}, ${until}`;
}

/** Lays the timeline out between its window's edges; `now` is the viewer's clock. */
export function layoutTimeline(timeline: ResourceTimeline, now: number, format: FormatTime): TimelineLayout {
  const from = Date.parse(timeline.from);
  const to = Math.max(Date.parse(timeline.to), from + 1);
  const rightEdge = Math.min(now, to);
  const rows = new Map<string, { bars: TimelineBar[]; markers: TimelineMarker[] }>();
  const rowOf = (identity: string) => {
    let row = rows.get(identity);
    if (row === undefined) {
      row = { bars: [], markers: [] };
      rows.set(identity, row);
    }
    return row;
  };
  for (const grant of timeline.grants) {
    const ongoing = grant.end === null;
    const start = clamp(Date.parse(grant.start), from, to);
    const end = clamp(ongoing ? rightEdge : Date.parse(grant.end ?? ''), start, to);
    rowOf(grant.identity).bars.push({ grant, start, end, ongoing, label: grantLabel(grant, format, ongoing) });
  }
  for (const request of timeline.requests) {
    const at = clamp(Date.parse(request.createdAt), from, to);
    rowOf(request.requester).markers.push({ request, at, label: requestLabel(request, format) });
  }
  const drift = timeline.drift.map((finding) => {
    const start = clamp(Date.parse(finding.openedAt), from, to);
    const open = finding.resolvedAt === undefined;
    const end = clamp(open ? rightEdge : Date.parse(finding.resolvedAt ?? ''), start, to);
    return { finding, start, end, open, label: driftLabel(finding, format) };
  });
  return {
    from,
    to,
    // The window usually ends at the moment it was fetched, a little before the viewer's clock reads now.
    now: now >= from && now <= to + NOW_SLACK_MS ? Math.min(now, to) : undefined,
    rows: [...rows.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([identity, row]) => ({
        identity,
        bars: row.bars.sort((a, b) => a.start - b.start),
        markers: row.markers.sort((a, b) => a.at - b.at),
      })),
    drift: drift.sort((a, b) => a.start - b.start),
  };
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const STEPS = [
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  7 * DAY,
  14 * DAY,
  30 * DAY,
];

/**
 * Axis ticks on round instants of the viewer's zone (round minutes, whole hours, local midnights), at most `maxTicks` of them;
 * the step says how to word them (times of day, or dates).
 */
export function timeTicks(from: number, to: number, maxTicks: number): { step: number; ticks: number[] } {
  const span = to - from;
  const step = STEPS.find((candidate) => span / candidate <= maxTicks) ?? STEPS[STEPS.length - 1] ?? DAY;
  const cursor = new Date(from);
  if (step < HOUR) {
    const minutes = step / MINUTE;
    cursor.setSeconds(0, 0);
    while (cursor.getTime() < from || cursor.getMinutes() % minutes !== 0) cursor.setMinutes(cursor.getMinutes() + 1);
  } else if (step < DAY) {
    const hours = step / HOUR;
    cursor.setMinutes(0, 0, 0);
    while (cursor.getTime() < from || cursor.getHours() % hours !== 0) cursor.setHours(cursor.getHours() + 1);
  } else {
    cursor.setHours(0, 0, 0, 0);
    if (cursor.getTime() < from) cursor.setDate(cursor.getDate() + 1);
  }
  const ticks: number[] = [];
  const days = Math.round(step / DAY);
  while (cursor.getTime() <= to && ticks.length <= maxTicks + 1) {
    ticks.push(cursor.getTime());
    // Calendar arithmetic, so that a daylight-saving change keeps ticks on local midnights and whole hours.
    if (step < HOUR) cursor.setMinutes(cursor.getMinutes() + step / MINUTE);
    else if (step < DAY) cursor.setHours(cursor.getHours() + step / HOUR);
    else cursor.setDate(cursor.getDate() + days);
  }
  return { step, ticks };
}
