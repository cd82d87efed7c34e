/**
 * One policy change set: who proposed it and why, where it stands, the profiles it touches (added, changed,
 * removed, or touched through a resource bound to them), who approved it so far, the decision buttons, what
 * changes in each document (the server's line diff), and the documents themselves.
 */
import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { api, data } from '../../api/client';
import type { components } from '../../api/schema';
import { QueryView } from '../../ui/states';
import { Time } from '../../ui/time';
import { ChangeActions } from './change-actions';
import { ChangeStatus } from './change-status';
import { DocumentDiffs } from './document-diff';

type PolicyChangeDetail = components['schemas']['PolicyChangeDetail'];

function ProfileList({ label, names }: { label: string; names: readonly string[] | undefined }) {
  if (names === undefined || names.length === 0) return null;
  return (
    <>
      <dt>{label}</dt>
      <dd>
        <ul className="inline-list">
          {names.map((name) => (
            <li key={name}>
              <Link href={`/profiles/${encodeURIComponent(name)}`}>{name}</Link>
            </li>
          ))}
        </ul>
      </dd>
    </>
  );
}

function ChangeFacts({ change }: { change: PolicyChangeDetail }) {
  return (
    <div className="grid-2">
      <section className="card" aria-labelledby="change-facts-heading">
        <h2 id="change-facts-heading">Change</h2>
        <dl className="facts">
          <dt>Status</dt>
          <dd>
            <ChangeStatus status={change.status} />
          </dd>
          <dt>Description</dt>
          <dd>{change.description ?? <span className="muted">none given</span>}</dd>
          <dt>Author</dt>
          <dd>{change.author}</dd>
          <dt>Submitted</dt>
          <dd>
            <Time iso={change.createdAt} />
          </dd>
          {change.decidedAt !== null && (
            <>
              <dt>Decided</dt>
              <dd>
                <Time iso={change.decidedAt} /> {change.decidedBy !== null && `by ${change.decidedBy}`}
              </dd>
            </>
          )}
          {change.appliedAt !== null && (
            <>
              <dt>Applied</dt>
              <dd>
                <Time iso={change.appliedAt} />
              </dd>
            </>
          )}
          <dt>Based on policy</dt>
          <dd>
            {change.basePolicyHash === null ? (
              <span className="muted">no policy loaded before</span>
            ) : (
              <code className="hash">{change.basePolicyHash}</code>
            )}
          </dd>
          <dt>Digest</dt>
          <dd>
            <code className="hash">{change.digest}</code>
          </dd>
        </dl>
      </section>
      <section className="card" aria-labelledby="change-touched-heading">
        <h2 id="change-touched-heading">Profiles touched</h2>
        {change.touched.all.length === 0 ? (
          <p className="muted">No profile changes: the documents change nothing a profile depends on.</p>
        ) : (
          <dl className="facts">
            <ProfileList label="Added" names={change.touched.added} />
            <ProfileList label="Changed" names={change.touched.changed} />
            <ProfileList label="Removed" names={change.touched.removed} />
            <ProfileList label="Through a resource" names={change.touched.resources} />
          </dl>
        )}
        <h3>Approvals</h3>
        {change.approvals.length === 0 ? (
          <p className="muted">No approval yet.</p>
        ) : (
          <ul>
            {change.approvals.map((approval) => (
              <li key={approval.approver}>
                {approval.approver}, <Time iso={approval.at} />
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

function Documents({ files }: { files: PolicyChangeDetail['files'] }) {
  return (
    <section aria-labelledby="change-documents-heading">
      <h2 id="change-documents-heading">Proposed documents ({files.length})</h2>
      {files.map((file) => (
        <details key={file.path} className="card policy-document">
          <summary>
            <code>{file.path}</code>
          </summary>
          <pre>{file.text}</pre>
        </details>
      ))}
    </section>
  );
}

export function PolicyChangeDetailView({ id }: { id: string }) {
  const change = useQuery({
    queryKey: ['policy-changes', 'detail', id],
    queryFn: async () => data(await api.GET('/v1/policy/changes/{id}', { params: { path: { id } } })),
  });
  return (
    <QueryView query={change} what="the policy change">
      {(detail) => (
        <>
          <p>
            <Link href="/policy-changes">All policy changes</Link>
          </p>
          <ChangeFacts change={detail} />
          <ChangeActions change={detail} />
          <DocumentDiffs diffs={detail.diff} />
          <Documents files={detail.files} />
        </>
      )}
    </QueryView>
  );
}
