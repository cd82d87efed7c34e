/**
 * A resource's timeline (`GET /v1/resources/{id}/timeline`): who had what access when, within a window the
 * viewer picks (kept in the address, so a link shows the same window). The chart comes first, then the same
 * grants, requests and drift findings as tables, for screen readers and narrow screens.
 */
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { Link } from 'wouter';
import { api, data } from '../../api/client';
import { QueryView } from '../../ui/states';
import { SeverityBadge } from '../../ui/severity';
import { Time, useNow } from '../../ui/time';
import { useFilter } from '../../ui/use-filter';
import { SelectFilter } from '../../ui/filter-fields';
import { TimelineChart, TimelineLegend } from './timeline-chart';
import { layoutTimeline, type ResourceTimeline } from './timeline-layout';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The windows offered, by their value in the address; the server allows at most 90 days. */
const WINDOWS = [
  ['1h', 'Last hour', HOUR],
  ['1d', 'Last 24 hours', DAY],
  ['7d', 'Last 7 days', 7 * DAY],
  ['30d', 'Last 30 days', 30 * DAY],
  ['90d', 'Last 90 days', 90 * DAY],
] as const;
const DEFAULT_WINDOW = WINDOWS[3];
const LABEL_TIME = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const ZONE = new Intl.DateTimeFormat().resolvedOptions().timeZone;

export function TimelineSection({ resource }: { resource: string }) {
  const [params, setFilter] = useFilter();
  const [windowName, , windowMs] = WINDOWS.find(([name]) => name === params.get('window')) ?? DEFAULT_WINDOW;
  const timeline = useQuery({
    queryKey: ['resource-timeline', resource, windowName],
    queryFn: async () => {
      const to = Date.now();
      const window = { from: new Date(to - windowMs).toISOString(), to: new Date(to).toISOString() };
      return data(await api.GET('/v1/resources/{id}/timeline', { params: { path: { id: resource }, query: window } }));
    },
  });

  return (
    <section className="card" aria-labelledby="timeline-heading">
      <div className="page-head">
        <h2 id="timeline-heading">Timeline: who had what access when</h2>
        <div className="filters">
          <SelectFilter
            label="Window"
            value={windowName}
            choices={WINDOWS.map(([value, label]) => [value, label] as const)}
            onChange={(v) => setFilter('window', v)}
          />
        </div>
      </div>
      <QueryView query={timeline} what="the timeline">
        {(answer) => <TimelineBody timeline={answer} resource={resource} />}
      </QueryView>
    </section>
  );
}

function TimelineBody({ timeline, resource }: { timeline: ResourceTimeline; resource: string }) {
  const now = useNow(30_000);
  const layout = useMemo(() => layoutTimeline(timeline, now, (ms) => LABEL_TIME.format(ms)), [timeline, now]);
  const cut = Object.entries(timeline.truncated)
    .filter(([, truncated]) => truncated)
    .map(([list]) => list);
  return (
    <>
      <p className="help">
        From <Time iso={timeline.from} /> to <Time iso={timeline.to} />, in your time zone ({ZONE}). Select a bar or a
        marker to open its request.
      </p>
      {cut.length > 0 && (
        <p className="notice">
          Only the most recent 5,000 {cut.join(', ')} are shown: choose a shorter window to see them all.
        </p>
      )}
      <TimelineLegend />
      <TimelineChart layout={layout} resource={resource} />
      <TimelineTables timeline={timeline} />
    </>
  );
}

function TimelineTables({ timeline }: { timeline: ResourceTimeline }) {
  return (
    <div className="timeline-tables">
      <h3>Grants</h3>
      {timeline.grants.length === 0 ? (
        <p className="muted">No grant in this window.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Grants on this resource in the window</caption>
            <thead>
              <tr>
                <th scope="col">Identity</th>
                <th scope="col">Action</th>
                <th scope="col">From</th>
                <th scope="col">Until</th>
                <th scope="col">Status</th>
                <th scope="col">Request</th>
              </tr>
            </thead>
            <tbody>
              {timeline.grants.map((grant, index) => (
                <tr key={`${grant.requestId}-${index}`}>
                  <td>{grant.identity}</td>
                  <td>
                    {grant.action} {grant.breakGlass && <span className="badge danger">break-glass</span>}
                  </td>
                  <td>
                    <Time iso={grant.start} />
                  </td>
                  <td>{grant.end === null ? <span className="badge warn">ongoing</span> : <Time iso={grant.end} />}</td>
                  <td>{grant.status}</td>
                  <td>
                    <Link href={`/requests/${encodeURIComponent(grant.requestId)}`}>{grant.requestId}</Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h3>Requests</h3>
      {timeline.requests.length === 0 ? (
        <p className="muted">No request in this window.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Requests on this resource in the window</caption>
            <thead>
              <tr>
                <th scope="col">Requester</th>
                <th scope="col">Action</th>
                <th scope="col">Made</th>
                <th scope="col">Decided</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {timeline.requests.map((request) => (
                <tr key={request.id}>
                  <td>{request.requester}</td>
                  <td>
                    <Link href={`/requests/${encodeURIComponent(request.id)}`}>{request.action}</Link>
                  </td>
                  <td>
                    <Time iso={request.createdAt} />
                  </td>
                  <td>
                    <Time iso={request.decidedAt} />
                  </td>
                  <td>{request.status}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h3>Drift findings</h3>
      {timeline.drift.length === 0 ? (
        <p className="muted">No drift finding in this window.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Drift findings on this resource in the window</caption>
            <thead>
              <tr>
                <th scope="col">Check</th>
                <th scope="col">Severity</th>
                <th scope="col">Opened</th>
                <th scope="col">Resolved</th>
              </tr>
            </thead>
            <tbody>
              {timeline.drift.map((finding) => (
                <tr key={finding.id}>
                  <td>{finding.check}</td>
                  <td>
                    <SeverityBadge severity={finding.severity} />
                  </td>
                  <td>
                    <Time iso={finding.openedAt} />
                  </td>
                  <td>
                    {finding.resolvedAt === undefined ? (
                      <span className="badge warn">open</span>
                    ) : (
                      <Time iso={finding.resolvedAt} />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
