/**
 * Drift severities in words with a tone (the word carries the meaning; the colour only repeats it): one
 * finding's severity, and a resource's open findings counted by severity.
 */
const SEVERITY_ORDER = ['critical', 'high', 'medium', 'low'] as const;

export type Severity = (typeof SEVERITY_ORDER)[number];

function tone(severity: string): string {
  if (severity === 'critical' || severity === 'high') return 'badge danger';
  if (severity === 'medium') return 'badge warn';
  return 'badge';
}

export function SeverityBadge({ severity }: { severity: string }) {
  return <span className={tone(severity)}>{severity}</span>;
}

/** "2 high, 1 low open", or "no open drift". */
export function DriftCounts({ drift }: { drift: Readonly<Record<Severity, number>> }) {
  const present = SEVERITY_ORDER.filter((severity) => drift[severity] > 0);
  if (present.length === 0) return <span className="badge ok">no open drift</span>;
  return (
    <span className="drift-counts">
      {present.map((severity) => (
        <span key={severity} className={tone(severity)}>
          {drift[severity]} {severity}
        </span>
      ))}
    </span>
  );
}

/** The number of open findings of a resource's counts. */
export function openDrift(drift: Readonly<Record<Severity, number>>): number {
  return SEVERITY_ORDER.reduce((total, severity) => total + drift[severity], 0);
}
