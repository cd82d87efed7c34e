/**
 * Local fakes of the services context sources talk to. PagerDuty, Opsgenie and Jira cannot run here, so they are
 * SIMULATED: one HTTP server answers the documented endpoints with the documented shapes —
 * - PagerDuty REST API v2 `GET /oncalls` (`schedule_ids[]`, `escalation_policy_ids[]`, `include[]=users`,
 *   `limit`/`offset`/`more`), `Authorization: Token token=…`;
 * - Opsgenie `GET /v2/schedules/{id}/on-calls?flat=true` → `{ data: { onCallRecipients: [...] } }`,
 *   `Authorization: GenieKey …`;
 * - Jira REST v2 `GET /rest/api/2/issue/{key}?fields=status,assignee` → `{ key, fields: { status: { name },
 *   assignee: { accountId, emailAddress, displayName } } }` or 404 `{ errorMessages: [...] }`, basic or bearer;
 * - a generic JSON service under `/cmdb/` for the `http` source.
 * Tests change what is on call, the tickets, a delay or a failure, and read which requests arrived.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const PD_TOKEN = 'pd-test-token';
export const OG_KEY = 'og-test-key';
export const JIRA_USER = 'bot@example.com';
export const JIRA_TOKEN = 'jira-test-token';
export const CMDB_TOKEN = 'cmdb-test-token';

export interface FakeTicket {
  readonly status: string;
  readonly assigneeEmail?: string;
}

export interface SeenRequest {
  readonly method: string;
  /** The raw request target as it arrived on the wire (path and query, still encoded). */
  readonly url: string;
  readonly authorization: string | undefined;
}

export class FakeServices {
  /** PagerDuty: schedule id → e-mail addresses of the users on call. */
  readonly pagerDuty = new Map<string, string[]>();
  /** Opsgenie: schedule id → usernames (e-mail addresses) on call. */
  readonly opsgenie = new Map<string, string[]>();
  /** Jira: issue key → ticket. */
  readonly jira = new Map<string, FakeTicket>();
  /** The JSON service: path → body. */
  readonly json = new Map<string, unknown>();
  /** Milliseconds each answer waits before it is sent (a slow service). */
  delayMs = 0;
  /** An HTTP status every answer gets instead (a failing service). */
  failWith: number | undefined;
  /** Every endpoint answers 200 with a JSON body of another shape (a proxy or portal answering for it). */
  garbled = false;
  readonly seen: SeenRequest[] = [];
  #server: Server | undefined;
  #url = '';

  get url(): string {
    return this.#url;
  }

  async start(): Promise<void> {
    this.#server = createServer((req, res) => void this.#handle(req, res));
    await new Promise<void>((resolve) => this.#server?.listen(0, '127.0.0.1', resolve));
    this.#url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.#server?.closeAllConnections();
    await new Promise<void>((resolve) => this.#server?.close(() => resolve()));
  }

  reset(): void {
    this.pagerDuty.clear();
    this.opsgenie.clear();
    this.jira.clear();
    this.json.clear();
    this.delayMs = 0;
    this.failWith = undefined;
    this.garbled = false;
    this.seen.length = 0;
  }

  /** Requests that reached `pathPrefix`. */
  calls(pathPrefix: string): SeenRequest[] {
    return this.seen.filter((request) => request.url.startsWith(pathPrefix));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = req.url ?? '/';
    this.seen.push({ method: req.method ?? '', url: target, authorization: req.headers.authorization });
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    if (res.destroyed) return;
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (this.failWith !== undefined) return send(this.failWith, { error: 'simulated failure' });
    if (this.garbled) return send(200, { welcome: 'please sign in to the guest network' });
    const url = new URL(target, 'http://fake');
    const auth = req.headers.authorization;
    if (url.pathname === '/oncalls') {
      if (auth !== `Token token=${PD_TOKEN}`) return send(401, { error: { message: 'Unauthorized', code: 2006 } });
      const schedules = url.searchParams.getAll('schedule_ids[]');
      const withUsers = url.searchParams.getAll('include[]').includes('users');
      const oncalls = schedules.flatMap((id) =>
        (this.pagerDuty.get(id) ?? []).map((email, i) => ({
          escalation_level: 1,
          schedule: { id, type: 'schedule_reference' },
          user: withUsers
            ? { id: `PU${i}${id}`, type: 'user', name: email.split('@')[0], email }
            : { id: `PU${i}${id}`, type: 'user_reference', summary: email.split('@')[0] },
        })),
      );
      const offset = Number(url.searchParams.get('offset') ?? 0);
      const limit = Number(url.searchParams.get('limit') ?? 25);
      const page = oncalls.slice(offset, offset + limit);
      return send(200, { oncalls: page, limit, offset, more: offset + limit < oncalls.length, total: null });
    }
    const og = /^\/v2\/schedules\/([^/]+)\/on-calls$/.exec(url.pathname);
    if (og) {
      if (auth !== `GenieKey ${OG_KEY}`) return send(401, { message: 'Key format is not valid!', took: 0 });
      const id = decodeURIComponent(og[1] ?? '');
      const recipients = this.opsgenie.get(id);
      if (recipients === undefined) return send(404, { message: 'Schedule not found', took: 0 });
      return send(200, { data: { _parent: { id, name: id, enabled: true }, onCallRecipients: recipients }, took: 0.1 });
    }
    const issue = /^\/rest\/api\/2\/issue\/([^/]+)$/.exec(url.pathname);
    if (issue) {
      const basic = `Basic ${Buffer.from(`${JIRA_USER}:${JIRA_TOKEN}`).toString('base64')}`;
      if (auth !== basic && auth !== `Bearer ${JIRA_TOKEN}`) return send(401, { errorMessages: ['Unauthorized'] });
      const key = decodeURIComponent(issue[1] ?? '');
      const ticket = this.jira.get(key);
      if (ticket === undefined) {
        return send(404, {
          errorMessages: ['Issue does not exist or you do not have permission to see it.'],
          errors: {},
        });
      }
      const assignee =
        ticket.assigneeEmail === undefined
          ? null
          : { accountId: `acc-${ticket.assigneeEmail}`, emailAddress: ticket.assigneeEmail, displayName: 'someone' };
      return send(200, {
        id: '10001',
        key,
        fields: { status: { name: ticket.status, statusCategory: { key: 'indeterminate' } }, assignee },
      });
    }
    if (url.pathname.startsWith('/cmdb/')) {
      if (auth !== `Bearer ${CMDB_TOKEN}`) return send(401, { error: 'unauthorized' });
      const body = this.json.get(url.pathname);
      return body === undefined ? send(404, { error: 'not found' }) : send(200, body);
    }
    return send(404, { error: 'no such endpoint' });
  }
}

/** The environment variables the test policy names, set for the process (sources read them at each call). */
export function setSourceCredentials(): void {
  process.env['TEST_PD_TOKEN'] = PD_TOKEN;
  process.env['TEST_OG_KEY'] = OG_KEY;
  process.env['TEST_JIRA_USER'] = JIRA_USER;
  process.env['TEST_JIRA_TOKEN'] = JIRA_TOKEN;
  process.env['TEST_CMDB_TOKEN'] = CMDB_TOKEN;
}
