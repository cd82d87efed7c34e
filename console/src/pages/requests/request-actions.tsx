/**
 * What I can do with one of my requests, by its status: cancel it while pending or approved, activate it once
 * approved (the credential goes to `onActivated`, which keeps it in page state only), and while active complete
 * it, revoke it or ask to extend it (a new approval under the same rules, never past the action's maximum from
 * the first activation). Only the buttons the status allows are shown; the server judges every one and its
 * refusal is shown as it words it.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { api, data } from '../../api/client';
import type { components } from '../../api/schema';
import { DurationField, durationProblem } from '../../ui/duration-field';
import { ReasonDialog } from '../../ui/reason-dialog';
import { ProblemMessage } from '../../ui/states';
import { StatusBadge } from '../../ui/request-status';

export type RequestView = components['schemas']['Request'];
export type Credential = Readonly<Record<string, string>> | undefined;

function useInvalidate() {
  const queryClient = useQueryClient();
  return async () => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: ['requests'] }),
      queryClient.invalidateQueries({ queryKey: ['grants'] }),
      queryClient.invalidateQueries({ queryKey: ['inbox'] }),
    ]);
  };
}

type Ending = 'cancel' | 'complete' | 'revoke';

function useEnding(id: string, verb: Ending) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: async (reason: string | undefined) => {
      const options = { params: { path: { id } }, body: reason === undefined ? {} : { reason } };
      if (verb === 'cancel') return data(await api.POST('/v1/requests/{id}/cancel', options));
      if (verb === 'complete') return data(await api.POST('/v1/requests/{id}/complete', options));
      return data(await api.POST('/v1/requests/{id}/revoke', options));
    },
    onSuccess: invalidate,
  });
}

function ExtendForm({ request }: { request: RequestView }) {
  const id = useId();
  const invalidate = useInvalidate();
  const [duration, setDuration] = useState(request.duration);
  const [justification, setJustification] = useState('');
  const [ticket, setTicket] = useState('');
  const extend = useMutation({
    mutationFn: async () =>
      data(
        await api.POST('/v1/requests/{id}/extend', {
          params: { path: { id: request.id } },
          body: {
            duration: duration.trim(),
            ...(justification.trim() !== '' ? { justification: justification.trim() } : {}),
            ...(ticket.trim() !== '' ? { ticket: ticket.trim() } : {}),
          },
        }),
      ),
    onSuccess: invalidate,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (durationProblem(duration, undefined) === undefined) extend.mutate();
  };
  return (
    <details className="extend">
      <summary>Extend…</summary>
      <form className="form" onSubmit={submit}>
        <p className="help">
          How long the access should last from now. An extension is approved under the same rules and never goes past
          the action&apos;s maximum counted from the first activation.
        </p>
        <DurationField label="Extend to" value={duration} onChange={setDuration} maxSeconds={undefined} showProblem />
        <label htmlFor={`${id}-why`}>Justification</label>
        <textarea id={`${id}-why`} rows={2} value={justification} onChange={(e) => setJustification(e.target.value)} />
        <label htmlFor={`${id}-ticket`}>Ticket</label>
        <input id={`${id}-ticket`} value={ticket} autoComplete="off" onChange={(e) => setTicket(e.target.value)} />
        {extend.isError && <ProblemMessage error={extend.error} />}
        {extend.isSuccess && (
          <p className="success" role="status">
            Extension <code>{extend.data.extension.id}</code>: <StatusBadge status={extend.data.extension.status} />
            {extend.data.extension.status === 'pending' && ' — it waits for approval, then activate it.'}
          </p>
        )}
        <div className="actions">
          <button type="submit" className="button secondary" disabled={extend.isPending}>
            Ask to extend
          </button>
        </div>
      </form>
    </details>
  );
}

export function RequestActions({
  request,
  onActivated,
}: {
  request: RequestView;
  onActivated: (requestId: string, credential: Credential) => void;
}) {
  const invalidate = useInvalidate();
  const cancel = useEnding(request.id, 'cancel');
  const complete = useEnding(request.id, 'complete');
  const revoke = useEnding(request.id, 'revoke');
  const activate = useMutation({
    mutationFn: async () =>
      data(await api.POST('/v1/requests/{id}/activate', { params: { path: { id: request.id } } })),
    onSuccess: async (activation) => {
      onActivated(activation.request.id, activation.credential);
      await invalidate();
    },
  });
  const attempt = (mutation: typeof cancel) => async (reason: string | undefined) => {
    try {
      await mutation.mutateAsync(reason);
      return true;
    } catch {
      return false;
    }
  };
  const { status } = request;
  const active = status === 'active';
  if (status !== 'pending' && status !== 'approved' && !active) return null;

  return (
    <div className="request-actions">
      <div className="actions">
        {status === 'approved' && (
          <button
            type="button"
            className="button primary"
            disabled={activate.isPending}
            onClick={() => activate.mutate()}
          >
            Activate
          </button>
        )}
        {active && (
          <button
            type="button"
            className="button secondary"
            disabled={complete.isPending}
            onClick={() => complete.mutate(undefined)}
          >
            Complete
          </button>
        )}
        {active && (
          <ReasonDialog
            label="Revoke"
            title={`Revoke your access from request ${request.id}`}
            confirmLabel="Revoke now"
            danger
            pending={revoke.isPending}
            error={revoke.error}
            onConfirm={attempt(revoke)}
          />
        )}
        {(status === 'pending' || status === 'approved') && (
          <ReasonDialog
            label="Cancel request"
            title={`Withdraw request ${request.id}`}
            confirmLabel="Withdraw it"
            pending={cancel.isPending}
            error={cancel.error}
            onConfirm={attempt(cancel)}
          />
        )}
      </div>
      {activate.isError && <ProblemMessage error={activate.error} />}
      {complete.isError && <ProblemMessage error={complete.error} />}
      {active && !request.breakGlass && <ExtendForm request={request} />}
    </div>
  );
}
