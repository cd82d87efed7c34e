/**
 * What the viewer may do with a pending change set: a governance approver approves its exact documents (the
 * digest they were shown, so a change swapped meanwhile is refused) or rejects it with a reason; its author may
 * only withdraw it. The console hides what the viewer plainly cannot do (the author approving their own change,
 * approving twice); everything else is the server's to judge, and its refusal is shown as it words it.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, data } from '../../api/client';
import type { components } from '../../api/schema';
import { useSession } from '../../app/session';
import { ProblemMessage } from '../../ui/states';
import { ReasonDialog } from './reason-dialog';

type PolicyChange = components['schemas']['PolicyChange'];

export function ChangeActions({ change }: { change: PolicyChange }) {
  const { identity } = useSession();
  const queryClient = useQueryClient();
  const [rejecting, setRejecting] = useState(false);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['policy-changes'] });

  const approve = useMutation({
    mutationFn: async () =>
      data(
        await api.POST('/v1/policy/changes/{id}/approve', {
          params: { path: { id: change.id } },
          body: { digest: change.digest },
        }),
      ),
    onSettled: refresh,
  });
  const reject = useMutation({
    mutationFn: async (reason: string) =>
      data(await api.POST('/v1/policy/changes/{id}/reject', { params: { path: { id: change.id } }, body: { reason } })),
    onSuccess: () => setRejecting(false),
    onSettled: refresh,
  });

  const applied = approve.data?.applied;
  const isAuthor = change.author === identity;
  const approvedByMe = change.approvals.some((a) => a.approver === identity);

  return (
    <section className="card" aria-labelledby="change-actions-heading">
      <h2 id="change-actions-heading">Decision</h2>
      {approve.isSuccess && (
        <div className="success" role="status">
          {applied === null || applied === undefined ? (
            'Your approval is recorded. The change applies once every touched profile has a governance approval.'
          ) : (
            <>
              Approved and applied as policy load <code>{applied.loadId}</code>:{' '}
              {applied.changedProfiles.length + applied.removedProfiles.length} profile version(s) changed.
            </>
          )}
        </div>
      )}
      {reject.isSuccess && (
        <p className="success" role="status">
          {reject.data.status === 'cancelled' ? 'You withdrew this change.' : 'You rejected this change.'}
        </p>
      )}
      {approve.isError && <ProblemMessage error={approve.error} />}
      {change.status !== 'pending' ? (
        <p className="muted">This change is no longer pending: nothing to decide.</p>
      ) : (
        <>
          <p className="help">
            Approving approves exactly these documents (digest <code className="hash">{change.digest}</code>); if they
            change, the server refuses the approval.
            {isAuthor && ' You wrote this change: another governance approver must approve it; you may withdraw it.'}
            {approvedByMe && ' You have approved it already.'}
          </p>
          <div className="actions">
            {!isAuthor && !approvedByMe && (
              <button
                type="button"
                className="button primary"
                disabled={approve.isPending}
                onClick={() => approve.mutate()}
              >
                Approve
              </button>
            )}
            <button
              type="button"
              className="button danger"
              onClick={() => {
                reject.reset();
                setRejecting(true);
              }}
            >
              {isAuthor ? 'Withdraw' : 'Reject'}
            </button>
          </div>
        </>
      )}
      <ReasonDialog
        open={rejecting}
        title={isAuthor ? 'Withdraw this policy change' : 'Reject this policy change'}
        help={
          isAuthor
            ? 'Say why you withdraw it; the reason is recorded in the audit log.'
            : 'Say why the change should not apply; the author and the audit log see the reason.'
        }
        submitLabel={isAuthor ? 'Withdraw' : 'Reject'}
        pending={reject.isPending}
        error={reject.error}
        onSubmit={(reason) => reject.mutate(reason)}
        onClose={() => setRejecting(false)}
      />
    </section>
  );
}
