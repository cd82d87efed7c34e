/**
 * The audit log's verification status as the server computes it (`GET /v1/audit/status`, incremental, so cheap
 * to poll): "chain verified up to seq N", the last signed checkpoint and its time, and whether the witness agrees.
 * Anything found wrong — a broken chain or checkpoint, a witness that disagrees — is an alert. The browser
 * verifies nothing itself: it shows the server's answer.
 */
import { useQuery } from '@tanstack/react-query';
import { api, data } from '../../api/client';
import type { components } from '../../api/schema';
import { QueryView } from '../../ui/states';
import { Time } from '../../ui/time';

type AuditStatus = components['schemas']['AuditStatus'];

function Verdict({ status }: { status: AuditStatus }) {
  const { problem } = status;
  if (!status.ok) {
    return (
      <div className="problem" role="alert" data-testid="audit-verdict">
        <strong>The audit log failed verification</strong>
        {problem !== undefined && (
          <p>
            {problem.message} (<code>{problem.kind}</code> at seq {problem.seq})
          </p>
        )}
        <p>
          {status.verifiedThroughSeq === 0
            ? 'No event could be proven good.'
            : `Chain verified up to seq ${status.verifiedThroughSeq}; what follows cannot be trusted.`}
        </p>
      </div>
    );
  }
  return (
    <p className="audit-verdict" data-testid="audit-verdict">
      <span className="badge ok">Verified</span>{' '}
      {status.headSeq === 0
        ? 'The audit log is empty: nothing to verify yet.'
        : `Chain verified up to seq ${status.verifiedThroughSeq}.`}
      {status.verifiedThroughSeq < status.headSeq && (
        <span className="muted"> Catching up with the {status.headSeq - status.verifiedThroughSeq} newer events.</span>
      )}
    </p>
  );
}

function Witness({ witness }: { witness: AuditStatus['witness'] }) {
  if (!witness.configured) return <span className="muted">no witness configured</span>;
  if (witness.agrees === false) {
    return (
      <span role="alert">
        <span className="badge danger">Disagrees</span> {witness.message ?? 'the witness differs from the database'}
      </span>
    );
  }
  if (witness.agrees === true) {
    return (
      <>
        <span className="badge ok">Agrees</span>
        {witness.lastWitnessedSeq !== undefined && ` with every checkpoint up to seq ${witness.lastWitnessedSeq}`}
      </>
    );
  }
  return <span className="muted">{witness.message ?? 'not compared yet'}</span>;
}

function StatusFacts({ status }: { status: AuditStatus }) {
  return (
    <>
      <Verdict status={status} />
      <dl className="facts">
        <dt>Last signed checkpoint</dt>
        <dd data-testid="audit-last-checkpoint">
          {status.lastCheckpoint === undefined ? (
            <span className="muted">none signed yet</span>
          ) : (
            <>
              at seq {status.lastCheckpoint.seq}, signed <Time iso={status.lastCheckpoint.at} /> with key{' '}
              <code>{status.lastCheckpoint.keyId}</code>
            </>
          )}
        </dd>
        <dt>Witness</dt>
        <dd data-testid="audit-witness">
          <Witness witness={status.witness} />
        </dd>
        <dt>Events in the log</dt>
        <dd>{status.headSeq}</dd>
        <dt>Checked</dt>
        <dd>
          <Time iso={status.verifiedAt} />
        </dd>
      </dl>
      <p className="help">
        The server verifies the hash chain and the signed checkpoints as events arrive. The full offline check, with the
        public key and the witness file, is <code>countersign audit verify</code>.
      </p>
    </>
  );
}

export function AuditVerificationCard() {
  const status = useQuery({
    queryKey: ['audit', 'status'],
    queryFn: async () => data(await api.GET('/v1/audit/status')),
  });
  return (
    <section className="card" aria-labelledby="audit-verification-heading">
      <h2 id="audit-verification-heading">Verification</h2>
      <QueryView query={status} what="the verification status of the audit log">
        {(answer) => <StatusFacts status={answer} />}
      </QueryView>
    </section>
  );
}
