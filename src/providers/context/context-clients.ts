/**
 * The documented endpoints each context source calls, and how their answers become `ContextValue`s:
 * - PagerDuty: `GET /oncalls?schedule_ids[]=…&escalation_policy_ids[]=…&include[]=users` with
 *   `Authorization: Token token=…` (REST API v2, "List all of the on-calls");
 * - Opsgenie: `GET /v2/schedules/{id}/on-calls?flat=true` with `Authorization: GenieKey …` (Schedule API, "Get
 *   on-calls"), whose flat answer lists the recipients' usernames, which are e-mail addresses;
 * - Jira: `GET /rest/api/2/issue/{key}?fields=status,assignee` with basic auth (account e-mail and API token) or a
 *   bearer token (personal access token); a 404 means the issue does not exist;
 * - http: `GET` of a path template under the base URL, with the declared fields read by JSON path.
 * Every value from the request that goes into a URL is encoded as one path segment (or query value) and the
 * URL is checked to stay under the base URL. Answers that do not have the documented shape are failures.
 */
import type { ContextSource, ContextValue, HttpSource, ServiceUser } from '../../policy/context-sources.js';
import { getJson, pathSegment, urlUnder } from './context-get.js';

/** What a request contributes to a lookup: the values a template or a ticket lookup may use. */
export interface LookupInput {
  readonly requester: string;
  readonly resource: string;
  readonly action: string;
  readonly profile: string;
  readonly ticket?: string;
}

export type LookupOutcome =
  { readonly ok: true; readonly value: ContextValue } | { readonly ok: false; readonly reason: string };

/** One lookup: the URL it would GET (its cache key) and how to run it. */
export interface PlannedLookup {
  readonly key: string;
  run(timeoutMs: number): Promise<LookupOutcome>;
}

const MAX_USERS = 500;
const MAX_PAGES = 5;
/** Jira issue keys (`OPS-123`) and numeric issue ids; anything else names no issue. */
const ISSUE_KEY = /^(?:[A-Za-z][A-Za-z0-9_]{0,49}-\d{1,12}|\d{1,18})$/;

type Env = Readonly<Record<string, string | undefined>>;

function credential(env: Env, name: string | undefined): { ok: true; value: string } | { ok: false; reason: string } {
  if (name === undefined) return { ok: true, value: '' };
  const value = env[name];
  return value === undefined || value === ''
    ? { ok: false, reason: `environment variable ${name} is not set` }
    : { ok: true, value };
}

function object(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value.slice(0, 320) : undefined;
}

function user(raw: unknown): ServiceUser | undefined {
  const u = object(raw);
  const id = str(u?.['id']) ?? str(u?.['accountId']) ?? str(u?.['name']);
  if (id === undefined) return undefined;
  const email = str(u?.['email']) ?? str(u?.['emailAddress']);
  const name = str(u?.['name']) ?? str(u?.['summary']) ?? str(u?.['displayName']);
  return { id, ...(email !== undefined ? { email } : {}), ...(name !== undefined ? { name } : {}) };
}

const fail = (reason: string): LookupOutcome => ({ ok: false, reason });

function pagerDuty(source: Extract<ContextSource, { type: 'pagerduty' }>, env: Env): PlannedLookup | LookupOutcome {
  const token = credential(env, source.tokenEnv);
  if (!token.ok) return fail(token.reason);
  const url = urlUnder(source.baseUrl, '/oncalls');
  if (url === undefined) return fail('the base URL does not make a valid URL');
  for (const id of source.schedules) url.searchParams.append('schedule_ids[]', id);
  for (const id of source.escalationPolicies) url.searchParams.append('escalation_policy_ids[]', id);
  url.searchParams.append('include[]', 'users');
  url.searchParams.set('limit', '100');
  const headers = { authorization: `Token token=${token.value}`, accept: 'application/vnd.pagerduty+json;version=2' };
  return {
    key: url.toString(),
    async run(timeoutMs) {
      const users: ServiceUser[] = [];
      const started = Date.now();
      for (let page = 0; page < MAX_PAGES; page++) {
        const pageUrl = new URL(url);
        pageUrl.searchParams.set('offset', String(page * 100));
        const got = await getJson(pageUrl, headers, Math.max(1, timeoutMs - (Date.now() - started)));
        if (got.kind === 'failed') return fail(got.reason);
        const body = object(got.body);
        const oncalls = body?.['oncalls'];
        if (!Array.isArray(oncalls)) return fail("answered without an 'oncalls' list");
        for (const entry of oncalls) {
          const found = user(object(entry)?.['user']);
          if (found !== undefined && users.length < MAX_USERS && !users.some((u) => u.id === found.id))
            users.push(found);
        }
        if (body?.['more'] !== true) break;
      }
      return { ok: true, value: { kind: 'oncall', users } };
    },
  };
}

function opsgenie(source: Extract<ContextSource, { type: 'opsgenie' }>, env: Env): PlannedLookup | LookupOutcome {
  const token = credential(env, source.tokenEnv);
  if (!token.ok) return fail(token.reason);
  const segment = pathSegment(source.schedule);
  const url = segment === undefined ? undefined : urlUnder(source.baseUrl, `/v2/schedules/${segment}/on-calls`);
  if (url === undefined) return fail('the schedule does not make a valid URL');
  url.searchParams.set('flat', 'true');
  const headers = { authorization: `GenieKey ${token.value}` };
  return {
    key: url.toString(),
    async run(timeoutMs) {
      const got = await getJson(url, headers, timeoutMs);
      if (got.kind === 'failed') return fail(got.reason);
      const recipients = object(object(got.body)?.['data'])?.['onCallRecipients'];
      if (!Array.isArray(recipients)) return fail("answered without 'data.onCallRecipients'");
      const users = recipients
        .flatMap((r) => (typeof r === 'string' ? [{ id: r.slice(0, 320), email: r.slice(0, 320) }] : []))
        .slice(0, MAX_USERS);
      return { ok: true, value: { kind: 'oncall', users } };
    },
  };
}

function jira(
  source: Extract<ContextSource, { type: 'jira' }>,
  env: Env,
  input: LookupInput,
): PlannedLookup | LookupOutcome {
  const key = input.ticket?.trim() ?? '';
  // No ticket, or one that cannot be an issue key: known without asking (and nothing to put into a URL).
  if (key === '') return { ok: true, value: { kind: 'ticket', key: '', exists: false, status: '' } };
  if (!ISSUE_KEY.test(key)) return { ok: true, value: { kind: 'ticket', key, exists: false, status: '' } };
  const token = credential(env, source.tokenEnv);
  if (!token.ok) return fail(token.reason);
  const account = credential(env, source.auth === 'basic' ? source.userEnv : undefined);
  if (!account.ok) return fail(account.reason);
  const segment = pathSegment(key);
  const url = segment === undefined ? undefined : urlUnder(source.baseUrl, `/rest/api/2/issue/${segment}`);
  if (url === undefined) return fail('the ticket does not make a valid URL');
  url.searchParams.set('fields', 'status,assignee');
  const authorization =
    source.auth === 'basic'
      ? `Basic ${Buffer.from(`${account.value}:${token.value}`).toString('base64')}`
      : `Bearer ${token.value}`;
  return {
    key: url.toString(),
    async run(timeoutMs) {
      const got = await getJson(url, { authorization }, timeoutMs, { notFoundIsAnswer: true });
      if (got.kind === 'failed') return fail(got.reason);
      if (got.status === 404) return { ok: true, value: { kind: 'ticket', key, exists: false, status: '' } };
      const fields = object(object(got.body)?.['fields']);
      const status = str(object(fields?.['status'])?.['name']);
      if (status === undefined) return fail("answered without 'fields.status.name'");
      const assignee = user(fields?.['assignee']);
      return {
        ok: true,
        value: { kind: 'ticket', key, exists: true, status, ...(assignee !== undefined ? { assignee } : {}) },
      };
    },
  };
}

/** `$.a.b[0]` read from `value`; undefined when any step is missing. */
export function readJsonPath(value: unknown, path: string): unknown {
  let current = value;
  for (const [, name, index] of path.slice(1).matchAll(/\.([A-Za-z_][A-Za-z0-9_-]*)|\[(\d+)\]/g)) {
    if (name !== undefined) {
      const holder = object(current);
      current = holder !== undefined && Object.hasOwn(holder, name) ? holder[name] : undefined;
    } else current = Array.isArray(current) ? current[Number(index)] : undefined;
    if (current === undefined) return undefined;
  }
  return current;
}

function http(source: HttpSource, env: Env, input: LookupInput): PlannedLookup | LookupOutcome {
  const token = credential(env, source.tokenEnv);
  if (!token.ok) return fail(token.reason);
  let unsafe: string | undefined;
  const path = source.path.replace(/\{([a-z]+)\}/g, (_whole, name: string) => {
    const raw = String((input as unknown as Record<string, unknown>)[name] ?? '');
    const segment = pathSegment(raw);
    if (segment === undefined) unsafe ??= name;
    return segment ?? '';
  });
  if (unsafe !== undefined) return fail(`'{${unsafe}}' is empty or a dot segment, which cannot go into a URL`);
  const url = urlUnder(source.baseUrl, path);
  if (url === undefined) return fail('the path does not stay under the base URL');
  const headers: Record<string, string> =
    source.tokenEnv === undefined ? {} : { authorization: `Bearer ${token.value}` };
  return {
    key: url.toString(),
    async run(timeoutMs) {
      const got = await getJson(url, headers, timeoutMs);
      if (got.kind === 'failed') return fail(got.reason);
      const fields: Record<string, unknown> = {};
      for (const [field, jsonPath] of Object.entries(source.fields)) {
        const value = readJsonPath(got.body, jsonPath);
        // Bounded like everything else a decision records: a field is a value, not a document.
        fields[field] = value === undefined ? null : JSON.stringify(value).length > 4096 ? null : value;
      }
      return { ok: true, value: { kind: 'fields', fields } };
    },
  };
}

/** The lookup `source` makes for `input`, or its outcome when it needs no call (or cannot make one). */
export function planLookup(source: ContextSource, env: Env, input: LookupInput): PlannedLookup | LookupOutcome {
  switch (source.type) {
    case 'pagerduty':
      return pagerDuty(source, env);
    case 'opsgenie':
      return opsgenie(source, env);
    case 'jira':
      return jira(source, env, input);
    case 'http':
      return http(source, env, input);
  }
}
