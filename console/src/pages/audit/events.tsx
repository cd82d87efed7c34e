/**
 * The audit events table: filtered by resource, request or identity (and action), a page at a time in `seq`
 * order. The server decides what each filter takes in (a resource's events include those on its requests and
 * grants; an identity's, those it caused, those about it and those on its requests); filters combine. They live
 * in the address (`/audit?resource=payments-db`), so other pages can link here and a reload keeps them. Details
 * are shown as JSON text in a disclosure: React renders them as text, never as HTML.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useLocation, useSearch } from 'wouter';
import { api, data } from '../../api/client';
import type { components } from '../../api/schema';
import { QueryView } from '../../ui/states';
import { Time } from '../../ui/time';

type AuditEvent = components['schemas']['AuditEvent'];

export const AUDIT_PAGE_SIZE = 50;

/** The filters as the address holds them; empty strings are "any". */
export interface AuditFilters {
  readonly resource: string;
  readonly request: string;
  readonly identity: string;
  readonly action: string;
}

/** Each filter: its label, an example, and the longest value the server accepts. */
const FILTER_FIELDS: readonly (readonly [keyof AuditFilters, string, string, number])[] = [
  ['resource', 'Resource', 'payments-db', 63],
  ['request', 'Request', 'req_…', 100],
  ['identity', 'Identity', 'alice', 200],
  ['action', 'Action', 'request.approve', 200],
];

/** Subjects naming something the console has a page for, and where that page is. */
const SUBJECT_PAGES: Readonly<Record<string, string>> = {
  request: '/requests/',
  resource: '/resources/',
  policy_change: '/policy-changes/',
};

export function filtersFromSearch(search: string): AuditFilters {
  const params = new URLSearchParams(search);
  const get = (key: string) => params.get(key)?.trim() ?? '';
  return { resource: get('resource'), request: get('request'), identity: get('identity'), action: get('action') };
}

function searchFromFilters(filters: AuditFilters): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value !== '') params.set(key, value);
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/** The API's query for these filters, from `after`. */
function apiQuery(filters: AuditFilters, after: number | undefined) {
  return {
    limit: AUDIT_PAGE_SIZE,
    ...(after === undefined ? {} : { after }),
    ...(filters.resource === '' ? {} : { resource: filters.resource }),
    ...(filters.request === '' ? {} : { request: filters.request }),
    ...(filters.identity === '' ? {} : { identity: filters.identity }),
    ...(filters.action === '' ? {} : { action: filters.action }),
  };
}

/** A subject that names something the console has a page for links to it. */
function Subject({ subject }: { subject: string }) {
  const [kind, ...rest] = subject.split(':');
  const id = rest.join(':');
  const page = kind === undefined ? undefined : SUBJECT_PAGES[kind];
  if (page === undefined || id === '') return <>{subject}</>;
  return <Link href={`${page}${encodeURIComponent(id)}`}>{subject}</Link>;
}

function EventRow({ event }: { event: AuditEvent }) {
  return (
    <tr data-testid="audit-event">
      <td>{event.seq}</td>
      <td className="audit-time">
        <Time iso={event.time} />
      </td>
      <td>{event.actor}</td>
      <td>
        <code>{event.action}</code>
      </td>
      <td className="audit-subject">
        <Subject subject={event.subject} />
      </td>
      <td>
        <details className="audit-details">
          <summary>
            Details<span className="visually-hidden"> of event {event.seq}</span>
          </summary>
          <pre>{JSON.stringify(event.details, null, 2)}</pre>
          <p className="help">
            hash <code className="hash">{event.hash}</code>
            <br />
            previous <code className="hash">{event.prevHash}</code>
          </p>
        </details>
      </td>
    </tr>
  );
}

function FilterForm({ filters, onApply }: { filters: AuditFilters; onApply: (next: AuditFilters) => void }) {
  const [draft, setDraft] = useState(filters);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply({
      resource: draft.resource.trim(),
      request: draft.request.trim(),
      identity: draft.identity.trim(),
      action: draft.action.trim(),
    });
  };
  const empty: AuditFilters = { resource: '', request: '', identity: '', action: '' };
  return (
    <form className="filters" onSubmit={submit} aria-label="Filter audit events">
      {FILTER_FIELDS.map(([key, label, placeholder, maxLength]) => (
        <label key={key}>
          {label}
          <input
            name={key}
            value={draft[key]}
            placeholder={placeholder}
            maxLength={maxLength}
            onChange={(event) => setDraft({ ...draft, [key]: event.target.value })}
          />
        </label>
      ))}
      <div className="actions">
        <button type="submit" className="button primary">
          Filter
        </button>
        <button
          type="button"
          className="button secondary"
          onClick={() => {
            setDraft(empty);
            onApply(empty);
          }}
        >
          Clear
        </button>
      </div>
    </form>
  );
}

export function AuditEventsSection() {
  const search = useSearch();
  const [, navigate] = useLocation();
  const filters = filtersFromSearch(search);
  // Cursors of the pages before this one (the `after` each was read with), so "Previous" can go back.
  const [cursors, setCursors] = useState<readonly (number | undefined)[]>([]);
  const [after, setAfter] = useState<number | undefined>(undefined);

  const events = useQuery({
    queryKey: ['audit', 'events', filters, after],
    queryFn: async () => data(await api.GET('/v1/audit/events', { params: { query: apiQuery(filters, after) } })),
    placeholderData: keepPreviousData,
  });

  // The page is keyed by the address, so new filters start again at the first page.
  const apply = (next: AuditFilters) => navigate(`/audit${searchFromFilters(next)}`, { replace: true });
  const pageNumber = cursors.length + 1;

  return (
    <section aria-labelledby="audit-events-heading">
      <h2 id="audit-events-heading">Events</h2>
      <FilterForm filters={filters} onApply={apply} />
      <QueryView
        query={events}
        what="audit events"
        isEmpty={(page) => page.events.length === 0 && cursors.length === 0}
        empty="No audit event matches these filters."
      >
        {(page) => (
          <>
            <p className="help" aria-live="polite">
              Page {pageNumber}, oldest first
              {page.events.length > 0 &&
                `: seq ${page.events[0]?.seq ?? ''}–${page.events.at(-1)?.seq ?? ''} (${page.events.length} events)`}
              .
            </p>
            <div className="table-wrap">
              <table className="audit-events" aria-labelledby="audit-events-heading">
                <thead>
                  <tr>
                    <th scope="col">Seq</th>
                    <th scope="col">Time</th>
                    <th scope="col">Actor</th>
                    <th scope="col">Action</th>
                    <th scope="col">Subject</th>
                    <th scope="col">Details</th>
                  </tr>
                </thead>
                <tbody>
                  {page.events.map((event) => (
                    <EventRow key={event.seq} event={event} />
                  ))}
                </tbody>
              </table>
            </div>
            <nav className="actions pager" aria-label="Audit event pages">
              <button
                type="button"
                className="button secondary"
                disabled={cursors.length === 0}
                onClick={() => {
                  setAfter(cursors.at(-1));
                  setCursors(cursors.slice(0, -1));
                }}
              >
                Previous page
              </button>
              <button
                type="button"
                className="button secondary"
                disabled={page.next === null}
                onClick={() => {
                  if (page.next === null) return;
                  setCursors([...cursors, after]);
                  setAfter(page.next);
                }}
              >
                Next page
              </button>
            </nav>
          </>
        )}
      </QueryView>
    </section>
  );
}
