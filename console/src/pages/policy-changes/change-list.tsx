/**
 * The list of policy change sets, newest first, filtered by status (pending by default: what waits for a
 * governance approver). Each links to its page with the diff and the actions.
 */
import { useQuery } from '@tanstack/react-query';
import { Link, useLocation, useSearch } from 'wouter';
import { api, data } from '../../api/client';
import type { components } from '../../api/schema';
import { QueryView } from '../../ui/states';
import { Time } from '../../ui/time';
import { ChangeStatus } from './change-status';

type ChangeSetStatus = components['schemas']['PolicyChange']['status'];

const STATUS_CHOICES: readonly (readonly [ChangeSetStatus | 'all', string])[] = [
  ['pending', 'Pending'],
  ['applied', 'Applied'],
  ['rejected', 'Rejected'],
  ['cancelled', 'Withdrawn'],
  ['all', 'All'],
];

function statusFromSearch(search: string): ChangeSetStatus | 'all' {
  const value = new URLSearchParams(search).get('status');
  return STATUS_CHOICES.find(([status]) => status === value)?.[0] ?? 'pending';
}

export function PolicyChangeList() {
  const search = useSearch();
  const [, navigate] = useLocation();
  const status = statusFromSearch(search);
  const changes = useQuery({
    queryKey: ['policy-changes', 'list', status],
    queryFn: async () =>
      data(
        await api.GET('/v1/policy/changes', {
          params: { query: status === 'all' ? { limit: 200 } : { status, limit: 200 } },
        }),
      ),
  });
  return (
    <>
      <div className="filters">
        <label>
          Status
          <select
            name="status"
            value={status}
            onChange={(event) => navigate(`/policy-changes?status=${event.target.value}`, { replace: true })}
          >
            {STATUS_CHOICES.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <QueryView
        query={changes}
        what="policy changes"
        isEmpty={(answer) => answer.changes.length === 0}
        empty={status === 'pending' ? 'No policy change waits for approval.' : 'No policy change with this status.'}
      >
        {(answer) => (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Change</th>
                  <th scope="col">Author</th>
                  <th scope="col">Submitted</th>
                  <th scope="col">Profiles touched</th>
                  <th scope="col">Approvals</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {answer.changes.map((change) => (
                  <tr key={change.id} data-testid="policy-change">
                    <td>
                      <Link href={`/policy-changes/${encodeURIComponent(change.id)}`}>
                        {change.description ?? `Change ${change.id}`}
                      </Link>
                    </td>
                    <td>{change.author}</td>
                    <td>
                      <Time iso={change.createdAt} />
                    </td>
                    <td>
                      {change.touched.all.length === 0
                        ? 'none'
                        : `${change.touched.added.length} added, ${change.touched.changed.length} changed, ${change.touched.removed.length} removed`}
                    </td>
                    <td>
                      {change.approvals.map((a) => a.approver).join(', ') || <span className="muted">none yet</span>}
                    </td>
                    <td>
                      <ChangeStatus status={change.status} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </QueryView>
    </>
  );
}
