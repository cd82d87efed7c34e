/**
 * Approval health (issue 12, page 10; the seeds' "identifying bottlenecks"): how many requests wait and for how
 * long, how long each profile's approvals take (p50/p90), decisions per day, and whose queue is longest, over a
 * window of 7, 30 or 90 days kept in the address (`/health?window=30d`). The numbers are the server's
 * (`GET /v1/stats/approvals`), narrowed to the requests the viewer may see; `audit` or `approve` holders only.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useLocation, useSearch } from 'wouter';
import { api, data } from '../api/client';
import { Layout } from '../app/layout';
import { QueryView } from '../ui/states';
import { Time } from '../ui/time';
import {
  PendingSection,
  PerDaySection,
  PerProfileSection,
  QueuesSection,
  type ApprovalStats,
} from './approval-health/health-sections';

type StatsWindow = ApprovalStats['window'];

const WINDOWS: readonly (readonly [StatsWindow, string])[] = [
  ['7d', '7 days'],
  ['30d', '30 days'],
  ['90d', '90 days'],
];

function windowFromSearch(search: string): StatsWindow {
  const value = new URLSearchParams(search).get('window');
  return WINDOWS.find(([w]) => w === value)?.[0] ?? '7d';
}

function WindowSelector({ value, onChange }: { value: StatsWindow; onChange: (next: StatsWindow) => void }) {
  return (
    <fieldset className="segmented">
      <legend>Window</legend>
      {WINDOWS.map(([window, label]) => (
        <label key={window}>
          <input
            type="radio"
            name="window"
            value={window}
            checked={value === window}
            onChange={() => onChange(window)}
          />
          {label}
        </label>
      ))}
    </fieldset>
  );
}

export function ApprovalHealthPage() {
  const search = useSearch();
  const [, navigate] = useLocation();
  const window = windowFromSearch(search);
  const stats = useQuery({
    queryKey: ['stats', 'approvals', window],
    queryFn: async () => data(await api.GET('/v1/stats/approvals', { params: { query: { window } } })),
    placeholderData: keepPreviousData,
  });
  return (
    <Layout
      title="Approval health"
      actions={
        <WindowSelector value={window} onChange={(next) => navigate(`/health?window=${next}`, { replace: true })} />
      }
    >
      <QueryView query={stats} what="approval statistics">
        {(answer) => (
          <>
            <p className="help">
              Decisions since <Time iso={answer.since} /> (whole UTC days); pending requests as of now. Only the
              requests you may see are counted.
            </p>
            <div className="grid-2">
              <PendingSection pending={answer.pending} />
              <QueuesSection queues={answer.longestQueues} />
            </div>
            <PerProfileSection perProfile={answer.perProfile} />
            <PerDaySection perDay={answer.perDay} />
          </>
        )}
      </QueryView>
    </Layout>
  );
}
