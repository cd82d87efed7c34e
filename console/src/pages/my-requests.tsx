/**
 * My requests and grants (`GET /v1/requests?requester=me`, `GET /v1/grants?identity=me`), and one request in full
 * (`RequestPage`, `/requests/:id`). Each request shows where it stands with a countdown to its next deadline and
 * the actions its status allows. Activating answers the one-time credential, which is kept in this page's state
 * only (never the query cache or browser storage) and so is gone once the page is left.
 */
import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { Link, useParams } from 'wouter';
import { api, data } from '../api/client';
import { Layout } from '../app/layout';
import { useSession } from '../app/session';
import { StatusBadge } from '../ui/request-status';
import { QueryView } from '../ui/states';
import { Countdown, Time, durationText } from '../ui/time';
import { OneTimeCredential } from './requests/credential';
import { RequestActions, type Credential, type RequestView } from './requests/request-actions';
import { StatusTimeline } from './requests/status-timeline';

const PAGE_SIZE = 100;

const STATUS_FILTERS: readonly (readonly [string, string])[] = [
  ['', 'Any status'],
  ['pending,approved,active', 'Open (pending, approved, active)'],
  ['pending', 'Pending'],
  ['approved', 'Approved'],
  ['active', 'Active'],
  ['expired,completed,revoked,revoke_failed', 'Ended'],
  ['denied,cancelled,timed_out', 'Denied, cancelled or timed out'],
];

/** The one-time credential of the activation just made, held by the page (never cached or stored). */
function useOneTimeCredential() {
  const [shown, setShown] = useState<{ requestId: string; credential: Credential } | undefined>();
  const show = (requestId: string, credential: Credential) => setShown({ requestId, credential });
  const panel = shown && <OneTimeCredential credential={shown.credential} onDismiss={() => setShown(undefined)} />;
  return { show, panel };
}

function Deadline({ request }: { request: RequestView }) {
  if (request.expiresAt === undefined) return <span className="muted">—</span>;
  if (request.status === 'active') return <Countdown until={request.expiresAt} />;
  if (request.status === 'pending') return <Countdown until={request.expiresAt} label="times out" />;
  if (request.status === 'approved') return <Countdown until={request.expiresAt} label="activate within" />;
  return <Time iso={request.expiresAt} />;
}

function GrantsSection({ identity }: { identity: string }) {
  const grants = useQuery({
    queryKey: ['grants', 'mine', identity],
    queryFn: async () =>
      data(await api.GET('/v1/grants', { params: { query: { identity, status: 'provisioning,active,revoking' } } })),
  });
  return (
    <section aria-labelledby="grants-heading">
      <h2 id="grants-heading">My active grants</h2>
      <QueryView
        query={grants}
        what="your grants"
        isEmpty={(page) => page.grants.length === 0}
        empty="You hold no access right now."
      >
        {(page) => (
          <div className="table-wrap">
            <table className="stack" data-testid="my-grants">
              <thead>
                <tr>
                  <th scope="col">Resource</th>
                  <th scope="col">Action</th>
                  <th scope="col">Status</th>
                  <th scope="col">Ends</th>
                  <th scope="col">Request</th>
                </tr>
              </thead>
              <tbody>
                {page.grants.map((grant) => (
                  <tr key={grant.id}>
                    <td data-label="Resource">{grant.resource}</td>
                    <td data-label="Action">
                      <code>{grant.action}</code>
                    </td>
                    <td data-label="Status">
                      <StatusBadge status={grant.status} />
                    </td>
                    <td data-label="Ends">
                      <Countdown until={grant.expiresAt} />
                    </td>
                    <td data-label="Request">
                      <Link href={`/requests/${encodeURIComponent(grant.requestId)}`}>{grant.requestId}</Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </QueryView>
    </section>
  );
}

export function MyRequestsPage() {
  const id = useId();
  const { identity } = useSession();
  const [status, setStatus] = useState('');
  const { show, panel } = useOneTimeCredential();
  const requests = useQuery({
    queryKey: ['requests', 'mine', identity, status],
    queryFn: async () =>
      data(
        await api.GET('/v1/requests', {
          params: { query: { requester: identity, limit: PAGE_SIZE, ...(status !== '' ? { status } : {}) } },
        }),
      ),
  });
  return (
    <Layout
      title="My requests and grants"
      actions={
        <Link href="/requests/new" className="button primary">
          New request
        </Link>
      }
    >
      {panel}
      <GrantsSection identity={identity} />
      <section aria-labelledby="requests-heading">
        <h2 id="requests-heading">My requests</h2>
        <div className="filters">
          <label htmlFor={`${id}-status`}>
            Status
            <select id={`${id}-status`} value={status} onChange={(e) => setStatus(e.target.value)}>
              {STATUS_FILTERS.map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </label>
        </div>
        <QueryView
          query={requests}
          what="your requests"
          isEmpty={(page) => page.requests.length === 0}
          empty={
            <>
              No requests{status !== '' && ' with this status'}. <Link href="/requests/new">Ask for access</Link>.
            </>
          }
        >
          {(page) => (
            <div className="table-wrap">
              <table className="stack" data-testid="my-requests">
                <thead>
                  <tr>
                    <th scope="col">Request</th>
                    <th scope="col">Status</th>
                    <th scope="col">Asked</th>
                    <th scope="col">Next deadline</th>
                    <th scope="col">Actions</th>
                  </tr>
                </thead>
                <tbody>
                  {page.requests.map((request) => (
                    <tr key={request.id} data-request={request.id}>
                      <td data-label="Request">
                        <Link href={`/requests/${encodeURIComponent(request.id)}`}>
                          <code>{request.action}</code> on {request.resource}
                        </Link>
                        <br />
                        <span className="muted">
                          {durationText(request.durationSeconds)}
                          {request.breakGlass && ' · break-glass'}
                        </span>
                      </td>
                      <td data-label="Status">
                        <StatusBadge status={request.status} />
                      </td>
                      <td data-label="Asked">
                        <Time iso={request.createdAt} />
                      </td>
                      <td data-label="Next deadline">
                        <Deadline request={request} />
                      </td>
                      <td data-label="Actions">
                        <RequestActions request={request} onActivated={show} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </QueryView>
        {requests.data?.nextCursor !== undefined && (
          <p className="muted">The newest {PAGE_SIZE} are shown; narrow them by status.</p>
        )}
      </section>
    </Layout>
  );
}

function RequestDetail({
  request,
  onActivated,
}: {
  request: RequestView;
  onActivated: (id: string, c: Credential) => void;
}) {
  const { identity } = useSession();
  const mine = request.requester === identity;
  return (
    <>
      <div className="grid-2">
        <section className="card" aria-labelledby="request-facts">
          <h2 id="request-facts">The request</h2>
          <dl className="facts">
            <dt>Status</dt>
            <dd>
              <StatusBadge status={request.status} />
            </dd>
            <dt>Requester</dt>
            <dd>{request.requester}</dd>
            <dt>Resource</dt>
            <dd>
              <Link href={`/resources/${encodeURIComponent(request.resource)}`}>{request.resource}</Link>
            </dd>
            <dt>Action</dt>
            <dd>
              <code>{request.action}</code>
            </dd>
            <dt>Duration</dt>
            <dd>{durationText(request.durationSeconds)}</dd>
            <dt>Parameters</dt>
            <dd>
              {Object.keys(request.params).length === 0 ? (
                <span className="muted">none</span>
              ) : (
                <code>{JSON.stringify(request.params)}</code>
              )}
            </dd>
            <dt>Justification</dt>
            <dd>{request.justification ?? <span className="muted">none</span>}</dd>
            <dt>Ticket</dt>
            <dd>{request.ticket ?? <span className="muted">none</span>}</dd>
            <dt>Profile</dt>
            <dd>
              <Link href={`/profiles/${encodeURIComponent(request.profile)}`}>{request.profile}</Link>{' '}
              <span className="muted">version {request.profileVersion.slice(0, 12)}</span>
            </dd>
            <dt>Rule</dt>
            <dd>
              <code>{request.matchedRule}</code>
            </dd>
            {request.grant !== undefined && (
              <>
                <dt>Grant</dt>
                <dd>
                  <StatusBadge status={request.grant.status} /> until <Time iso={request.grant.expiresAt} />
                </dd>
              </>
            )}
            <dt>Digest</dt>
            <dd>
              <code className="digest">{request.digest}</code>
            </dd>
          </dl>
        </section>
        <section className="card" aria-labelledby="request-timeline">
          <h2 id="request-timeline">Timeline</h2>
          <StatusTimeline request={request} />
          {request.steps.length > 0 && (
            <>
              <h3>Approval steps</h3>
              <ol className="steps">
                {request.steps.map((step) => (
                  <li key={step.step}>
                    {step.satisfied ? <span className="badge ok">done</span> : <span className="badge">open</span>}{' '}
                    {step.required} of {step.from.join(', ')}
                    <span className="muted">
                      {' '}
                      — {step.approvers.length > 0 ? step.approvers.join(', ') : 'nobody yet'}
                    </span>
                  </li>
                ))}
              </ol>
            </>
          )}
        </section>
      </div>
      {mine && <RequestActions request={request} onActivated={onActivated} />}
    </>
  );
}

export function RequestPage() {
  const { id = '' } = useParams<{ id: string }>();
  const { show, panel } = useOneTimeCredential();
  const request = useQuery({
    queryKey: ['requests', id],
    queryFn: async () => data(await api.GET('/v1/requests/{id}', { params: { path: { id } } })),
  });
  return (
    <Layout title={`Request ${id}`}>
      {panel}
      <QueryView query={request} what="the request">
        {(view) => <RequestDetail request={view} onActivated={show} />}
      </QueryView>
      <p>
        <Link href="/requests">All my requests</Link>
      </p>
    </Layout>
  );
}
