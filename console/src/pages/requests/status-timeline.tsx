/**
 * A request's life as an ordered list, from what its view carries: asked, each approval (by whom, at which step),
 * approved, activated, and where it stands now — with a live countdown to whatever comes next (the timeout while
 * pending, the end of the activation window once approved, the end of access while active).
 */
import { Countdown, Time } from '../../ui/time';
import { StatusBadge } from '../../ui/request-status';
import type { RequestView } from './request-actions';

const POLICY = 'system:policy';

const DEADLINE_LABEL: Readonly<Record<string, string>> = {
  pending: 'times out',
  approved: 'activation window ends',
  active: 'access ends',
};

export function StatusTimeline({ request }: { request: RequestView }) {
  const deadline = DEADLINE_LABEL[request.status];
  return (
    <ol className="timeline" aria-label={`Timeline of request ${request.id}`}>
      <li>
        <Time iso={request.createdAt} /> — asked by <strong>{request.requester}</strong>
        {request.breakGlass && (
          <>
            {' '}
            <span className="badge danger">break-glass</span>
          </>
        )}
        {request.extends !== undefined && <span className="muted"> (extends request {request.extends})</span>}
      </li>
      {request.approvals.map((approval) => (
        <li key={`${approval.approver}-${approval.step}`}>
          <Time iso={approval.at} /> —{' '}
          {approval.approver === POLICY ? (
            'approved by the policy'
          ) : (
            <>
              approved by <strong>{approval.approver}</strong>
              {approval.step > 0 && ` (step ${approval.step})`}
            </>
          )}
        </li>
      ))}
      {request.approvedAt !== undefined && (
        <li>
          <Time iso={request.approvedAt} /> — approved
        </li>
      )}
      {request.activatedAt !== undefined && (
        <li>
          <Time iso={request.activatedAt} /> — activated
        </li>
      )}
      <li aria-current="step">
        Now: <StatusBadge status={request.status} />
        {request.status === 'pending' && request.currentStep !== undefined && (
          <span className="muted">
            {' '}
            waiting for step {request.currentStep} ({request.remainingApprovals} approval
            {request.remainingApprovals === 1 ? '' : 's'} to go)
          </span>
        )}
        {request.statusReason !== undefined && <span className="muted"> — {request.statusReason}</span>}
        {deadline !== undefined && request.expiresAt !== undefined && (
          <>
            {' '}
            · <Countdown until={request.expiresAt} label={deadline} /> (<Time iso={request.expiresAt} />)
          </>
        )}
        {request.reviewBy !== undefined && (
          <span className="muted">
            {' '}
            · to be reviewed by <Time iso={request.reviewBy} />
          </span>
        )}
      </li>
    </ol>
  );
}
