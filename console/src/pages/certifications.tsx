/**
 * Certifications (access reviews): the campaigns (`GET /v1/certifications`) with their progress, and one
 * campaign (`GET /v1/certifications/{id}`) with its items for the reviewer to keep or revoke, one by one or in
 * bulk (`./certifications/items.tsx`). Progress is a bar with its value in words beside it.
 */
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'wouter';
import { api, data } from '../api/client';
import type { components } from '../api/schema';
import { Layout } from '../app/layout';
import { QueryView } from '../ui/states';
import { Countdown, Time } from '../ui/time';
import { oneOf, useFilter } from '../ui/use-filter';
import { SelectFilter } from '../ui/filter-fields';
import { CampaignItems } from './certifications/items';

type Counts = components['schemas']['CertificationCampaign']['counts'];

const STATUSES = ['open', 'closed'] as const;
const KIND_WORDS: Record<string, string> = {
  role_assignment: 'role assignments',
  grant: 'grants',
  break_glass: 'break-glass uses',
  high_risk_request: 'high-risk requests',
};

/** Decided items (kept or revoked) out of all; escalated ones still wait for a decision. */
function progressOf(counts: Counts): { decided: number; total: number; percent: number } {
  const decided = counts.kept + counts.revoked;
  const total = decided + counts.pending + counts.escalated;
  return { decided, total, percent: total === 0 ? 100 : Math.round((decided / total) * 100) };
}

export function Progress({ counts, label }: { counts: Counts; label: string }) {
  const { decided, total, percent } = progressOf(counts);
  return (
    <div className="progress">
      <progress value={decided} max={Math.max(total, 1)} aria-label={label} />
      <span>
        {decided} of {total} decided ({percent}%)
        {counts.escalated > 0 && <>, {counts.escalated} escalated</>}
      </span>
    </div>
  );
}

export function CertificationsPage() {
  const [params, setFilter] = useFilter();
  const status = oneOf(STATUSES, params.get('status'));
  const campaigns = useQuery({
    queryKey: ['certifications', status],
    queryFn: async () =>
      data(await api.GET('/v1/certifications', { params: { query: status === undefined ? {} : { status } } }))
        .campaigns,
  });
  return (
    <Layout title="Certifications">
      <form className="filters" role="search" aria-label="Filter campaigns" onSubmit={(e) => e.preventDefault()}>
        <SelectFilter
          label="Status"
          value={status ?? ''}
          choices={[
            ['open', 'Open'],
            ['closed', 'Closed'],
          ]}
          anyLabel="Any"
          onChange={(v) => setFilter('status', v)}
        />
      </form>
      <QueryView
        query={campaigns}
        what="certification campaigns"
        isEmpty={(list) => list.length === 0}
        empty={
          status === undefined
            ? 'No certification campaigns yet: `countersign certify` or POST /v1/certifications opens one.'
            : `No ${status} campaigns.`
        }
      >
        {(list) => (
          <div className="table-wrap">
            <table data-testid="certifications-table">
              <thead>
                <tr>
                  <th scope="col">Campaign</th>
                  <th scope="col">Reviews</th>
                  <th scope="col">Status</th>
                  <th scope="col">Deadline</th>
                  <th scope="col">Progress</th>
                </tr>
              </thead>
              <tbody>
                {list.map((campaign) => (
                  <tr key={campaign.id}>
                    <th scope="row">
                      <Link href={`/certifications/${encodeURIComponent(campaign.id)}`}>{campaign.name}</Link>
                    </th>
                    <td>{campaign.kinds.map((kind) => KIND_WORDS[kind] ?? kind).join(', ')}</td>
                    <td>
                      <span className={campaign.status === 'open' ? 'badge warn' : 'badge'}>{campaign.status}</span>
                    </td>
                    <td>
                      <Time iso={campaign.deadline} />
                      {campaign.status === 'open' && (
                        <div>
                          <Countdown until={campaign.deadline} label="closes" />
                        </div>
                      )}
                    </td>
                    <td>
                      <Progress counts={campaign.counts} label={`Progress of ${campaign.name}`} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </QueryView>
    </Layout>
  );
}

export function CertificationPage() {
  const { id = '' } = useParams<{ id: string }>();
  const campaign = useQuery({
    queryKey: ['certification', id],
    queryFn: async () => data(await api.GET('/v1/certifications/{id}', { params: { path: { id } } })),
  });
  return (
    <Layout title={campaign.data === undefined ? 'Certification campaign' : `Certification: ${campaign.data.name}`}>
      <p>
        <Link href="/certifications">All campaigns</Link>
      </p>
      <QueryView query={campaign} what="the campaign">
        {(found) => (
          <>
            <section className="card" aria-labelledby="campaign-facts">
              <h2 id="campaign-facts">Campaign</h2>
              <Progress counts={found.counts} label={`Progress of ${found.name}`} />
              <dl className="facts">
                <dt>Reviews</dt>
                <dd>{found.kinds.map((kind) => KIND_WORDS[kind] ?? kind).join(', ')}</dd>
                <dt>Period</dt>
                <dd>
                  <Time iso={found.period.from} /> to <Time iso={found.period.to} />
                </dd>
                <dt>Deadline</dt>
                <dd>
                  <Time iso={found.deadline} />{' '}
                  {found.status === 'open' && <Countdown until={found.deadline} label="closes" />}
                </dd>
                <dt>If not reviewed by then</dt>
                <dd>{found.onMissed === 'revoke' ? 'the access is revoked' : 'the item is escalated'}</dd>
                <dt>Status</dt>
                <dd>
                  {found.status}
                  {found.closedAt !== null && (
                    <>
                      {' '}
                      (closed <Time iso={found.closedAt} />)
                    </>
                  )}
                </dd>
                <dt>Opened</dt>
                <dd>
                  <Time iso={found.createdAt} /> by {found.createdBy}
                </dd>
                <dt>Decided</dt>
                <dd>
                  {found.counts.kept} kept, {found.counts.revoked} revoked, {found.counts.pending} pending,{' '}
                  {found.counts.escalated} escalated
                </dd>
              </dl>
            </section>
            <CampaignItems campaign={found} />
          </>
        )}
      </QueryView>
    </Layout>
  );
}
