/**
 * Separation-of-duties conflicts (`GET /v1/sod/conflicts`, for `administer` or `audit` holders) with the
 * exceptions (`GET /v1/exceptions`) beside the conflicts they cover: the exception that suppresses a conflict
 * now, and any other one asked for the same identity and rule (pending, expired, revoked). Filterable by
 * identity, rule and whether an exception covers the conflict; the exceptions are listed whole below.
 */
import { useQuery } from '@tanstack/react-query';
import { api, data } from '../api/client';
import type { components } from '../api/schema';
import { Layout } from '../app/layout';
import { QueryView } from '../ui/states';
import { Time } from '../ui/time';
import { oneOf, useFilter } from '../ui/use-filter';
import { SearchFilter, SelectFilter } from '../ui/filter-fields';
import { ExceptionsTable, ExceptionSummary } from './sod/exceptions';

type SodConflict = components['schemas']['SodConflict'];
type SodException = components['schemas']['SodException'];

const COVERAGE = [
  ['uncovered', 'Not covered by an exception'],
  ['covered', 'Covered by an exception'],
] as const;
const COVERAGE_VALUES = COVERAGE.map(([value]) => value);

function matchesText(value: string, needle: string): boolean {
  return needle.trim() === '' || value.toLowerCase().includes(needle.trim().toLowerCase());
}

export function SodPage() {
  const [params, setFilter] = useFilter();
  const identity = params.get('identity') ?? '';
  const rule = params.get('rule') ?? '';
  const coverage = oneOf(COVERAGE_VALUES, params.get('coverage'));
  const scan = useQuery({
    queryKey: ['sod-conflicts'],
    queryFn: async () => data(await api.GET('/v1/sod/conflicts')),
  });
  const exceptions = useQuery({
    queryKey: ['exceptions'],
    queryFn: async () => data(await api.GET('/v1/exceptions')).exceptions,
  });
  const rules = [
    ...new Set([
      ...(scan.data?.conflicts ?? []).map((conflict) => conflict.rule),
      ...(exceptions.data ?? []).map((exception) => exception.rule),
    ]),
  ].sort();
  const keepConflict = (conflict: SodConflict) =>
    matchesText(conflict.identity, identity) &&
    (rule === '' || conflict.rule === rule) &&
    (coverage === undefined || (coverage === 'covered') === (conflict.exception !== null));
  const keepException = (exception: SodException) =>
    matchesText(exception.identity, identity) && (rule === '' || exception.rule === rule);

  return (
    <Layout title="SoD conflicts">
      <form className="filters" role="search" aria-label="Filter conflicts" onSubmit={(e) => e.preventDefault()}>
        <SearchFilter label="Identity" value={identity} onChange={(v) => setFilter('identity', v)} />
        <SelectFilter
          label="Rule"
          value={rule}
          choices={rules}
          anyLabel="All rules"
          onChange={(v) => setFilter('rule', v)}
        />
        <SelectFilter
          label="Exception"
          value={coverage ?? ''}
          choices={COVERAGE}
          anyLabel="Any"
          onChange={(v) => setFilter('coverage', v)}
        />
      </form>
      <section aria-labelledby="conflicts-heading">
        <h2 id="conflicts-heading">Conflicts</h2>
        <QueryView query={scan} what="conflicts">
          {(answer) => {
            const shown = answer.conflicts.filter(keepConflict);
            return (
              <>
                <p className="help">
                  Checked <Time iso={answer.at} /> across {answer.identities} identities and {answer.rules} rules:{' '}
                  {answer.unsuppressed} not covered, {answer.suppressed} covered by an exception.
                </p>
                {shown.length === 0 ? (
                  <p className="state state-empty">
                    {answer.conflicts.length === 0
                      ? 'No conflicts: nobody holds duties a rule keeps apart.'
                      : 'No conflict matches these filters.'}
                  </p>
                ) : (
                  <div className="table-wrap">
                    <table data-testid="sod-conflicts-table">
                      <thead>
                        <tr>
                          <th scope="col">Identity</th>
                          <th scope="col">Rule</th>
                          <th scope="col">Conflicting duties</th>
                          <th scope="col">Exceptions</th>
                        </tr>
                      </thead>
                      <tbody>
                        {shown.map((conflict) => (
                          <ConflictRow
                            key={`${conflict.identity}|${conflict.rule}|${conflict.profile ?? ''}`}
                            conflict={conflict}
                            exceptions={exceptions.data ?? []}
                          />
                        ))}
                      </tbody>
                    </table>
                  </div>
                )}
                {answer.humanOnly.length > 0 && (
                  <>
                    <h3>Duties only a human may hold</h3>
                    <ul>
                      {answer.humanOnly.map((finding) => (
                        <li key={`${finding.identity}|${finding.role}|${finding.duty}`}>{finding.message}</li>
                      ))}
                    </ul>
                  </>
                )}
              </>
            );
          }}
        </QueryView>
      </section>
      <section aria-labelledby="exceptions-heading">
        <h2 id="exceptions-heading">Exceptions</h2>
        <QueryView
          query={exceptions}
          what="exceptions"
          isEmpty={(list) => list.filter(keepException).length === 0}
          empty={identity !== '' || rule !== '' ? 'No exception matches these filters.' : 'No exceptions.'}
        >
          {(list) => <ExceptionsTable exceptions={list.filter(keepException)} />}
        </QueryView>
      </section>
    </Layout>
  );
}

function ConflictRow({ conflict, exceptions }: { conflict: SodConflict; exceptions: readonly SodException[] }) {
  const others = exceptions.filter(
    (exception) =>
      exception.identity === conflict.identity &&
      exception.rule === conflict.rule &&
      exception.id !== conflict.exception?.id,
  );
  return (
    <tr>
      <th scope="row">{conflict.identity}</th>
      <td>
        <code>{conflict.rule}</code>
        <div className="muted">
          {conflict.scope === 'global' ? 'everywhere' : `on profile ${conflict.profile ?? '?'}`}
        </div>
      </td>
      <td>
        {conflict.message}
        <ul className="compact">
          {conflict.holdings.map((holding) => (
            <li key={`${holding.duty}|${holding.role}|${holding.via}`}>
              {holding.duty} through role {holding.role} ({holding.assignment}, via {holding.via})
            </li>
          ))}
        </ul>
      </td>
      <td>
        {conflict.exception === null ? (
          <span className="badge danger">not covered</span>
        ) : (
          <ExceptionSummary exception={conflict.exception} covering />
        )}
        {others.map((exception) => (
          <ExceptionSummary key={exception.id} exception={exception} covering={false} />
        ))}
      </td>
    </tr>
  );
}
