/**
 * Inbox, the approver's default page (`GET /v1/inbox`): the pending requests whose current step names me, each
 * with its context beside it and my decision below it. When the server answers a decision with a conflict (the
 * request changed, or another approver or the requester moved it on meanwhile), the page says so and shows the
 * request as it is now, even after it has left the inbox. Polling keeps the list current.
 */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { api, data, type Problem } from '../api/client';
import { Layout } from '../app/layout';
import { StatusBadge } from '../ui/request-status';
import { ProblemMessage, QueryView } from '../ui/states';
import { Time, durationText } from '../ui/time';
import { InboxItemCard } from './inbox/inbox-item';

/**
 * Requests per page: each comes with its whole context, and an approver decides the first few before the next;
 * twenty render in a fraction of the time fifty take, which keeps the Inbox interactive within a second with a
 * thousand requests waiting (`npm run bench -- console`).
 */
const PAGE_SIZE = 20;

/** A request whose decision the server refused as a conflict, shown as it is now. */
function ChangedRequest({ id, problem, onDismiss }: { id: string; problem: Problem; onDismiss: () => void }) {
  const now = useQuery({
    queryKey: ['requests', id],
    queryFn: async () => data(await api.GET('/v1/requests/{id}', { params: { path: { id } } })),
  });
  return (
    <article className="card changed" aria-labelledby={`changed-${id}`} data-testid="changed-request">
      <h3 id={`changed-${id}`}>Request {id} changed while you were deciding</h3>
      <ProblemMessage error={problem} />
      <QueryView query={now} what="the request as it is now">
        {(request) => (
          <dl className="facts">
            <dt>Status now</dt>
            <dd>
              <StatusBadge status={request.status} />
              {request.statusReason !== undefined && <span className="muted"> {request.statusReason}</span>}
            </dd>
            <dt>Asks for</dt>
            <dd>
              <code>{request.action}</code> on <code>{request.resource}</code> for{' '}
              {durationText(request.durationSeconds)}
            </dd>
            <dt>Parameters</dt>
            <dd>
              <code>{JSON.stringify(request.params)}</code>
            </dd>
            <dt>Approvals</dt>
            <dd>
              {request.approvals.length === 0
                ? 'none'
                : request.approvals.map((approval) => (
                    <span key={`${approval.approver}-${approval.step}`}>
                      {approval.approver} (<Time iso={approval.at} />){' '}
                    </span>
                  ))}
            </dd>
            <dt>Digest</dt>
            <dd>
              <code>{request.digest}</code>
            </dd>
          </dl>
        )}
      </QueryView>
      <div className="actions">
        <Link href={`/requests/${encodeURIComponent(id)}`}>Open the request</Link>
        <button type="button" className="button secondary" onClick={onDismiss}>
          Dismiss
        </button>
      </div>
    </article>
  );
}

export function InboxPage() {
  const [cursors, setCursors] = useState<readonly string[]>([]);
  const cursor = cursors[cursors.length - 1];
  const [conflicts, setConflicts] = useState<ReadonlyMap<string, Problem>>(new Map());
  const inbox = useQuery({
    queryKey: ['inbox', cursor],
    queryFn: async () =>
      data(
        await api.GET('/v1/inbox', {
          params: { query: { limit: PAGE_SIZE, ...(cursor !== undefined ? { cursor } : {}) } },
        }),
      ),
  });
  const remember = (id: string) => (problem: Problem) => setConflicts((map) => new Map(map).set(id, problem));
  const forget = (id: string) => () =>
    setConflicts((map) => {
      const next = new Map(map);
      next.delete(id);
      return next;
    });

  return (
    <Layout title="Inbox">
      {conflicts.size > 0 && (
        <section aria-labelledby="changed-heading" role="alert">
          <h2 id="changed-heading">Changed while you were deciding</h2>
          {[...conflicts].map(([id, problem]) => (
            <ChangedRequest key={id} id={id} problem={problem} onDismiss={forget(id)} />
          ))}
        </section>
      )}
      <QueryView
        query={inbox}
        what="your inbox"
        isEmpty={(page) => page.items.length === 0 && cursor === undefined}
        empty="Nothing waits for your approval."
      >
        {(page) => (
          <>
            <p className="muted" data-testid="inbox-total">
              {page.total} request{page.total === 1 ? '' : 's'} wait{page.total === 1 ? 's' : ''} for you.
            </p>
            {page.items.map((item) => (
              <InboxItemCard key={item.request.id} item={item} onConflict={remember(item.request.id)} />
            ))}
            {(cursor !== undefined || page.nextCursor !== undefined) && (
              <nav className="actions" aria-label="Inbox pages">
                <button
                  type="button"
                  className="button secondary"
                  disabled={cursor === undefined}
                  onClick={() => setCursors((stack) => stack.slice(0, -1))}
                >
                  Previous page
                </button>
                <button
                  type="button"
                  className="button secondary"
                  disabled={page.nextCursor === undefined}
                  onClick={() => {
                    const next = page.nextCursor;
                    if (next !== undefined) setCursors((stack) => [...stack, next]);
                  }}
                >
                  Next page
                </button>
              </nav>
            )}
          </>
        )}
      </QueryView>
    </Layout>
  );
}
