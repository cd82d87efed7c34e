/**
 * New request: choose a resource and one of its actions from what I may ask for (`GET /v1/requestable`, the same
 * entitlement `POST /v1/requests` checks), fill the action's parameters (a form generated from its JSON schema),
 * a duration within the action's maximum, the justification and ticket; who will have to approve is previewed
 * beside the form before anything is sent. The server decides on `POST /v1/requests` and its refusal is shown.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { Link, useLocation } from 'wouter';
import { api, data } from '../api/client';
import type { components } from '../api/schema';
import { Layout } from '../app/layout';
import { DurationField, durationProblem } from '../ui/duration-field';
import { ProblemMessage, QueryView } from '../ui/states';
import { durationText } from '../ui/time';
import { ApproverPreview, type RequestBody } from './requests/approver-preview';
import { ParamsForm, paramsFrom, type RawParams } from './requests/params-form';

type RequestableResource = components['schemas']['RequestableResource'];
type RequestableAction = RequestableResource['actions'][number];

/** Why `ticket` does not do for an action that needs one matching `pattern` (checked again by the server). */
function ticketProblemOf(pattern: string | undefined, ticket: string): string | undefined {
  if (pattern === undefined) return undefined;
  if (ticket === '') return 'This action needs a ticket.';
  try {
    return new RegExp(pattern, 'u').test(ticket) ? undefined : `The ticket must match ${pattern}.`;
  } catch {
    return undefined;
  }
}

/** A first duration to offer: an hour, or the action's maximum when that is shorter. */
function defaultDuration(action: RequestableAction | undefined): string {
  if (action === undefined) return '1h';
  return action.maxDurationSeconds < 3600 ? action.maxDuration : '1h';
}

function RequestForm({ resources }: { resources: readonly RequestableResource[] }) {
  const id = useId();
  const [, navigate] = useLocation();
  const queryClient = useQueryClient();
  const [resourceId, setResourceId] = useState('');
  const [actionName, setActionName] = useState('');
  const [duration, setDuration] = useState('1h');
  const [raw, setRaw] = useState<RawParams>({});
  const [justification, setJustification] = useState('');
  const [ticket, setTicket] = useState('');
  const [tried, setTried] = useState(false);

  const resource = resources.find((candidate) => candidate.resource.id === resourceId);
  const requestable = resource?.actions.filter((action) => action.request) ?? [];
  const action = requestable.find((candidate) => candidate.name === actionName);
  const params = paramsFrom(action?.paramsSchema, raw);
  const durationWrong = durationProblem(duration, action?.maxDurationSeconds) !== undefined;
  const justificationMissing = action?.requireJustification === true && justification.trim() === '';
  const ticketProblem = ticketProblemOf(action?.ticketPattern, ticket.trim());

  // The body as it would be sent; undefined while it is not complete enough to preview.
  const body: RequestBody | undefined =
    resource === undefined || action === undefined || durationWrong || params.params === undefined
      ? undefined
      : {
          resource: resource.resource.id,
          action: action.name,
          duration: duration.trim(),
          ...(Object.keys(params.params).length > 0 ? { params: params.params } : {}),
          ...(justification.trim() !== '' ? { justification: justification.trim() } : {}),
          ...(ticket.trim() !== '' ? { ticket: ticket.trim() } : {}),
        };

  const create = useMutation({
    mutationFn: async (request: RequestBody) => data(await api.POST('/v1/requests', { body: request })),
    onSuccess: async (created) => {
      await queryClient.invalidateQueries({ queryKey: ['requests'] });
      navigate(`/requests/${encodeURIComponent(created.id)}`);
    },
  });

  const chooseResource = (value: string) => {
    setResourceId(value);
    setActionName('');
    setRaw({});
  };
  const chooseAction = (value: string) => {
    setActionName(value);
    setRaw({});
    setDuration(defaultDuration(resource?.actions.find((candidate) => candidate.name === value)));
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (body !== undefined && !justificationMissing && ticketProblem === undefined) create.mutate(body);
  };

  return (
    <div className="grid-2">
      <form className="card form" onSubmit={submit} noValidate aria-labelledby={`${id}-heading`}>
        <h2 id={`${id}-heading`}>What you need</h2>
        <label htmlFor={`${id}-resource`}>
          Resource <span className="required-mark">(required)</span>
        </label>
        <select id={`${id}-resource`} value={resourceId} onChange={(e) => chooseResource(e.target.value)} required>
          <option value="">Choose a resource…</option>
          {resources.map(({ resource: r }) => (
            <option key={r.id} value={r.id}>
              {r.id} ({r.profile}, {r.classification})
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-action`}>
          Action <span className="required-mark">(required)</span>
        </label>
        <select
          id={`${id}-action`}
          value={actionName}
          onChange={(e) => chooseAction(e.target.value)}
          disabled={resource === undefined}
          required
        >
          <option value="">{resource === undefined ? 'Choose a resource first' : 'Choose an action…'}</option>
          {requestable.map((a) => (
            <option key={a.name} value={a.name}>
              {a.name} ({a.risk} risk, at most {durationText(a.maxDurationSeconds)})
            </option>
          ))}
        </select>
        {resource !== undefined && requestable.length === 0 && (
          <p className="notice">You may not request any action on this resource; break-glass may still cover it.</p>
        )}
        {action !== undefined && (
          <>
            <dl className="facts">
              {action.description !== undefined && (
                <>
                  <dt>Does</dt>
                  <dd>{action.description}</dd>
                </>
              )}
              <dt>Risk</dt>
              <dd>
                <span className={action.risk === 'high' || action.risk === 'critical' ? 'badge danger' : 'badge'}>
                  {action.risk}
                </span>
              </dd>
              <dt>Longest</dt>
              <dd>{durationText(action.maxDurationSeconds)}</dd>
            </dl>
            <ParamsForm
              schema={action.paramsSchema}
              raw={raw}
              onChange={setRaw}
              problems={tried ? params.problems : {}}
            />
            <DurationField value={duration} onChange={setDuration} maxSeconds={action.maxDurationSeconds} showProblem />
            <label htmlFor={`${id}-justification`}>
              Justification {action.requireJustification && <span className="required-mark">(required)</span>}
            </label>
            <textarea
              id={`${id}-justification`}
              rows={3}
              maxLength={4000}
              value={justification}
              required={action.requireJustification}
              aria-invalid={tried && justificationMissing}
              aria-describedby={tried && justificationMissing ? `${id}-justification-problem` : undefined}
              onChange={(e) => setJustification(e.target.value)}
            />
            {tried && justificationMissing && (
              <p id={`${id}-justification-problem`} className="field-problem">
                Say why you need this access.
              </p>
            )}
            <label htmlFor={`${id}-ticket`}>
              Ticket {action.ticketPattern !== undefined && <span className="required-mark">(required)</span>}
            </label>
            <input
              id={`${id}-ticket`}
              value={ticket}
              maxLength={200}
              autoComplete="off"
              aria-describedby={`${id}-ticket-help`}
              aria-invalid={tried && ticketProblem !== undefined}
              onChange={(e) => setTicket(e.target.value)}
            />
            <p id={`${id}-ticket-help`} className={tried && ticketProblem !== undefined ? 'field-problem' : 'help'}>
              {tried && ticketProblem !== undefined ? (
                ticketProblem
              ) : action.ticketPattern !== undefined ? (
                <>
                  Matching <code>{action.ticketPattern}</code>.
                </>
              ) : (
                'Optional: the change or incident this is for.'
              )}
            </p>
          </>
        )}
        {create.isError && <ProblemMessage error={create.error} />}
        <div className="actions">
          <button type="submit" className="button primary" disabled={action === undefined || create.isPending}>
            {create.isPending ? 'Sending…' : 'Send request'}
          </button>
        </div>
      </form>
      <ApproverPreview body={body} />
    </div>
  );
}

export function NewRequestPage() {
  const requestable = useQuery({
    queryKey: ['requestable'],
    queryFn: async () => data(await api.GET('/v1/requestable', { params: { query: { limit: 200 } } })),
  });
  return (
    <Layout title="New request">
      <QueryView
        query={requestable}
        what="what you may request"
        isEmpty={(page) => page.resources.length === 0}
        empty={
          <>
            There is nothing you may request. Ask an administrator for the <code>request</code> duty on a profile.
          </>
        }
      >
        {(page) => (
          <>
            <RequestForm resources={page.resources} />
            {page.nextCursor !== undefined && (
              <p className="muted">Only the first {page.resources.length} resources are listed.</p>
            )}
            <p className="muted">
              An emergency that cannot wait for approval? Use <Link href="/break-glass">break-glass</Link>.
            </p>
          </>
        )}
      </QueryView>
    </Layout>
  );
}
