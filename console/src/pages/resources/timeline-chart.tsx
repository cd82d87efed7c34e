/**
 * The resource timeline drawn as an SVG Gantt chart: a drift lane on top (each finding a band, also shaded
 * faintly across every row), then one row per identity with its grants as bars (break-glass hatched and
 * outlined, an ongoing grant ending in an arrow at "now") and its requests as diamonds. Every bar, band and
 * marker is a link (focusable, named with its text alternative) to what it shows. The table below the chart
 * carries the same data for screen readers and narrow screens; drawn with classes, no chart library.
 */
import { useEffect, useId, useRef, useState, type MouseEvent, type ReactNode, type RefObject } from 'react';
import { useLocation } from 'wouter';
import { timeTicks, type TimelineLayout } from './timeline-layout';

const LABEL_WIDTH = 140;
const RIGHT_PAD = 16;
const TOP = 8;
const LANE = 30;
const AXIS = 34;
const MIN_WIDTH = 560;
const DAY = 86_400_000;

/** The width the chart has to draw in, following the page as it is resized. */
function useWidth<T extends HTMLElement>(): [RefObject<T | null>, number] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(800);
  useEffect(() => {
    const element = ref.current;
    if (element === null) return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry !== undefined) setWidth(Math.floor(entry.contentRect.width));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

const TIME_OF_DAY = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const DATE = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });

function tickText(tick: number, step: number, first: boolean): string {
  if (step >= DAY) return DATE.format(tick);
  const date = new Date(tick);
  return first || (date.getHours() === 0 && date.getMinutes() === 0)
    ? `${DATE.format(tick)} ${TIME_OF_DAY.format(tick)}`
    : TIME_OF_DAY.format(tick);
}

function shortName(name: string): string {
  return name.length > 18 ? `${name.slice(0, 17)}…` : name;
}

const REFUSED = new Set(['denied', 'cancelled', 'timed_out']);
const WAITING = new Set(['pending', 'executing', 'needs_review']);

function markerClass(status: string): string {
  if (REFUSED.has(status)) return 'tl-marker refused';
  if (WAITING.has(status)) return 'tl-marker waiting';
  return 'tl-marker';
}

export function TimelineChart({ layout, resource }: { layout: TimelineLayout; resource: string }) {
  const [, navigate] = useLocation();
  const [wrapRef, available] = useWidth<HTMLDivElement>();
  const hatchId = `tl-hatch-${useId().replace(/[^a-zA-Z0-9]/g, '')}`;
  const width = Math.max(available, MIN_WIDTH);
  const plotLeft = LABEL_WIDTH;
  const plotRight = width - RIGHT_PAD;
  const span = layout.to - layout.from;
  const x = (t: number) => plotLeft + ((t - layout.from) / span) * (plotRight - plotLeft);
  const rowsTop = TOP + LANE + 6;
  const height = rowsTop + Math.max(layout.rows.length, 1) * LANE + AXIS;
  const axisY = height - AXIS + 4;
  const { step, ticks } = timeTicks(layout.from, layout.to, Math.max(2, Math.floor((plotRight - plotLeft) / 110)));

  const go = (href: string) => (event: MouseEvent) => {
    event.preventDefault();
    navigate(href);
  };

  return (
    <div className="timeline-scroll" ref={wrapRef}>
      <svg
        className="chart timeline-chart"
        width={width}
        height={height}
        role="group"
        aria-label={`Timeline of ${resource}: drift findings, then one row per identity with its grants and requests`}
      >
        <defs>
          <pattern id={hatchId} width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect className="tl-hatch-bg" width="6" height="6" />
            <line className="tl-hatch-line" x1="0" y1="0" x2="0" y2="6" />
          </pattern>
        </defs>
        {ticks.map((tick, index) => (
          <g key={tick}>
            <line className="tl-grid" x1={x(tick)} x2={x(tick)} y1={TOP} y2={axisY} />
            <text x={x(tick)} y={axisY + 14} textAnchor="middle">
              {tickText(tick, step, index === 0)}
            </text>
          </g>
        ))}
        <line className="axis" x1={plotLeft} x2={plotRight} y1={axisY} y2={axisY} />
        {layout.drift.map((band) => (
          <rect
            key={`shade-${band.finding.id}`}
            className={`tl-drift-shade ${band.finding.severity}`}
            x={x(band.start)}
            y={TOP}
            width={Math.max(x(band.end) - x(band.start), 2)}
            height={axisY - TOP}
          />
        ))}
        <text className="tl-row-label" x={8} y={TOP + LANE / 2 + 4}>
          Drift findings
        </text>
        {layout.drift.length === 0 && (
          <text x={plotLeft + 4} y={TOP + LANE / 2 + 4}>
            none in this window
          </text>
        )}
        {layout.drift.map((band) => {
          const href = `/drift?resource=${encodeURIComponent(resource)}`;
          return (
            <a key={band.finding.id} href={href} onClick={go(href)} aria-label={band.label}>
              <title>{band.label}</title>
              <rect
                className={`tl-drift ${band.finding.severity}${band.open ? ' open' : ''}`}
                x={x(band.start)}
                y={TOP + 6}
                width={Math.max(x(band.end) - x(band.start), 3)}
                height={LANE - 12}
                rx="2"
              />
            </a>
          );
        })}
        {layout.rows.map((row, index) => {
          const top = rowsTop + index * LANE;
          const middle = top + LANE / 2;
          return (
            <g key={row.identity}>
              <line className="tl-row-line" x1={0} x2={plotRight} y1={top} y2={top} />
              <text className="tl-row-label" x={8} y={middle + 4}>
                <title>{row.identity}</title>
                {shortName(row.identity)}
              </text>
              {row.bars.map((bar, barIndex) => {
                const href = `/requests/${encodeURIComponent(bar.grant.requestId)}`;
                const left = x(bar.start);
                const right = Math.max(x(bar.end), left + 3);
                return (
                  <a key={`${bar.grant.requestId}-${barIndex}`} href={href} onClick={go(href)} aria-label={bar.label}>
                    <title>{bar.label}</title>
                    <rect
                      className={`tl-bar${bar.grant.breakGlass ? ' break-glass' : ''} ${bar.grant.status}`}
                      x={left}
                      y={top + 7}
                      width={right - left}
                      height={LANE - 14}
                      rx="2"
                      fill={bar.grant.breakGlass ? `url(#${hatchId})` : undefined}
                    />
                    {bar.ongoing && (
                      <path
                        className="tl-ongoing"
                        d={`M ${right} ${top + 5} L ${right + 7} ${middle} L ${right} ${top + LANE - 5} Z`}
                      />
                    )}
                  </a>
                );
              })}
              {row.markers.map((marker) => {
                const href = `/requests/${encodeURIComponent(marker.request.id)}`;
                const cx = x(marker.at);
                return (
                  <a key={marker.request.id} href={href} onClick={go(href)} aria-label={marker.label}>
                    <title>{marker.label}</title>
                    <path
                      className={markerClass(marker.request.status)}
                      d={`M ${cx} ${top + 2} L ${cx + 5} ${top + 7} L ${cx} ${top + 12} L ${cx - 5} ${top + 7} Z`}
                    />
                  </a>
                );
              })}
            </g>
          );
        })}
        {layout.rows.length === 0 && (
          <text x={plotLeft + 4} y={rowsTop + LANE / 2 + 4}>
            No grant or request in this window
          </text>
        )}
        {layout.now !== undefined && (
          <g>
            <line className="tl-now" x1={x(layout.now)} x2={x(layout.now)} y1={TOP} y2={axisY} />
            <text className="tl-now-label" x={x(layout.now) - 4} y={axisY - 4} textAnchor="end">
              now
            </text>
          </g>
        )}
      </svg>
    </div>
  );
}

/** What the chart's shapes mean, in words beside a small sample of each (not colour alone). */
export function TimelineLegend() {
  const hatchId = `tl-legend-hatch-${useId().replace(/[^a-zA-Z0-9]/g, '')}`;
  const sample = (children: ReactNode) => (
    <svg className="chart tl-legend-sample" width="26" height="14" aria-hidden="true">
      <defs>
        <pattern id={hatchId} width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
          <rect className="tl-hatch-bg" width="6" height="6" />
          <line className="tl-hatch-line" x1="0" y1="0" x2="0" y2="6" />
        </pattern>
      </defs>
      {children}
    </svg>
  );
  return (
    <ul className="tl-legend">
      <li>{sample(<rect className="tl-bar" x="1" y="2" width="24" height="10" rx="2" />)} grant</li>
      <li>
        {sample(
          <rect className="tl-bar break-glass" x="1" y="2" width="24" height="10" rx="2" fill={`url(#${hatchId})`} />,
        )}{' '}
        break-glass grant (hatched)
      </li>
      <li>
        {sample(
          <>
            <rect className="tl-bar" x="1" y="2" width="16" height="10" rx="2" />
            <path className="tl-ongoing" d="M 17 0 L 24 7 L 17 14 Z" />
          </>,
        )}{' '}
        ongoing (arrow at now)
      </li>
      <li>
        {sample(<path className="tl-marker" d="M 13 1 L 19 7 L 13 13 L 7 7 Z" />)} request (hollow: pending or refused)
      </li>
      <li>{sample(<rect className="tl-drift high" x="1" y="2" width="24" height="10" rx="2" />)} drift finding</li>
    </ul>
  );
}
