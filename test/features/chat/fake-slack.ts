/**
 * A local fake of Slack (issue 13): Slack itself cannot run here, so the tests talk to this HTTP server built from
 * Slack's documented Web API shapes — `POST /api/<method>` with a bearer bot token and a form-encoded body (JSON
 * values such as `blocks` encoded as JSON strings, as `@slack/web-api` sends them), answering `{ "ok": true, … }` or
 * `{ "ok": false, "error": "<code>" }` with HTTP 200. Methods: `chat.postMessage` (`channel`, `ts`, `message`),
 * `chat.update`, `chat.postEphemeral` (`message_ts`), `users.info` and `users.lookupByEmail` (`user` with `id`,
 * `deleted`, `is_bot`, `is_email_confirmed`, `profile.email`). It also signs interaction requests as Slack does
 * (`v0:timestamp:body`, HMAC-SHA256 with the signing secret) and builds `block_actions` payloads.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeSlackUser {
  readonly id: string;
  readonly email?: string;
  readonly emailConfirmed?: boolean;
  readonly deleted?: boolean;
  readonly isBot?: boolean;
}

export interface SlackCall {
  readonly method: string;
  readonly token: string | undefined;
  readonly args: Record<string, unknown>;
}

export interface PostedMessage {
  readonly channel: string;
  readonly ts: string;
  text: string;
  blocks: readonly Record<string, unknown>[];
  updates: number;
}

export interface FakeSlack {
  /** Base URL of the Web API (`http://127.0.0.1:PORT/api/`). */
  readonly apiUrl: string;
  readonly calls: SlackCall[];
  readonly messages: PostedMessage[];
  /** The next call of `method` answers `{ ok: false, error }` (once per entry). */
  failNext(method: string, error: string): void;
  callsOf(method: string): SlackCall[];
  close(): Promise<void>;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function parseArgs(body: string, contentType: string | undefined): Record<string, unknown> {
  if (contentType?.startsWith('application/json')) return JSON.parse(body) as Record<string, unknown>;
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    args[key] = key === 'blocks' || key === 'attachments' ? (JSON.parse(value) as unknown) : value;
  }
  return args;
}

function userObject(user: FakeSlackUser): Record<string, unknown> {
  return {
    id: user.id,
    name: user.id.toLowerCase(),
    deleted: user.deleted === true,
    is_bot: user.isBot === true,
    is_email_confirmed: user.emailConfirmed === true,
    profile: user.email !== undefined ? { email: user.email } : {},
  };
}

/** Starts the fake with one workspace's bot token, users and channels. */
export async function startFakeSlack(options: {
  readonly token: string;
  readonly users: readonly FakeSlackUser[];
  readonly channels?: readonly string[];
}): Promise<FakeSlack> {
  const calls: SlackCall[] = [];
  const messages: PostedMessage[] = [];
  const failures: { method: string; error: string }[] = [];
  const channels = new Set(options.channels ?? []);
  let counter = 0;
  const users = new Map(options.users.map((user) => [user.id, user]));

  const answer = (method: string, args: Record<string, unknown>): Record<string, unknown> => {
    const failure = failures.findIndex((f) => f.method === method);
    if (failure >= 0) {
      const error = failures.splice(failure, 1)[0]?.error ?? 'internal_error';
      return { ok: false, error };
    }
    switch (method) {
      case 'chat.postMessage': {
        const target = String(args.channel ?? '');
        // A user id opens (or reuses) the app's DM with that user, whose channel id starts with D.
        const channel = users.has(target) ? `D${target.slice(1)}` : channels.has(target) ? target : undefined;
        if (channel === undefined) return { ok: false, error: 'channel_not_found' };
        if (args.text === undefined && args.blocks === undefined) return { ok: false, error: 'no_text' };
        counter += 1;
        const ts = `1768467600.${String(counter).padStart(6, '0')}`;
        const message = {
          channel,
          ts,
          text: String(args.text ?? ''),
          blocks: (args.blocks as Record<string, unknown>[] | undefined) ?? [],
          updates: 0,
        };
        messages.push(message);
        return { ok: true, channel, ts, message: { type: 'message', text: message.text, ts, blocks: message.blocks } };
      }
      case 'chat.update': {
        const message = messages.find((m) => m.channel === args.channel && m.ts === args.ts);
        if (message === undefined) return { ok: false, error: 'message_not_found' };
        message.text = String(args.text ?? '');
        message.blocks = (args.blocks as Record<string, unknown>[] | undefined) ?? [];
        message.updates += 1;
        return { ok: true, channel: message.channel, ts: message.ts, text: message.text };
      }
      case 'chat.postEphemeral': {
        if (!users.has(String(args.user ?? ''))) return { ok: false, error: 'user_not_in_channel' };
        counter += 1;
        return { ok: true, message_ts: `1768467600.${String(counter).padStart(6, '0')}` };
      }
      case 'users.info': {
        const user = users.get(String(args.user ?? ''));
        return user === undefined ? { ok: false, error: 'user_not_found' } : { ok: true, user: userObject(user) };
      }
      case 'users.lookupByEmail': {
        const email = String(args.email ?? '').toLowerCase();
        const user = [...users.values()].find((u) => u.email?.toLowerCase() === email);
        return user === undefined ? { ok: false, error: 'users_not_found' } : { ok: true, user: userObject(user) };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  };

  const server: Server = createServer((request, response) => {
    void (async () => {
      const body = await readBody(request);
      const method = (request.url ?? '').replace(/^\/api\//, '').split('?')[0] ?? '';
      const auth = request.headers.authorization;
      const token = auth?.startsWith('Bearer ') ? auth.slice(7) : undefined;
      const args = parseArgs(body, request.headers['content-type']);
      calls.push({ method, token, args });
      const result = token !== options.token ? { ok: false, error: 'invalid_auth' } : answer(method, args);
      response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      response.end(JSON.stringify(result));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiUrl: `http://127.0.0.1:${port}/api/`,
    calls,
    messages,
    failNext: (method, error) => failures.push({ method, error }),
    callsOf: (method) => calls.filter((call) => call.method === method),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** The `actions` block's buttons of a posted message, by action id. */
export function buttonsOf(message: Pick<PostedMessage, 'blocks'>): Record<string, { value: string }> {
  const actions = message.blocks.find((block) => block.type === 'actions') as
    { elements: { action_id: string; value: string }[] } | undefined;
  return Object.fromEntries((actions?.elements ?? []).map((element) => [element.action_id, { value: element.value }]));
}

/** A `block_actions` payload as Slack sends it when `user` presses `actionId` on `message`. */
export function blockActionsPayload(input: {
  readonly user: string;
  readonly actionId: string;
  readonly value: string;
  readonly channel: string;
  readonly ts: string;
  readonly team?: string;
}): Record<string, unknown> {
  return {
    type: 'block_actions',
    user: { id: input.user, username: input.user.toLowerCase(), team_id: input.team ?? 'T0TEAM' },
    api_app_id: 'A0COUNTERSIGN',
    team: { id: input.team ?? 'T0TEAM', domain: 'acmepay' },
    container: { type: 'message', message_ts: input.ts, channel_id: input.channel, is_ephemeral: false },
    channel: { id: input.channel, name: 'directmessage' },
    trigger_id: '1234567890.0987654321.abcdef',
    response_url: 'https://hooks.slack.com/actions/T0TEAM/1/abc',
    actions: [
      {
        type: 'button',
        action_id: input.actionId,
        block_id: 'countersign_decision',
        value: input.value,
        action_ts: '1768467601.000001',
      },
    ],
  };
}

/** The form body and headers of an interaction request signed as Slack signs it. */
export function signInteraction(
  secret: string,
  payload: Record<string, unknown>,
  timestampSeconds: number,
): { body: string; headers: Record<string, string> } {
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  const timestamp = String(timestampSeconds);
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return {
    body,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': signature,
    },
  };
}
