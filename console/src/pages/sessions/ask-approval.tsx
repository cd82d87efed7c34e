/**
 * "Ask for approval" on a statement the gateway refused (issue 14): `POST /v1/refusals/{id}/request` makes a
 * request for the profile's `execute` action whose parameters take `sql`, bound to the refused statement's text as
 * the server recorded it (this page neither has nor sends that text), then the new request's page opens.
 *
 * The button is offered where the server could accept it: the refusal is the signed-in person's own (to anyone else
 * it does not exist) and the profile has such an action (`GET /v1/profiles/{name}`, the same "first execute action
 * taking `sql`" the server picks). When the profile cannot be read here the button stays, and the server judges.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useLocation } from 'wouter';
import { api, data } from '../../api/client';
import type { components } from '../../api/schema';
import { durationProblem } from '../../ui/duration-field';
import { ReasonDialog } from '../../ui/reason-dialog';
import { durationText } from '../../ui/time';

type ActionDetail = components['schemas']['Profile']['actionDetails'][number];

/** The server's default duration: the action's maximum, at most 15 minutes. */
const DEFAULT_SECONDS = 15 * 60;

/** The profile's first execute action whose parameters take `sql` (what a refusal becomes), or undefined. */
export function sqlExecuteAction(actions: readonly ActionDetail[]): ActionDetail | undefined {
  return actions.find((action) => {
    if (action.kind !== 'execute' || action.params === null) return false;
    const properties = action.params['properties'];
    return typeof properties === 'object' && properties !== null && 'sql' in properties;
  });
}

/**
 * What a refusal on `profile` would be asked as: `undefined` while unknown (loading, or the profile cannot be
 * read here), `null` when the profile has no such action, else the action.
 */
export function useRefusalAction(profile: string): ActionDetail | null | undefined {
  const answer = useQuery({
    queryKey: ['profile', profile],
    queryFn: async () => data(await api.GET('/v1/profiles/{name}', { params: { path: { name: profile } } })),
  });
  if (answer.data === undefined) return undefined;
  return sqlExecuteAction(answer.data.actionDetails) ?? null;
}

export function AskForApproval({
  refusalId,
  seq,
  resource,
  action,
}: {
  refusalId: string;
  seq: number;
  resource: string;
  /** The execute action it becomes, when known. */
  action: ActionDetail | undefined;
}) {
  const id = useId();
  const [, navigate] = useLocation();
  const queryClient = useQueryClient();
  const [duration, setDuration] = useState('');
  const [ticket, setTicket] = useState('');
  const [tried, setTried] = useState(false);
  const ask = useMutation({
    mutationFn: async (body: { justification?: string; duration?: string; ticket?: string }) =>
      data(await api.POST('/v1/refusals/{id}/request', { params: { path: { id: refusalId } }, body })),
  });
  const wrongDuration = duration.trim() === '' ? undefined : durationProblem(duration, action?.maxDurationSeconds);
  const defaultSeconds = action === undefined ? undefined : Math.min(DEFAULT_SECONDS, action.maxDurationSeconds);

  const confirm = async (justification: string | undefined): Promise<boolean> => {
    setTried(true);
    if (wrongDuration !== undefined) return false;
    try {
      const created = await ask.mutateAsync({
        ...(justification === undefined ? {} : { justification }),
        ...(duration.trim() === '' ? {} : { duration: duration.trim() }),
        ...(ticket.trim() === '' ? {} : { ticket: ticket.trim() }),
      });
      await queryClient.invalidateQueries({ queryKey: ['requests'] });
      navigate(`/requests/${encodeURIComponent(created.id)}`);
      return true;
    } catch {
      return false;
    }
  };

  return (
    <ReasonDialog
      label="Ask for approval"
      title={`Ask for approval of statement ${seq}`}
      confirmLabel={ask.isPending ? 'Sending…' : 'Send request'}
      reasonLabel="Justification"
      pending={ask.isPending}
      error={ask.error}
      onConfirm={confirm}
    >
      <p className="help">
        This asks for {action === undefined ? 'the profile’s execute action' : <code>{action.name}</code>} on {resource}{' '}
        to run exactly the statement that was refused, as the server recorded it; its approvers see that statement.
        Refusal <code>{refusalId}</code>.
      </p>
      <label htmlFor={`${id}-duration`}>Duration (optional)</label>
      <input
        id={`${id}-duration`}
        value={duration}
        spellCheck={false}
        autoComplete="off"
        placeholder={defaultSeconds === undefined ? undefined : durationText(defaultSeconds)}
        aria-invalid={tried && wrongDuration !== undefined}
        aria-describedby={`${id}-duration-help`}
        onChange={(event) => setDuration(event.target.value)}
      />
      <p id={`${id}-duration-help`} className={tried && wrongDuration !== undefined ? 'field-problem' : 'help'}>
        {tried && wrongDuration !== undefined ? wrongDuration : 'Empty: the action’s maximum, at most 15m.'}
      </p>
      <label htmlFor={`${id}-ticket`}>
        Ticket {action?.ticketPattern ? <span className="required-mark">(required)</span> : '(optional)'}
      </label>
      <input
        id={`${id}-ticket`}
        value={ticket}
        maxLength={200}
        autoComplete="off"
        aria-describedby={action?.ticketPattern ? `${id}-ticket-help` : undefined}
        onChange={(event) => setTicket(event.target.value)}
      />
      {action?.ticketPattern && (
        <p id={`${id}-ticket-help`} className="help">
          Matching <code>{action.ticketPattern}</code>.
        </p>
      )}
    </ReasonDialog>
  );
}
