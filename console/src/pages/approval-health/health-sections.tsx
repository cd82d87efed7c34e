/**
 * The sections of the Approval health page, each a chart with its text values and the same numbers as a table:
 * what is pending and for how long, the time to approve per profile (p50/p90), approvals per day, and the
 * approvers with the longest queues.
 */
import type { components } from '../../api/schema';
import { Empty } from '../../ui/states';
import { durationText } from '../../ui/time';
import { DailyColumns, HorizontalBars, type Series } from './charts';

export type ApprovalStats = components['schemas']['ApprovalStats'];

const AGE_WORDS: Record<ApprovalStats['pending']['ageBuckets'][number]['le'], string> = {
  '1h': 'up to 1 hour',
  '4h': '1 to 4 hours',
  '1d': '4 hours to 1 day',
  '3d': '1 to 3 days',
  '+Inf': 'over 3 days',
};

/** The server's buckets are cumulative (each counts every request up to its bound); the chart shows each band. */
export function ageBands(buckets: ApprovalStats['pending']['ageBuckets']): { label: string; count: number }[] {
  return buckets.map((bucket, i) => ({
    label: AGE_WORDS[bucket.le],
    count: bucket.count - (i === 0 ? 0 : (buckets[i - 1]?.count ?? 0)),
  }));
}

const COUNT: readonly Series[] = [{ label: 'Requests', className: 'bar-a' }];
const PERCENTILES: readonly Series[] = [
  { label: 'p50', className: 'bar-a' },
  { label: 'p90', className: 'bar-b' },
];
const DECISIONS: readonly Series[] = [
  { label: 'Approved', className: 'bar-a' },
  { label: 'Denied', className: 'bar-hatched' },
];

const duration = (seconds: number | null) => (seconds === null ? '—' : durationText(seconds));
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function TableDisclosure({ summary, children }: { summary: string; children: React.ReactNode }) {
  return (
    <details className="chart-table">
      <summary>{summary}</summary>
      <div className="table-wrap">{children}</div>
    </details>
  );
}

export function PendingSection({ pending }: { pending: ApprovalStats['pending'] }) {
  const bands = ageBands(pending.ageBuckets);
  return (
    <section className="card" aria-labelledby="health-pending-heading">
      <h2 id="health-pending-heading">Pending requests</h2>
      <p className="health-headline" data-testid="health-pending">
        <strong>{pending.count}</strong> pending
        {pending.oldestAgeSeconds !== null && (
          <>
            , the oldest waiting for <strong>{durationText(pending.oldestAgeSeconds)}</strong>
          </>
        )}
        .
      </p>
      {pending.count > 0 && (
        <>
          <HorizontalBars
            summary={`Pending requests by age: ${bands.map((b) => `${b.label}, ${b.count}`).join('; ')}`}
            series={COUNT}
            rows={bands.map((b) => ({ label: b.label, values: [b.count] }))}
            format={(n) => String(n)}
            missing="0"
          />
          <TableDisclosure summary="Pending requests by age as a table">
            <table>
              <thead>
                <tr>
                  <th scope="col">Waiting</th>
                  <th scope="col">Requests</th>
                </tr>
              </thead>
              <tbody>
                {bands.map((band) => (
                  <tr key={band.label}>
                    <th scope="row">{band.label}</th>
                    <td>{band.count}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableDisclosure>
        </>
      )}
    </section>
  );
}

export function PerProfileSection({ perProfile }: { perProfile: ApprovalStats['perProfile'] }) {
  return (
    <section className="card" aria-labelledby="health-profiles-heading">
      <h2 id="health-profiles-heading">Time to approve, per profile</h2>
      {perProfile.length === 0 ? (
        <Empty>No request was approved or denied by people in this window.</Empty>
      ) : (
        <>
          <p className="help">
            From the request to its final approval: half were approved within p50, nine in ten within p90.
          </p>
          <HorizontalBars
            summary={`Time to approve per profile: ${perProfile
              .map((p) => `${p.profile}, p50 ${duration(p.p50Seconds)}, p90 ${duration(p.p90Seconds)}`)
              .join('; ')}`}
            series={PERCENTILES}
            rows={perProfile.map((p) => ({ label: p.profile, values: [p.p50Seconds, p.p90Seconds] }))}
            format={durationText}
            missing="none approved"
          />
          <TableDisclosure summary="Time to approve per profile as a table">
            <table data-testid="health-profiles-table">
              <thead>
                <tr>
                  <th scope="col">Profile</th>
                  <th scope="col">p50</th>
                  <th scope="col">p90</th>
                  <th scope="col">Approved</th>
                  <th scope="col">Denied</th>
                </tr>
              </thead>
              <tbody>
                {perProfile.map((p) => (
                  <tr key={p.profile}>
                    <th scope="row">{p.profile}</th>
                    <td>{duration(p.p50Seconds)}</td>
                    <td>{duration(p.p90Seconds)}</td>
                    <td>{p.approved}</td>
                    <td>{p.denied}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableDisclosure>
        </>
      )}
    </section>
  );
}

export function PerDaySection({ perDay }: { perDay: ApprovalStats['perDay'] }) {
  const approved = perDay.reduce((sum, d) => sum + d.approved, 0);
  const denied = perDay.reduce((sum, d) => sum + d.denied, 0);
  return (
    <section className="card" aria-labelledby="health-days-heading">
      <h2 id="health-days-heading">Decisions per day (UTC)</h2>
      <p>
        {plural(approved, 'approval')} and {plural(denied, 'denial')} over {plural(perDay.length, 'day')}.
      </p>
      <DailyColumns
        summary={`Decisions per day: ${approved} approved and ${denied} denied in total; the table below lists each day`}
        series={DECISIONS}
        days={perDay.map((d) => ({ day: d.day, values: [d.approved, d.denied] }))}
      />
      <TableDisclosure summary="Decisions per day as a table">
        <table>
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col">Approved</th>
              <th scope="col">Denied</th>
              <th scope="col">Time to approve (p50)</th>
            </tr>
          </thead>
          <tbody>
            {perDay.map((d) => (
              <tr key={d.day}>
                <th scope="row">{d.day}</th>
                <td>{d.approved}</td>
                <td>{d.denied}</td>
                <td>{duration(d.p50Seconds)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableDisclosure>
    </section>
  );
}

export function QueuesSection({ queues }: { queues: ApprovalStats['longestQueues'] }) {
  return (
    <section className="card" aria-labelledby="health-queues-heading">
      <h2 id="health-queues-heading">Longest approver queues</h2>
      {queues.length === 0 ? (
        <Empty>No approver has a pending request waiting for them.</Empty>
      ) : (
        <div className="table-wrap">
          <table data-testid="health-queues">
            <thead>
              <tr>
                <th scope="col">Approver</th>
                <th scope="col">Pending in their inbox</th>
                <th scope="col">Oldest waiting</th>
              </tr>
            </thead>
            <tbody>
              {queues.map((q) => (
                <tr key={q.identity}>
                  <th scope="row">{q.identity}</th>
                  <td>{q.pending}</td>
                  <td>{durationText(q.oldestAgeSeconds)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
