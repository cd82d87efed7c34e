/**
 * Resources (`GET /v1/resources`): each resource of the profiles the viewer holds a duty on, with its
 * classification, owners and open drift, filterable by name, profile and drift (the filters live in the
 * address, so a filtered list can be shared). A resource's page (`GET /v1/resources/{id}`) adds its facts, its
 * profile's owners and its timeline chart.
 */
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'wouter';
import { api, data } from '../api/client';
import type { components } from '../api/schema';
import { Layout } from '../app/layout';
import { DriftCounts, openDrift } from '../ui/severity';
import { QueryView } from '../ui/states';
import { Time } from '../ui/time';
import { useFilter } from '../ui/use-filter';
import { SearchFilter, SelectFilter } from '../ui/filter-fields';
import { useProfiles, useResources } from './resources/queries';
import { TimelineSection } from './resources/timeline-section';

type Resource = components['schemas']['Resource'];
type ProfileSummary = components['schemas']['ProfileSummary'];

const DRIFT_FILTERS = [
  ['', 'Any'],
  ['open', 'With open drift'],
  ['clean', 'Without open drift'],
] as const;

function matches(resource: Resource, text: string, drift: string): boolean {
  const needle = text.trim().toLowerCase();
  if (needle !== '' && !resource.name.toLowerCase().includes(needle)) return false;
  if (drift === 'open') return openDrift(resource.drift) > 0;
  if (drift === 'clean') return openDrift(resource.drift) === 0;
  return true;
}

function owners(resource: Resource, profiles: readonly ProfileSummary[] | undefined): string {
  const profileOwners = profiles?.find((profile) => profile.name === resource.profile)?.owners ?? [];
  const named = [resource.owner, ...profileOwners].filter((owner) => owner !== null);
  return [...new Set(named)].join(', ') || '—';
}

export function ResourcesPage() {
  const [params, setFilter] = useFilter();
  const profile = params.get('profile') ?? '';
  const text = params.get('q') ?? '';
  const drift = params.get('drift') ?? '';
  const profiles = useProfiles();
  const resources = useResources(profile);

  return (
    <Layout title="Resources">
      <form
        className="filters"
        role="search"
        aria-label="Filter resources"
        onSubmit={(event) => event.preventDefault()}
      >
        <SearchFilter label="Name contains" value={text} onChange={(v) => setFilter('q', v)} />
        <SelectFilter
          label="Profile"
          value={profile}
          choices={(profiles.data ?? []).map((option) => option.name)}
          anyLabel="All profiles"
          onChange={(v) => setFilter('profile', v)}
        />
        <SelectFilter label="Drift" value={drift} choices={DRIFT_FILTERS} onChange={(v) => setFilter('drift', v)} />
      </form>
      <QueryView
        query={resources}
        what="resources"
        isEmpty={(list) => list.filter((resource) => matches(resource, text, drift)).length === 0}
        empty={
          text !== '' || profile !== '' || drift !== ''
            ? 'No resource matches these filters.'
            : 'No resources: you hold no duty on any profile that has one.'
        }
      >
        {(list) => {
          const shown = list.filter((resource) => matches(resource, text, drift));
          return (
            <div className="table-wrap">
              <table data-testid="resources-table">
                <caption className="visually-hidden">
                  {shown.length} of {list.length} resources
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Resource</th>
                    <th scope="col">Profile</th>
                    <th scope="col">Environment</th>
                    <th scope="col">Classification</th>
                    <th scope="col">Owners</th>
                    <th scope="col">Open drift</th>
                    <th scope="col">Last observed</th>
                  </tr>
                </thead>
                <tbody>
                  {shown.map((resource) => (
                    <tr key={resource.name}>
                      <th scope="row">
                        <Link href={`/resources/${encodeURIComponent(resource.name)}`}>{resource.name}</Link>
                      </th>
                      <td>
                        <Link href={`/profiles/${encodeURIComponent(resource.profile)}`}>{resource.profile}</Link>
                      </td>
                      <td>{resource.environment ?? '—'}</td>
                      <td>{resource.classification ?? '—'}</td>
                      <td>{owners(resource, profiles.data)}</td>
                      <td>
                        <DriftCounts drift={resource.drift} />
                      </td>
                      <td>
                        {resource.latestObservationAt === null ? (
                          <span className="muted">never</span>
                        ) : (
                          <Time iso={resource.latestObservationAt} />
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          );
        }}
      </QueryView>
    </Layout>
  );
}

export function ResourcePage() {
  const { id = '' } = useParams<{ id: string }>();
  const resource = useQuery({
    queryKey: ['resource', id],
    queryFn: async () => data(await api.GET('/v1/resources/{id}', { params: { path: { id } } })),
  });
  const profiles = useProfiles();

  return (
    <Layout title={`Resource ${id}`}>
      <QueryView query={resource} what="the resource">
        {(found) => (
          <section className="card" aria-labelledby="resource-facts">
            <h2 id="resource-facts">About this resource</h2>
            <dl className="facts">
              <dt>Profile</dt>
              <dd>
                <Link href={`/profiles/${encodeURIComponent(found.profile)}`}>{found.profile}</Link>
                {found.profileVersion !== null && <span className="muted"> (version {found.profileVersion})</span>}
              </dd>
              <dt>Environment</dt>
              <dd>{found.environment ?? '—'}</dd>
              <dt>Classification</dt>
              <dd>{found.classification ?? '—'}</dd>
              <dt>Owners</dt>
              <dd>{owners(found, profiles.data)}</dd>
              <dt>Registered by</dt>
              <dd>{found.source === 'policy' ? 'the policy' : found.source === 'api' ? 'the API' : 'discovery'}</dd>
              <dt>Open drift</dt>
              <dd>
                <DriftCounts drift={found.drift} />{' '}
                {openDrift(found.drift) > 0 && (
                  <Link href={`/drift?resource=${encodeURIComponent(found.name)}&status=open`}>see the findings</Link>
                )}
              </dd>
              <dt>Last observed</dt>
              <dd>{found.latestObservationAt === null ? 'never' : <Time iso={found.latestObservationAt} />}</dd>
              {Object.keys(found.labels).length > 0 && (
                <>
                  <dt>Labels</dt>
                  <dd>
                    {Object.entries(found.labels)
                      .map(([key, value]) => `${key}=${value}`)
                      .join(', ')}
                  </dd>
                </>
              )}
            </dl>
          </section>
        )}
      </QueryView>
      {resource.isSuccess && <TimelineSection resource={resource.data.name} />}
    </Layout>
  );
}
