/**
 * Plain SVG bar charts drawn by React (no chart library, no inline style): horizontal bars whose lengths are
 * percentages of the chart's width, so they fit any width without scaling their text, and daily columns. Every bar
 * carries its value as text and its series' name, so nothing is told by colour alone; each chart is one image
 * with a summary for screen readers, next to a table that holds the same numbers.
 */
import { useId } from 'react';

export interface Series {
  readonly label: string;
  /** A class of the stylesheet's chart section: `bar-a`, `bar-b`, `bar-hatched`. */
  readonly className: string;
}

export interface BarRow {
  readonly label: string;
  /** One value per series; null draws no bar and says why (`missing`). */
  readonly values: readonly (number | null)[];
}

const LABEL_HEIGHT = 16;
const BAR_HEIGHT = 14;
const BAR_GAP = 4;
const ROW_GAP = 10;
/** The share of the width bars may take; the rest is for the value written after the longest one. */
const BAR_SPAN_PERCENT = 72;

function Legend({ series }: { series: readonly Series[] }) {
  if (series.length < 2) return null;
  return (
    <ul className="chart-legend" aria-hidden="true">
      {series.map((s) => (
        <li key={s.label}>
          <svg width="14" height="14" className="chart">
            <rect
              width="14"
              height="14"
              className={s.className === 'bar-hatched' ? 'bar-hatched-swatch' : s.className}
            />
            {s.className === 'bar-hatched' && <path d="M0 7 L7 0 M0 14 L14 0 M7 14 L14 7" className="chart-hatch" />}
          </svg>{' '}
          {s.label}
        </li>
      ))}
    </ul>
  );
}

/** Rows of horizontal bars, one per series in each row, with `format(value)` written after each bar. */
export function HorizontalBars({
  summary,
  series,
  rows,
  format,
  missing,
}: {
  summary: string;
  series: readonly Series[];
  rows: readonly BarRow[];
  format: (value: number) => string;
  missing: string;
}) {
  const max = Math.max(1, ...rows.flatMap((row) => row.values.map((v) => v ?? 0)));
  const rowHeight = LABEL_HEIGHT + series.length * (BAR_HEIGHT + BAR_GAP) + ROW_GAP;
  return (
    <figure className="chart-figure">
      <Legend series={series} />
      <svg className="chart" width="100%" height={rows.length * rowHeight} role="img" aria-label={summary}>
        {rows.map((row, r) => {
          const top = r * rowHeight;
          return (
            <g key={row.label}>
              <text x="0" y={top + LABEL_HEIGHT - 4} className="chart-label">
                {row.label}
              </text>
              {series.map((s, i) => {
                const value = row.values[i] ?? null;
                const y = top + LABEL_HEIGHT + i * (BAR_HEIGHT + BAR_GAP);
                // A value above zero keeps a visible sliver of a bar; zero and null draw none.
                const width = value === null || value === 0 ? 0 : Math.max(0.5, (value / max) * BAR_SPAN_PERCENT);
                const prefix = series.length > 1 ? `${s.label}: ` : '';
                return (
                  <g key={s.label}>
                    {width > 0 && <rect x="0" y={y} width={`${width}%`} height={BAR_HEIGHT} className={s.className} />}
                    <text x={`${width + 1}%`} y={y + BAR_HEIGHT - 3} className="chart-value">
                      {prefix}
                      {value === null ? missing : format(value)}
                    </text>
                  </g>
                );
              })}
            </g>
          );
        })}
      </svg>
    </figure>
  );
}

export interface DayColumn {
  readonly day: string;
  /** Stacked from the bottom, one per series. */
  readonly values: readonly number[];
}

const COLUMNS_HEIGHT = 140;
const AXIS_HEIGHT = 18;

/** One column per day, its series stacked; the first, middle and last days are written under the axis. */
export function DailyColumns({
  summary,
  series,
  days,
}: {
  summary: string;
  series: readonly Series[];
  days: readonly DayColumn[];
}) {
  const patternId = useId();
  const max = Math.max(1, ...days.map((d) => d.values.reduce((a, b) => a + b, 0)));
  const slot = 100 / Math.max(1, days.length);
  const ticks = new Set([0, Math.floor((days.length - 1) / 2), days.length - 1]);
  return (
    <figure className="chart-figure">
      <Legend series={series} />
      <svg className="chart" width="100%" height={COLUMNS_HEIGHT + AXIS_HEIGHT} role="img" aria-label={summary}>
        <defs>
          {/* The hatched series is told apart by its stripes, not by its colour. */}
          <pattern id={`${patternId}-hatch`} width="6" height="6" patternUnits="userSpaceOnUse">
            <rect width="6" height="6" className="bar-hatched-swatch" />
            <path d="M0 6 L6 0 M-1 1 L1 -1 M5 7 L7 5" className="chart-hatch" />
          </pattern>
        </defs>
        <line x1="0" x2="100%" y1={COLUMNS_HEIGHT} y2={COLUMNS_HEIGHT} className="axis" />
        {days.map((column, d) => {
          let base = COLUMNS_HEIGHT;
          const total = column.values.reduce((a, b) => a + b, 0);
          const words = series.map((s, i) => `${column.values[i] ?? 0} ${s.label.toLowerCase()}`).join(', ');
          return (
            <g key={column.day}>
              <title>{`${column.day}: ${words}`}</title>
              {column.values.map((value, i) => {
                const height = (value / max) * (COLUMNS_HEIGHT - 16);
                base -= height;
                const s = series[i];
                if (s === undefined || value === 0) return null;
                return (
                  <rect
                    key={s.label}
                    x={`${d * slot + slot * 0.1}%`}
                    width={`${slot * 0.8}%`}
                    y={base}
                    height={height}
                    className={s.className}
                    fill={s.className === 'bar-hatched' ? `url(#${patternId}-hatch)` : undefined}
                  />
                );
              })}
              {total > 0 && days.length <= 31 && (
                <text x={`${d * slot + slot / 2}%`} y={base - 3} className="chart-value" textAnchor="middle">
                  {total}
                </text>
              )}
              {ticks.has(d) && (
                <text
                  x={`${d * slot + slot / 2}%`}
                  y={COLUMNS_HEIGHT + AXIS_HEIGHT - 4}
                  textAnchor={d === 0 ? 'start' : d === days.length - 1 ? 'end' : 'middle'}
                >
                  {column.day.slice(5)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
