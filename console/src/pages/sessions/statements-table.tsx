/**
 * A gateway session's statements in order, as `GET /v1/sessions/{id}` answers them: what each was (its kinds,
 * commands and tables), the decision with the rule and its message, then what the server did (rows, duration,
 * SQLSTATE). The statement's text appears only when the answer carries it (the API opens it for `audit` holders
 * who ask, audited); this page never asks. A refusal of the viewer's own carries the "Ask for approval" button.
 */
import type { components } from '../../api/schema';
import { Time } from '../../ui/time';
import { AskForApproval, useRefusalAction } from './ask-approval';

type Session = components['schemas']['GatewaySession'];
type Statement = components['schemas']['GatewayStatement'];

/** Allowed with the rule that allowed it; refused with the server's message, which names the rule. */
function Decision({ statement }: { statement: Statement }) {
  if (!statement.allowed) {
    return (
      <>
        <span className="badge danger">refused</span> <span>{statement.message}</span>
      </>
    );
  }
  return (
    <>
      <span className="badge ok">allowed</span>{' '}
      {statement.rule === null ? (
        <span className="muted">by default</span>
      ) : (
        <>
          by <code>{statement.rule}</code>
        </>
      )}
    </>
  );
}

function durationMsText(ms: number | null): string {
  if (ms === null) return '—';
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

export function StatementsTable({
  session,
  statements,
  mine,
}: {
  session: Session;
  statements: readonly Statement[];
  /** The session is the signed-in person's own: only its sender may ask approval for a refusal. */
  mine: boolean;
}) {
  const action = useRefusalAction(session.profile);
  const askable = (statement: Statement): statement is Statement & { refusalId: string } =>
    mine && !statement.allowed && statement.refusalId !== null && action !== null;
  return (
    <div className="table-wrap">
      <table className="stack" data-testid="session-statements">
        <caption className="visually-hidden">{statements.length} statements of the session, in order</caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Time</th>
            <th scope="col">Statement</th>
            <th scope="col">Decision</th>
            <th scope="col">Rows</th>
            <th scope="col">Duration</th>
            <th scope="col">Error</th>
            <th scope="col">Approval</th>
          </tr>
        </thead>
        <tbody>
          {statements.map((statement) => (
            <tr key={statement.seq} data-seq={statement.seq}>
              <td data-label="#">{statement.seq}</td>
              <td data-label="Time">
                <Time iso={statement.at} />
              </td>
              <td data-label="Statement">
                <code>{statement.commands.join(', ') || statement.kinds.join(', ') || '—'}</code>
                {statement.tables.length > 0 && <span className="muted"> on {statement.tables.join(', ')}</span>}
                {statement.text !== undefined && (
                  <pre className="statement-text">
                    <code>{statement.text}</code>
                  </pre>
                )}
              </td>
              <td data-label="Decision">
                <Decision statement={statement} />
              </td>
              <td data-label="Rows">{statement.rows ?? '—'}</td>
              <td data-label="Duration">{durationMsText(statement.durationMs)}</td>
              <td data-label="Error">
                {statement.errorCode === null ? '—' : <code>SQLSTATE {statement.errorCode}</code>}
              </td>
              <td data-label="Approval">
                {askable(statement) ? (
                  <AskForApproval
                    refusalId={statement.refusalId}
                    seq={statement.seq}
                    resource={session.resource}
                    action={action ?? undefined}
                  />
                ) : statement.refusalId !== null ? (
                  <code className="muted">{statement.refusalId}</code>
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
