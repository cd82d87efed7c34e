/**
 * Gateway sessions (issue 14): `/sessions` lists what `GET /v1/sessions` answers the signed-in person (their own
 * sessions; holders of `approve` or `audit` also those on the profiles their duty covers), newest first, filterable
 * by status and narrowed to one's own; `/sessions/{id}` shows one session and its statements in order, a page of
 * 500 at a time (`after` in the address), with "Ask for approval" on the viewer's own refusals. The server decides
 * who sees what; the page asks for nothing more than the list and the session as they come.
 */
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'wouter';
import { api, data } from '../api/client';
import type { components } from '../api/schema';
import { Layout } from '../app/layout';
import { useSession } from '../app/session';
import { SelectFilter } from '../ui/filter-fields';
import { Empty, QueryView } from '../ui/states';
import { Time } from '../ui/time';
import { oneOf, useFilter } from '../ui/use-filter';
import { StatementsTable } from './sessions/statements-table';

type Session = components['schemas']['GatewaySession'];

const LIMIT = 200;
const STATEMENT_PAGE = 500;
const STATUSES = ['open', 'closed', 'abnormal'] as const;

const END_REASONS: Readonly<Record<string, string>> = {
  client: 'the client disconnected',
  revoked: 'the grant was revoked',
  expired: 'the grant expired',
  budget: 'a budget ran out',
  error: 'an error',
  shutdown: 'the gateway shut down',
  abnormal: 'the gateway stopped without closing it',
};

function SessionStatus({ session }: { session: Session }) {
  if (session.status === 'open') return <span className="badge ok">open</span>;
  if (session.status === 'abnormal') return <span className="badge danger">abnormal</span>;
  return <span className="badge">closed</span>;
}

function EndReason({ reason }: { reason: string | null }) {
  if (reason === null) return <span className="muted">—</span>;
  return (
    <>
      <code>{reason}</code> <span className="muted">{END_REASONS[reason] ?? ''}</span>
    </>
  );
}

export function SessionsPage() {
  const { identity } = useSession();
  const [params, setFilter] = useFilter();
  const status = oneOf(STATUSES, params.get('status'));
  const mineOnly = params.get('whose') === 'mine';
  const sessions = useQuery({
    queryKey: ['gateway-sessions', identity, status, mineOnly],
    queryFn: async () =>
      data(
        await api.GET('/v1/sessions', {
          params: {
            query: {
              limit: LIMIT,
              ...(status === undefined ? {} : { status }),
              ...(mineOnly ? { identity } : {}),
            },
          },
        }),
      ).sessions,
  });
  return (
    <Layout title="Gateway sessions">
      <form className="filters" role="search" aria-label="Filter sessions" onSubmit={(e) => e.preventDefault()}>
        <SelectFilter
          label="Status"
          value={status ?? ''}
          choices={STATUSES}
          anyLabel="Any"
          onChange={(v) => setFilter('status', v)}
        />
        <SelectFilter
          label="Whose"
          value={mineOnly ? 'mine' : ''}
          choices={[['mine', 'Mine only']]}
          anyLabel="All I may see"
          onChange={(v) => setFilter('whose', v)}
        />
      </form>
      <QueryView
        query={sessions}
        what="gateway sessions"
        isEmpty={(list) => list.length === 0}
        empty={
          status !== undefined || mineOnly
            ? 'No gateway session matches these filters.'
            : 'No gateway sessions: none of yours, and none on a profile you approve or audit.'
        }
      >
        {(list) => (
          <>
            {list.length === LIMIT && (
              <p className="notice">Showing the {LIMIT} newest sessions: narrow the filters to see older ones.</p>
            )}
            <div className="table-wrap">
              <table className="stack" data-testid="gateway-sessions">
                <caption className="visually-hidden">{list.length} gateway sessions, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Resource</th>
                    <th scope="col">Identity</th>
                    <th scope="col">Started</th>
                    <th scope="col">Ended</th>
                    <th scope="col">End reason</th>
                    <th scope="col">Statements</th>
                    <th scope="col">Refused</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((session) => (
                    <tr key={session.id} data-session={session.id}>
                      <td data-label="Resource">
                        <Link href={`/sessions/${encodeURIComponent(session.id)}`}>{session.resource}</Link>{' '}
                        <span className="muted">
                          <code>{session.action}</code>
                        </span>
                      </td>
                      <td data-label="Identity">{session.identity}</td>
                      <td data-label="Started">
                        <Time iso={session.openedAt} />
                      </td>
                      <td data-label="Ended">
                        {session.closedAt === null ? (
                          <SessionStatus session={session} />
                        ) : (
                          <Time iso={session.closedAt} />
                        )}
                      </td>
                      <td data-label="End reason">
                        <EndReason reason={session.endReason} />
                      </td>
                      <td data-label="Statements">{session.statements}</td>
                      <td data-label="Refused">
                        {session.refused > 0 ? <span className="badge warn">{session.refused}</span> : 0}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </QueryView>
    </Layout>
  );
}

function SessionFacts({ session }: { session: Session }) {
  return (
    <section className="card" aria-labelledby="session-facts">
      <h2 id="session-facts">The session</h2>
      <dl className="facts">
        <dt>Status</dt>
        <dd>
          <SessionStatus session={session} />
        </dd>
        <dt>Identity</dt>
        <dd>{session.identity}</dd>
        <dt>Resource</dt>
        <dd>
          <Link href={`/resources/${encodeURIComponent(session.resource)}`}>{session.resource}</Link>{' '}
          <span className="muted">
            profile <Link href={`/profiles/${encodeURIComponent(session.profile)}`}>{session.profile}</Link>
          </span>
        </dd>
        <dt>Access</dt>
        <dd>
          <code>{session.action}</code> from request{' '}
          <Link href={`/requests/${encodeURIComponent(session.requestId)}`}>{session.requestId}</Link>
        </dd>
        <dt>Client</dt>
        <dd>
          {session.clientAddress}
          {session.applicationName !== null && <> ({session.applicationName})</>} · {session.tls ? 'TLS' : 'no TLS'} ·
          signed in with {session.method}
          {session.channelBound === true && ' (channel-bound: SCRAM-SHA-256-PLUS)'}
        </dd>
        <dt>Started</dt>
        <dd>
          <Time iso={session.openedAt} />
        </dd>
        <dt>Ended</dt>
        <dd>
          {session.closedAt === null ? (
            <>
              not yet (the grant ends <Time iso={session.expiresAt} />)
            </>
          ) : (
            <>
              <Time iso={session.closedAt} /> · <EndReason reason={session.endReason} />
            </>
          )}
        </dd>
        <dt>Statements</dt>
        <dd>
          {session.statements}, of which {session.refused} refused
        </dd>
      </dl>
    </section>
  );
}

export function SessionPage() {
  const { id = '' } = useParams<{ id: string }>();
  const { identity } = useSession();
  const [params, setFilter] = useFilter();
  const after = Number(params.get('after') ?? '0');
  const from = Number.isSafeInteger(after) && after > 0 ? after : 0;
  const session = useQuery({
    queryKey: ['gateway-sessions', id, from],
    queryFn: async () =>
      data(
        await api.GET('/v1/sessions/{id}', {
          params: { path: { id }, query: { limit: STATEMENT_PAGE, ...(from > 0 ? { after: from } : {}) } },
        }),
      ),
  });
  return (
    <Layout title={`Gateway session ${id}`}>
      <QueryView query={session} what="the session">
        {(detail) => (
          <>
            <SessionFacts session={detail.session} />
            <section aria-labelledby="session-statements">
              <h2 id="session-statements">Statements</h2>
              {from > 0 && (
                <p className="muted">
                  From statement {from + 1}.{' '}
                  <button type="button" className="button secondary" onClick={() => setFilter('after', '')}>
                    First statements
                  </button>
                </p>
              )}
              {detail.statements.length === 0 ? (
                <Empty>No statements recorded{from > 0 ? ' after this one' : ' yet'}.</Empty>
              ) : (
                <StatementsTable
                  session={detail.session}
                  statements={detail.statements}
                  mine={detail.session.identity === identity}
                />
              )}
              {detail.next !== null && (
                <p>
                  <button
                    type="button"
                    className="button secondary"
                    onClick={() => setFilter('after', String(detail.next))}
                  >
                    Later statements
                  </button>
                </p>
              )}
            </section>
          </>
        )}
      </QueryView>
      <p>
        <Link href="/sessions">All gateway sessions</Link>
      </p>
    </Layout>
  );
}
