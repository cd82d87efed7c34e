/**
 * Who will have to approve a request, before it is made: the server previews the exact body
 * (`POST /v1/requests/preview`, nothing stored) and answers what creating it would decide, the rule that matched,
 * and per step who could approve it for this requester. A step too few people could satisfy is warned about here
 * rather than found out when the request times out. The preview follows the form, a moment after typing stops.
 */
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api, data } from '../../api/client';
import type { components, paths } from '../../api/schema';
import { Loading, ProblemMessage } from '../../ui/states';

export type RequestBody = paths['/v1/requests']['post']['requestBody']['content']['application/json'];
type RequestPreview = components['schemas']['RequestPreview'];

/** `value`, once it has stayed the same for `delayMs`. */
function useDebounced<T>(value: T, delayMs: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}

function Steps({ preview }: { preview: RequestPreview }) {
  if (preview.autoApproved)
    return <p className="success">The policy approves this request at once: nobody else has to.</p>;
  if (preview.steps.length === 0) return null;
  return (
    <ol className="preview-steps">
      {preview.steps.map((step) => (
        <li key={step.step}>
          <strong>
            Step {step.step}: {step.required} approval{step.required === 1 ? '' : 's'}
          </strong>{' '}
          from {step.from.join(', ')}
          {step.independent && ' who share no group with you'}
          <br />
          {step.eligibleCount === 0 ? (
            <span className="badge danger">nobody eligible</span>
          ) : (
            <span className="muted">
              Eligible ({step.eligibleCount}): {step.eligibleApprovers.join(', ')}
              {step.eligibleCount > step.eligibleApprovers.length && ', …'}
            </span>
          )}
        </li>
      ))}
    </ol>
  );
}

export function ApproverPreview({ body }: { body: RequestBody | undefined }) {
  // Debounced as text: the form builds a new object on every render, its content is what matters.
  const settled = useDebounced(body === undefined ? undefined : JSON.stringify(body), 400);
  const preview = useQuery({
    queryKey: ['request-preview', settled],
    queryFn: async () =>
      data(await api.POST('/v1/requests/preview', { body: JSON.parse(settled ?? '{}') as RequestBody })),
    enabled: settled !== undefined,
    refetchInterval: false,
    staleTime: 10_000,
  });

  return (
    <section className="card" aria-labelledby="preview-heading" aria-live="polite" data-testid="request-preview">
      <h2 id="preview-heading">Who will have to approve</h2>
      {settled === undefined ? (
        <p className="muted">Choose a resource, an action and a valid duration to see who would approve.</p>
      ) : preview.isPending ? (
        <Loading what="the approvers" />
      ) : preview.isError ? (
        <ProblemMessage error={preview.error} />
      ) : (
        <>
          {!preview.data.allowed && (
            <div className="problem" role="alert">
              <strong>
                This request would be refused{preview.data.code !== undefined && ` (${preview.data.code})`}
              </strong>
              {preview.data.message !== undefined && <p>{preview.data.message}</p>}
            </div>
          )}
          {preview.data.matchedRule !== undefined && (
            <p>
              Approval rule: <code>{preview.data.matchedRule}</code>
            </p>
          )}
          {preview.data.warnings.map((warning) => (
            <p key={warning.step} className="notice" role="alert">
              <strong>No eligible approver:</strong> {warning.message}
            </p>
          ))}
          {preview.data.allowed && <Steps preview={preview.data} />}
        </>
      )}
    </section>
  );
}
