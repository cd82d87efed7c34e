/**
 * Drift findings (`GET /v1/drift`) of the resources the viewer holds a duty on, most recently seen first,
 * filterable by severity, status and resource (the server filters) or profile (the page keeps the findings of
 * that profile's resources, as `GET /v1/resources?profile=` lists them). Filters live in the address, so the
 * resource page links here with its own filter.
 */
import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { api, data } from '../api/client';
import { Layout } from '../app/layout';
import { SeverityBadge, type Severity } from '../ui/severity';
import { QueryView } from '../ui/states';
import { Time } from '../ui/time';
import { oneOf, useFilter } from '../ui/use-filter';
import { SelectFilter } from '../ui/filter-fields';
import { useProfiles, useResources } from './resources/queries';

const LIMIT = 500;
const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low'];
const STATUSES = ['open', 'resolved'] as const;

export function DriftPage() {
  const [params, setFilter] = useFilter();
  const severity = oneOf(SEVERITIES, params.get('severity'));
  const status = oneOf(STATUSES, params.get('status'));
  const resource = params.get('resource') ?? '';
  const profile = params.get('profile') ?? '';
  const profiles = useProfiles();
  const resources = useResources(profile);
  const findings = useQuery({
    queryKey: ['drift', severity, status, resource],
    queryFn: async () =>
      data(
        await api.GET('/v1/drift', {
          params: {
            query: {
              limit: LIMIT,
              ...(severity === undefined ? {} : { severity }),
              ...(status === undefined ? {} : { status }),
              ...(resource === '' ? {} : { resource }),
            },
          },
        }),
      ).findings,
  });
  const inProfile = profile === '' ? undefined : new Set((resources.data ?? []).map((candidate) => candidate.name));
  const filtered = profile !== '' || resource !== '' || severity !== undefined || status !== undefined;

  return (
    <Layout title="Drift findings">
      <form className="filters" role="search" aria-label="Filter drift findings" onSubmit={(e) => e.preventDefault()}>
        <SelectFilter
          label="Severity"
          value={severity ?? ''}
          choices={SEVERITIES}
          anyLabel="Any"
          onChange={(v) => setFilter('severity', v)}
        />
        <SelectFilter
          label="Status"
          value={status ?? ''}
          choices={STATUSES}
          anyLabel="Any"
          onChange={(v) => setFilter('status', v)}
        />
        <SelectFilter
          label="Profile"
          value={profile}
          choices={(profiles.data ?? []).map((option) => option.name)}
          anyLabel="All profiles"
          onChange={(v) => setFilter('profile', v)}
        />
        <SelectFilter
          label="Resource"
          value={resource}
          choices={(resources.data ?? []).map((option) => option.name)}
          anyLabel="All resources"
          onChange={(v) => setFilter('resource', v)}
        />
      </form>
      <QueryView
        query={findings}
        what="drift findings"
        isEmpty={(list) => list.every((finding) => inProfile !== undefined && !inProfile.has(finding.resource))}
        empty={
          filtered
            ? 'No drift finding matches these filters.'
            : 'No drift findings: every observed resource matches its baseline.'
        }
      >
        {(list) => {
          const shown = list.filter((finding) => inProfile === undefined || inProfile.has(finding.resource));
          return (
            <>
              {list.length === LIMIT && (
                <p className="notice">
                  Showing the {LIMIT} most recently seen findings: narrow the filters to see others.
                </p>
              )}
              <div className="table-wrap">
                <table data-testid="drift-table">
                  <caption className="visually-hidden">{shown.length} drift findings, most recently seen first</caption>
                  <thead>
                    <tr>
                      <th scope="col">Resource</th>
                      <th scope="col">Check</th>
                      <th scope="col">Severity</th>
                      <th scope="col">What differs</th>
                      <th scope="col">Status</th>
                      <th scope="col">First seen</th>
                      <th scope="col">Last seen</th>
                    </tr>
                  </thead>
                  <tbody>
                    {shown.map((finding) => (
                      <tr key={finding.id}>
                        <td>
                          <Link href={`/resources/${encodeURIComponent(finding.resource)}`}>{finding.resource}</Link>
                        </td>
                        <td>
                          <code>{finding.check}</code>
                        </td>
                        <td>
                          <SeverityBadge severity={finding.severity} />
                        </td>
                        <td>{finding.message}</td>
                        <td>
                          {finding.status === 'open' ? (
                            <span className="badge warn">open</span>
                          ) : (
                            <>
                              resolved <Time iso={finding.resolvedAt} />
                            </>
                          )}
                        </td>
                        <td>
                          <Time iso={finding.firstSeen} />
                        </td>
                        <td>
                          <Time iso={finding.lastSeen} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          );
        }}
      </QueryView>
    </Layout>
  );
}
