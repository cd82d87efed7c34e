/**
 * A duration as the API takes it (`30m`, `2h`, `1h30m`), checked in the browser against the action's maximum so
 * that a too-long request is corrected before it is sent; the server checks it again and stays the judge.
 */
import { useId } from 'react';
import { durationText } from './time';

const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/** Seconds in `text` (the server's own grammar: `90s`, `15m`, `1h30m`), or undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
  if (!/^(?:\d{1,9}[smhdw])+$/.test(text)) return undefined;
  let seconds = 0;
  for (const [, amount, unit] of text.matchAll(/(\d{1,9})([smhdw])/g)) {
    seconds += Number(amount) * (UNIT_SECONDS[unit ?? ''] ?? 0);
  }
  return seconds > 0 ? seconds : undefined;
}

/** Why `text` is not an acceptable duration of at most `maxSeconds`, or undefined when it is. */
export function durationProblem(text: string, maxSeconds: number | undefined): string | undefined {
  const seconds = parseDuration(text.trim());
  if (seconds === undefined) return 'Write a duration such as 30m, 2h or 1h30m.';
  if (maxSeconds !== undefined && seconds > maxSeconds) return `At most ${durationText(maxSeconds)}.`;
  return undefined;
}

export function DurationField({
  label = 'Duration',
  value,
  onChange,
  maxSeconds,
  showProblem,
}: {
  label?: string;
  value: string;
  onChange: (value: string) => void;
  maxSeconds: number | undefined;
  /** Show the problem (after a first submit, or once the field was left). */
  showProblem: boolean;
}) {
  const id = useId();
  const problem = durationProblem(value, maxSeconds);
  const shown = showProblem && problem !== undefined;
  return (
    <>
      <label htmlFor={id}>
        {label} <span className="required-mark">(required)</span>
      </label>
      <input
        id={id}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        required
        spellCheck={false}
        autoComplete="off"
        aria-invalid={shown}
        aria-describedby={`${id}-help`}
      />
      <p id={`${id}-help`} className={shown ? 'field-problem' : 'help'}>
        {shown
          ? problem
          : `Such as 30m or 1h30m${maxSeconds !== undefined ? `; at most ${durationText(maxSeconds)}` : ''}.`}
      </p>
    </>
  );
}
