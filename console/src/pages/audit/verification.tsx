/**
 * The audit log's verification, as the server computes it (`GET /v1/audit/verify`) with its last signed
 * checkpoint (`GET /v1/audit/checkpoints`): "chain verified up to seq N", the checkpoint's size and time, and how
 * many witness checkpoints agree. A broken chain is an alert naming the first bad seq and what is wrong. The
 * browser never verifies anything itself: it shows the server's answer.
 */
import { useQuery } from '@tanstack/react-query';
import { api, data } from '../../api/client';
import type { components } from '../../api/schema';
import { QueryView } from '../../ui/states';
import { Time } from '../../ui/time';

/** Verifying walks the whole log, so it is asked for less often than pages poll. */
const VERIFY_INTERVAL_MS = 60_000;
/** The most checkpoints one call lists; the newest is the last of them. */
const CHECKPOINT_PAGE = 10_000;

type Verification = components['schemas']['AuditVerification'];
type Checkpoint = components['schemas']['AuditCheckpoint'] | null;

async function fetchVerification(): Promise<Verification> {
  return data(await api.GET('/v1/audit/verify'));
}

/** The newest signed checkpoint, or null when none was signed yet (pages on until the last one). */
async function fetchLastCheckpoint(): Promise<Checkpoint> {
  let last: Checkpoint = null;
  for (;;) {
    const query: { after?: number; limit: number } =
      last === null ? { limit: CHECKPOINT_PAGE } : { after: last.size, limit: CHECKPOINT_PAGE };
    const page: { readonly checkpoints: readonly NonNullable<Checkpoint>[] } = data(
      await api.GET('/v1/audit/checkpoints', { params: { query } }),
    );
    last = page.checkpoints.at(-1) ?? last;
    if (page.checkpoints.length < CHECKPOINT_PAGE) return last;
  }
}

function VerificationFacts({ verification, checkpoint }: { verification: Verification; checkpoint: Checkpoint }) {
  const problem = verification.problem;
  return (
    <>
      {verification.ok ? (
        <p className="audit-verdict" data-testid="audit-verdict">
          <span className="badge ok">Verified</span>{' '}
          {verification.head === undefined
            ? 'The audit log is empty: nothing to verify yet.'
            : `Chain verified up to seq ${verification.head.seq}.`}
        </p>
      ) : (
        <div className="problem" role="alert" data-testid="audit-verdict">
          <strong>The audit log failed verification</strong>
          {problem !== undefined && (
            <p>
              {problem.message} (<code>{problem.kind}</code> at seq {problem.seq})
            </p>
          )}
          <p>
            {verification.eventsVerified === 0
              ? 'No event could be proven good.'
              : `Chain verified up to seq ${verification.eventsVerified}; seq ${verification.firstBadSeq ?? problem?.seq ?? '?'} onwards cannot be trusted.`}
          </p>
        </div>
      )}
      <dl className="facts">
        <dt>Events verified</dt>
        <dd>{verification.eventsVerified}</dd>
        <dt>Last signed checkpoint</dt>
        <dd data-testid="audit-last-checkpoint">
          {checkpoint === null ? (
            <span className="muted">none signed yet</span>
          ) : (
            <>
              covers seq 1–{checkpoint.size}, signed <Time iso={checkpoint.time} /> with key{' '}
              <code>{checkpoint.keyId}</code>
            </>
          )}
        </dd>
        <dt>Checkpoints verified</dt>
        <dd>{verification.checkpointsVerified}</dd>
        <dt>Witness agreement</dt>
        <dd data-testid="audit-witnesses">
          {verification.witnessCheckpointsVerified === 0
            ? 'no witness checkpoint compared'
            : `${verification.witnessCheckpointsVerified} witness checkpoint${verification.witnessCheckpointsVerified === 1 ? '' : 's'} agree`}
          {problem?.kind === 'witness_mismatch' && <span className="badge danger"> disagreement</span>}
        </dd>
        <dt>Signatures</dt>
        <dd>
          {verification.signaturesChecked
            ? 'checked'
            : 'not checked by the server (check them offline: countersign audit verify with the public key)'}
        </dd>
        {verification.head !== undefined && (
          <>
            <dt>Head</dt>
            <dd>
              <code className="hash">{verification.head.hash}</code>
            </dd>
          </>
        )}
      </dl>
    </>
  );
}

export function AuditVerificationCard() {
  const verification = useQuery({
    queryKey: ['audit', 'verify'],
    queryFn: fetchVerification,
    refetchInterval: VERIFY_INTERVAL_MS,
  });
  const checkpoint = useQuery({ queryKey: ['audit', 'last-checkpoint'], queryFn: fetchLastCheckpoint });
  return (
    <section className="card" aria-labelledby="audit-verification-heading">
      <h2 id="audit-verification-heading">Verification</h2>
      <QueryView query={verification} what="the verification of the audit log">
        {(answer) => (
          <QueryView query={checkpoint} what="the last signed checkpoint">
            {(last) => <VerificationFacts verification={answer} checkpoint={last} />}
          </QueryView>
        )}
      </QueryView>
    </section>
  );
}
