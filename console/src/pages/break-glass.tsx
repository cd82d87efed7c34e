/**
 * Break-glass (`POST /v1/break-glass`): emergency access at once, within the profile's break-glass limits, for
 * the resources and actions break-glass covers for me (`GET /v1/requestable`); and the review queue
 * (`GET /v1/break-glass/reviews`, `POST /v1/break-glass/{id}/review`) where certifiers keep each use or revoke
 * its access at once.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { Link } from 'wouter';
import { api, data } from '../api/client';
import type { components } from '../api/schema';
import { Layout } from '../app/layout';
import { ReasonDialog } from '../ui/reason-dialog';
import { StatusBadge } from '../ui/request-status';
import { QueryView } from '../ui/states';
import { Time } from '../ui/time';
import { BreakGlassForm } from './break-glass/break-glass-form';

type Review = components['schemas']['BreakGlassReview'];

export function BreakGlassPage() {
  const requestable = useQuery({
    queryKey: ['requestable'],
    queryFn: async () => data(await api.GET('/v1/requestable', { params: { query: { limit: 200 } } })),
  });
  return (
    <Layout title="Break-glass">
      <div className="problem break-glass-warning" role="note">
        <strong>Emergency access only.</strong>
        <p>
          Break-glass gives you access <em>at once, without anyone approving it</em>. Every use is recorded in the audit
          log, flagged, and reviewed afterwards by a certifier, who can revoke it. If it can wait for an approver,{' '}
          <Link href="/requests/new">make a normal request</Link> instead.
        </p>
      </div>
      <QueryView
        query={requestable}
        what="what break-glass covers for you"
        isEmpty={(page) => !page.resources.some((r) => r.actions.some((a) => a.breakGlass))}
        empty="Break-glass covers nothing for you: no profile lists you for emergency access."
      >
        {(page) => <BreakGlassForm resources={page.resources.filter((r) => r.actions.some((a) => a.breakGlass))} />}
      </QueryView>
    </Layout>
  );
}

function ReviewActions({ review }: { review: Review }) {
  const queryClient = useQueryClient();
  const decide = useMutation({
    mutationFn: async ({ decision, comment }: { decision: 'keep' | 'revoke'; comment: string | undefined }) =>
      data(
        await api.POST('/v1/break-glass/{id}/review', {
          params: { path: { id: review.id } },
          body: { decision, ...(comment !== undefined ? { comment } : {}) },
        }),
      ),
    onSuccess: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ['break-glass-reviews'] }),
        queryClient.invalidateQueries({ queryKey: ['requests'] }),
        queryClient.invalidateQueries({ queryKey: ['grants'] }),
      ]);
    },
  });
  const confirm = (decision: 'keep' | 'revoke') => async (comment: string | undefined) => {
    try {
      await decide.mutateAsync({ decision, comment });
      return true;
    } catch {
      return false;
    }
  };
  const what = `${review.requester}'s break-glass ${review.action} on ${review.resource}`;
  return (
    <div className="actions">
      <ReasonDialog
        label="Keep"
        title={`Keep ${what}`}
        confirmLabel="Keep it"
        reasonLabel="Comment"
        pending={decide.isPending}
        error={decide.error}
        onConfirm={confirm('keep')}
      />
      <ReasonDialog
        label="Revoke"
        title={`Revoke ${what}`}
        confirmLabel="Revoke its access now"
        reasonLabel="Comment"
        danger
        pending={decide.isPending}
        error={decide.error}
        onConfirm={confirm('revoke')}
      />
    </div>
  );
}

export function BreakGlassReviewsPage() {
  const id = useId();
  const [status, setStatus] = useState<'unreviewed' | 'overdue' | 'all'>('unreviewed');
  const me = useQuery({
    queryKey: ['me'],
    queryFn: async () => data(await api.GET('/v1/me')),
    refetchInterval: 60_000,
  });
  const reviews = useQuery({
    queryKey: ['break-glass-reviews', status],
    queryFn: async () => data(await api.GET('/v1/break-glass/reviews', { params: { query: { status } } })),
  });
  // The server refuses a review from anyone without `certify`; the buttons are shown only to those who hold it.
  const canReview = me.data?.duties.includes('certify') === true;
  return (
    <Layout title="Break-glass reviews">
      <div className="filters">
        <label htmlFor={`${id}-status`}>
          Show
          <select
            id={`${id}-status`}
            value={status}
            onChange={(e) => setStatus(e.target.value as 'unreviewed' | 'overdue' | 'all')}
          >
            <option value="unreviewed">Awaiting review</option>
            <option value="overdue">Overdue</option>
            <option value="all">All</option>
          </select>
        </label>
      </div>
      {me.isSuccess && !canReview && (
        <p className="notice">You do not hold the certify duty, so you can read these uses but not review them.</p>
      )}
      <QueryView
        query={reviews}
        what="break-glass uses"
        isEmpty={(page) => page.reviews.length === 0}
        empty={status === 'all' ? 'No break-glass use yet.' : 'No break-glass use waits for review.'}
      >
        {(page) => (
          <div className="table-wrap">
            <table className="stack" data-testid="break-glass-reviews">
              <thead>
                <tr>
                  <th scope="col">Use</th>
                  <th scope="col">Reason given</th>
                  <th scope="col">Used</th>
                  <th scope="col">Review by</th>
                  <th scope="col">Review</th>
                </tr>
              </thead>
              <tbody>
                {page.reviews.map((review) => (
                  <tr key={review.id} data-request={review.id}>
                    <td data-label="Use">
                      <strong>{review.requester}</strong>: <code>{review.action}</code> on {review.resource}
                      <br />
                      <Link href={`/requests/${encodeURIComponent(review.id)}`}>{review.id}</Link>{' '}
                      <StatusBadge status={review.status} />
                    </td>
                    <td data-label="Reason given">{review.justification ?? <span className="muted">none</span>}</td>
                    <td data-label="Used">
                      <Time iso={review.createdAt} />
                    </td>
                    <td data-label="Review by">
                      <Time iso={review.reviewBy} />
                      {review.overdue && (
                        <>
                          {' '}
                          <span className="badge danger">overdue</span>
                        </>
                      )}
                    </td>
                    <td data-label="Review">
                      {review.reviewedAt !== null ? (
                        <>
                          Reviewed by {review.certifier ?? 'someone'} <Time iso={review.reviewedAt} />
                        </>
                      ) : canReview ? (
                        <ReviewActions review={review} />
                      ) : (
                        <span className="muted">awaiting review</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </QueryView>
    </Layout>
  );
}
