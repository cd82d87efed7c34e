/**
 * An approver's decision on one request: "Approve" with an optional comment, sending the digest the approver was
 * shown (so the approval binds to exactly the content they read), and "Deny" with a required reason, asked in a
 * native modal dialog (focus is trapped by the browser and returns to the button afterwards). Whatever the server
 * answers, it is shown: a refusal's problem `detail` as it is, a conflict (the request changed or moved on
 * meanwhile) handed to the page, which shows the new version.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState, type FormEvent } from 'react';
import { api, data, Problem } from '../../api/client';
import { ProblemMessage } from '../../ui/states';

export function Decision({
  requestId,
  seenDigest,
  counts,
  onConflict,
}: {
  requestId: string;
  /** The digest of the version the approver was shown. */
  seenDigest: string;
  /** Whether the server said my approval would count; when not, approving is offered only on purpose. */
  counts: boolean;
  onConflict: (problem: Problem) => void;
}) {
  const id = useId();
  const queryClient = useQueryClient();
  const dialog = useRef<HTMLDialogElement>(null);
  const denyButton = useRef<HTMLButtonElement>(null);
  const [comment, setComment] = useState('');
  const [reason, setReason] = useState('');

  const settled = async () => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: ['inbox'] }),
      queryClient.invalidateQueries({ queryKey: ['requests'] }),
    ]);
  };
  const onError = (error: Error) => {
    if (error instanceof Problem && error.status === 409) onConflict(error);
  };
  const approve = useMutation({
    mutationFn: async () =>
      data(
        await api.POST('/v1/requests/{id}/approve', {
          params: { path: { id: requestId } },
          body: { digest: seenDigest, ...(comment.trim() !== '' ? { comment: comment.trim() } : {}) },
        }),
      ),
    onSuccess: settled,
    onError,
  });
  const deny = useMutation({
    mutationFn: async () =>
      data(
        await api.POST('/v1/requests/{id}/deny', {
          params: { path: { id: requestId } },
          body: { reason: reason.trim() },
        }),
      ),
    onSuccess: async () => {
      dialog.current?.close();
      await settled();
    },
    onError,
  });

  const submitApprove = (event: FormEvent) => {
    event.preventDefault();
    approve.mutate();
  };
  const submitDeny = (event: FormEvent) => {
    event.preventDefault();
    if (reason.trim() !== '') deny.mutate();
  };
  const approveForm = (
    <form className="form decision" onSubmit={submitApprove}>
      <label htmlFor={`${id}-comment`}>Comment (optional)</label>
      <textarea
        id={`${id}-comment`}
        rows={2}
        maxLength={2000}
        value={comment}
        onChange={(e) => setComment(e.target.value)}
      />
      <div className="actions">
        <button type="submit" className="button primary" disabled={approve.isPending}>
          Approve
        </button>
        <button
          ref={denyButton}
          type="button"
          className="button danger"
          onClick={() => {
            deny.reset();
            dialog.current?.showModal();
          }}
        >
          Deny
        </button>
      </div>
    </form>
  );

  return (
    <div className="decision-area">
      {approve.isSuccess && <p className="success">Your approval was recorded.</p>}
      {approve.isError && !(approve.error instanceof Problem && approve.error.status === 409) && (
        <ProblemMessage error={approve.error} />
      )}
      {counts ? (
        approveForm
      ) : (
        <details className="approve-anyway">
          <summary>Decide anyway (the server will judge)</summary>
          {approveForm}
        </details>
      )}
      <dialog
        ref={dialog}
        className="dialog"
        aria-labelledby={`${id}-deny-title`}
        onClose={() => denyButton.current?.focus()}
      >
        <form className="form" onSubmit={submitDeny}>
          <h2 id={`${id}-deny-title`}>Deny request {requestId}</h2>
          <label htmlFor={`${id}-reason`}>
            Reason <span className="required-mark">(required)</span>
          </label>
          <textarea
            id={`${id}-reason`}
            rows={3}
            maxLength={2000}
            required
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            aria-describedby={`${id}-reason-help`}
          />
          <p id={`${id}-reason-help`} className="help">
            The requester sees it.
          </p>
          {deny.isError && <ProblemMessage error={deny.error} />}
          <div className="actions">
            <button type="submit" className="button danger" disabled={deny.isPending || reason.trim() === ''}>
              Deny request
            </button>
            <button type="button" className="button secondary" onClick={() => dialog.current?.close()}>
              Cancel
            </button>
          </div>
        </form>
      </dialog>
    </div>
  );
}
