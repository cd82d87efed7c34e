/**
 * SoD exceptions as the SoD page shows them: a short summary beside a conflict (status in words, expiry,
 * justification and compensating control) and the full table of exceptions.
 */
import type { components } from '../../api/schema';
import { Time } from '../../ui/time';

type SodException = components['schemas']['SodException'];

const STATUS_TONE: Record<SodException['status'], string> = {
  active: 'badge ok',
  pending: 'badge warn',
  expired: 'badge',
  revoked: 'badge',
};

export function ExceptionStatus({ status }: { status: SodException['status'] }) {
  return <span className={STATUS_TONE[status]}>{status}</span>;
}

/** One exception beside a conflict; `covering` marks the one that suppresses the conflict now. */
export function ExceptionSummary({ exception, covering }: { exception: SodException; covering: boolean }) {
  return (
    <div className="exception-summary">
      <p>
        {covering ? <strong>Covered by </strong> : 'Also asked: '}
        <code>{exception.id}</code> <ExceptionStatus status={exception.status} />
      </p>
      <p className="muted">
        {exception.status === 'revoked' ? (
          <>
            revoked <Time iso={exception.revokedAt} /> by {exception.revokedBy ?? '?'}
          </>
        ) : (
          <>
            {exception.status === 'expired' ? 'expired' : 'expires'} <Time iso={exception.expiresAt} />
          </>
        )}
      </p>
      <p>Why: {exception.justification}</p>
      <p>Compensating control: {exception.compensatingControl}</p>
    </div>
  );
}

export function ExceptionsTable({ exceptions }: { exceptions: readonly SodException[] }) {
  return (
    <div className="table-wrap">
      <table data-testid="sod-exceptions-table">
        <thead>
          <tr>
            <th scope="col">Exception</th>
            <th scope="col">Identity</th>
            <th scope="col">Rule</th>
            <th scope="col">Status</th>
            <th scope="col">Justification and compensating control</th>
            <th scope="col">Asked</th>
            <th scope="col">Approved</th>
            <th scope="col">Expires</th>
          </tr>
        </thead>
        <tbody>
          {exceptions.map((exception) => (
            <tr key={exception.id}>
              <th scope="row">
                <code>{exception.id}</code>
              </th>
              <td>{exception.identity}</td>
              <td>
                <code>{exception.rule}</code>
              </td>
              <td>
                <ExceptionStatus status={exception.status} />
              </td>
              <td>
                {exception.justification}
                <div className="muted">Control: {exception.compensatingControl}</div>
              </td>
              <td>
                <Time iso={exception.createdAt} /> by {exception.createdBy}
              </td>
              <td>
                {exception.approvedAt === null ? (
                  <span className="muted">not yet</span>
                ) : (
                  <>
                    <Time iso={exception.approvedAt} /> by {exception.approvedBy ?? '?'}
                  </>
                )}
              </td>
              <td>
                <Time iso={exception.expiresAt} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
