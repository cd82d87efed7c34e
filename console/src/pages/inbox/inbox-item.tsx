/**
 * One request in the inbox with everything an approver decides on beside it: who asks (and their groups), for what
 * (resource, classification, owners, the action's risk and maximum), why (justification, ticket), under which rule
 * (its steps and who already approved), the resource's open drift, the requester's recent requests on it, and
 * whether my approval would count and why (the server's own approve decision). The version the approver was
 * first shown is pinned: if the request changes while it is open, the card says so before anything is sent.
 */
import { useState } from 'react';
import { Link } from 'wouter';
import type { Problem } from '../../api/client';
import type { components } from '../../api/schema';
import { StatusBadge } from '../../ui/request-status';
import { Time, durationText } from '../../ui/time';
import { Decision } from './decision';

export type InboxItem = components['schemas']['InboxItem'];

const DANGER_RISK = new Set(['high', 'critical']);
const DANGER_SEVERITY = new Set(['high', 'critical']);

function Params({ params }: { params: Readonly<Record<string, unknown>> }) {
  const entries = Object.entries(params);
  if (entries.length === 0) return <span className="muted">none</span>;
  return (
    <ul className="plain-list">
      {entries.map(([name, value]) => (
        <li key={name}>
          <code>{name}</code> = <code>{JSON.stringify(value)}</code>
        </li>
      ))}
    </ul>
  );
}

function RequestFacts({ item }: { item: InboxItem }) {
  const { request, context } = item;
  const { requester, resource, action } = context;
  return (
    <dl className="facts">
      <dt>Requester</dt>
      <dd>
        <strong>{requester.name}</strong> ({requester.identityKind ?? requester.kind})
        {requester.groups.length > 0 && <span className="muted"> · groups: {requester.groups.join(', ')}</span>}
        {requester.owners !== undefined && requester.owners.length > 0 && (
          <span className="muted"> · owned by {requester.owners.join(', ')}</span>
        )}
      </dd>
      <dt>Resource</dt>
      <dd>
        <Link href={`/resources/${encodeURIComponent(resource.id)}`}>{resource.id}</Link>{' '}
        <span className="muted">
          profile <Link href={`/profiles/${encodeURIComponent(resource.profile)}`}>{resource.profile}</Link>
        </span>
      </dd>
      <dt>Classification</dt>
      <dd>{resource.classification ?? <span className="muted">unknown (profile no longer in the policy)</span>}</dd>
      <dt>Owners</dt>
      <dd>{resource.owners.length > 0 ? resource.owners.join(', ') : <span className="muted">none</span>}</dd>
      <dt>Action</dt>
      <dd>
        <code>{action.name}</code>{' '}
        {action.risk !== undefined && (
          <span className={DANGER_RISK.has(action.risk) ? 'badge danger' : 'badge'}>{action.risk} risk</span>
        )}
      </dd>
      <dt>Duration</dt>
      <dd>
        {durationText(request.durationSeconds)}
        {action.maxDurationSeconds !== undefined && (
          <span className="muted"> (at most {durationText(action.maxDurationSeconds)})</span>
        )}
      </dd>
      <dt>Parameters</dt>
      <dd>
        <Params params={request.params} />
      </dd>
      <dt>Justification</dt>
      <dd>{request.justification ?? <span className="muted">none given</span>}</dd>
      <dt>Ticket</dt>
      <dd>{request.ticket ?? <span className="muted">none</span>}</dd>
      <dt>Asked</dt>
      <dd>
        <Time iso={request.createdAt} />
        {request.expiresAt !== undefined && (
          <span className="muted">
            {' '}
            · times out <Time iso={request.expiresAt} />
          </span>
        )}
      </dd>
    </dl>
  );
}

function RuleSteps({ item }: { item: InboxItem }) {
  const { rule } = item.context;
  const current = item.request.currentStep;
  return (
    <>
      <h3>
        Rule <code>{rule.name}</code>
      </h3>
      <ol className="steps">
        {rule.steps.map((step) => (
          <li key={step.step} aria-current={step.step === current ? 'step' : undefined}>
            {step.satisfied ? (
              <span className="badge ok">done</span>
            ) : step.step === current ? (
              <span className="badge warn">current</span>
            ) : (
              <span className="badge">later</span>
            )}{' '}
            {step.required} of {step.from.join(', ')}
            {step.independent && ' (sharing no group with the requester)'}
            <br />
            <span className="muted">
              Approved by: {step.approvers.length > 0 ? step.approvers.join(', ') : 'nobody yet'}
            </span>
          </li>
        ))}
      </ol>
    </>
  );
}

function Drift({ item }: { item: InboxItem }) {
  const drift = item.context.resource.openDrift;
  return (
    <>
      <h3>Open drift on the resource</h3>
      {drift.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <ul className="plain-list">
          {drift.map((finding) => (
            <li key={finding.check}>
              <span className={DANGER_SEVERITY.has(finding.severity) ? 'badge danger' : 'badge warn'}>
                {finding.severity}
              </span>{' '}
              <code>{finding.check}</code> <span className="muted">since</span> <Time iso={finding.since} />
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function RecentRequests({ item }: { item: InboxItem }) {
  const recent = item.context.recentRequests;
  return (
    <>
      <h3>{item.context.requester.name}&apos;s recent requests on this resource</h3>
      {recent.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <ul className="plain-list">
          {recent.map((earlier) => (
            <li key={earlier.id}>
              <Link href={`/requests/${encodeURIComponent(earlier.id)}`}>{earlier.action}</Link>{' '}
              <StatusBadge status={earlier.status} /> <Time iso={earlier.createdAt} />
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

export function InboxItemCard({ item, onConflict }: { item: InboxItem; onConflict: (problem: Problem) => void }) {
  const { request, context } = item;
  const [seenDigest, setSeenDigest] = useState(request.digest);
  const changed = seenDigest !== request.digest;
  const headingId = `inbox-${request.id}`;
  return (
    <article className="card inbox-item" aria-labelledby={headingId} data-testid="inbox-item" data-request={request.id}>
      <h2 id={headingId} className="inbox-title">
        <Link href={`/requests/${encodeURIComponent(request.id)}`}>
          {context.requester.name} asks for <code>{request.action}</code> on <code>{request.resource}</code>
        </Link>
      </h2>
      <div className="grid-2">
        <RequestFacts item={item} />
        <div>
          <RuleSteps item={item} />
          <Drift item={item} />
          <RecentRequests item={item} />
        </div>
      </div>
      <p className={context.myApproval.counts ? 'success' : 'notice'} data-testid="my-approval">
        <strong>{context.myApproval.counts ? 'Your approval would count.' : 'Your approval would not count.'}</strong>{' '}
        {context.myApproval.message} <span className="muted">({context.myApproval.reason})</span>
      </p>
      {changed ? (
        <div className="notice" role="alert">
          <strong>This request changed since you opened it.</strong> Read it again above; your decision will be for the
          version shown now.
          <div className="actions">
            <button type="button" className="button secondary" onClick={() => setSeenDigest(request.digest)}>
              I have read the new version
            </button>
          </div>
        </div>
      ) : (
        <Decision
          requestId={request.id}
          seenDigest={seenDigest}
          counts={context.myApproval.counts}
          onConflict={onConflict}
        />
      )}
    </article>
  );
}
