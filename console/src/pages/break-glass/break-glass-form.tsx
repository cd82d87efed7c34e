/**
 * The break-glass form: deliberately unlike a request. It says plainly what happens (access at once, no approval,
 * every use flagged and reviewed afterwards), needs a reason, and only arms its danger button once the resource's
 * id has been typed again. The one-time credential of the answer is kept in this component's state only.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { api, data } from '../../api/client';
import type { components } from '../../api/schema';
import { DurationField, durationProblem } from '../../ui/duration-field';
import { ProblemMessage } from '../../ui/states';
import { OneTimeCredential } from '../requests/credential';
import { ParamsForm, paramsFrom, type RawParams } from '../requests/params-form';

type RequestableResource = components['schemas']['RequestableResource'];
type Activation = components['schemas']['Activation'];

export function BreakGlassForm({ resources }: { resources: readonly RequestableResource[] }) {
  const id = useId();
  const queryClient = useQueryClient();
  const [resourceId, setResourceId] = useState('');
  const [actionName, setActionName] = useState('');
  const [duration, setDuration] = useState('30m');
  const [raw, setRaw] = useState<RawParams>({});
  const [reason, setReason] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [tried, setTried] = useState(false);
  const [result, setResult] = useState<Activation | undefined>();

  const resource = resources.find((candidate) => candidate.resource.id === resourceId);
  const covered = resource?.actions.filter((action) => action.breakGlass) ?? [];
  const action = covered.find((candidate) => candidate.name === actionName);
  const params = paramsFrom(action?.paramsSchema, raw);
  const confirmed = resource !== undefined && confirmation.trim() === resource.resource.id;
  const ready =
    action !== undefined &&
    params.params !== undefined &&
    reason.trim() !== '' &&
    durationProblem(duration, undefined) === undefined;

  const breakGlass = useMutation({
    mutationFn: async () =>
      data(
        await api.POST('/v1/break-glass', {
          body: {
            resource: resourceId,
            action: actionName,
            duration: duration.trim(),
            justification: reason.trim(),
            ...(params.params !== undefined && Object.keys(params.params).length > 0 ? { params: params.params } : {}),
          },
        }),
      ),
    onSuccess: async (activation) => {
      setResult(activation);
      setConfirmation('');
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ['requests'] }),
        queryClient.invalidateQueries({ queryKey: ['grants'] }),
      ]);
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (ready && confirmed) breakGlass.mutate();
  };

  if (result !== undefined) {
    return (
      <>
        <OneTimeCredential credential={result.credential} onDismiss={() => setResult(undefined)} />
        <p>
          Break-glass request{' '}
          <Link href={`/requests/${encodeURIComponent(result.request.id)}`}>{result.request.id}</Link> is active and
          flagged for review.
        </p>
      </>
    );
  }

  return (
    <form className="card form break-glass-form" onSubmit={submit} noValidate aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Emergency access</h2>
      <label htmlFor={`${id}-resource`}>
        Resource <span className="required-mark">(required)</span>
      </label>
      <select
        id={`${id}-resource`}
        value={resourceId}
        onChange={(e) => {
          setResourceId(e.target.value);
          setActionName('');
          setRaw({});
          setConfirmation('');
        }}
      >
        <option value="">Choose a resource…</option>
        {resources.map(({ resource: r }) => (
          <option key={r.id} value={r.id}>
            {r.id} ({r.classification})
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-action`}>
        Action <span className="required-mark">(required)</span>
      </label>
      <select
        id={`${id}-action`}
        value={actionName}
        disabled={resource === undefined}
        onChange={(e) => {
          setActionName(e.target.value);
          setRaw({});
        }}
      >
        <option value="">{resource === undefined ? 'Choose a resource first' : 'Choose an action…'}</option>
        {covered.map((a) => (
          <option key={a.name} value={a.name}>
            {a.name} ({a.risk} risk)
          </option>
        ))}
      </select>
      {action !== undefined && (
        <ParamsForm schema={action.paramsSchema} raw={raw} onChange={setRaw} problems={tried ? params.problems : {}} />
      )}
      <DurationField value={duration} onChange={setDuration} maxSeconds={undefined} showProblem />
      <p className="help">The profile&apos;s break-glass limit applies; the server refuses anything longer.</p>
      <label htmlFor={`${id}-reason`}>
        Reason <span className="required-mark">(required)</span>
      </label>
      <textarea
        id={`${id}-reason`}
        rows={3}
        maxLength={4000}
        required
        value={reason}
        aria-invalid={tried && reason.trim() === ''}
        aria-describedby={`${id}-reason-help`}
        onChange={(e) => setReason(e.target.value)}
      />
      <p id={`${id}-reason-help`} className={tried && reason.trim() === '' ? 'field-problem' : 'help'}>
        What is broken and why it cannot wait for an approval. Reviewers read this.
      </p>
      <label htmlFor={`${id}-confirm`}>
        To confirm, type the resource id
        {resource !== undefined && (
          <>
            {' '}
            (<code>{resource.resource.id}</code>)
          </>
        )}
      </label>
      <input
        id={`${id}-confirm`}
        value={confirmation}
        autoComplete="off"
        spellCheck={false}
        disabled={resource === undefined}
        aria-invalid={tried && !confirmed}
        onChange={(e) => setConfirmation(e.target.value)}
      />
      {breakGlass.isError && <ProblemMessage error={breakGlass.error} />}
      <div className="actions">
        <button type="submit" className="button danger" disabled={!ready || !confirmed || breakGlass.isPending}>
          Break glass: get access now
        </button>
      </div>
    </form>
  );
}
