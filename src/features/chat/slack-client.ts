/**
 * The Slack Web API as Countersign uses it: the official client (`@slack/web-api`) with the bot token of one
 * `slack` notifier, pointed at `apiUrl` (Slack's own by default; the tests' local fake otherwise). No retries by
 * the client (the outbox retries with backoff), method names can never leave `apiUrl`, and its own logging is off
 * (Countersign logs what it chooses). Errors are turned into our own short text: Slack's error code when it is
 * one of its plain codes (`channel_not_found`), never a body, a URL or the token.
 */
import { LogLevel, WebClient, type Logger } from '@slack/web-api';
import type { SlackNotifier } from '../../policy/model.js';

export const DEFAULT_SLACK_API_URL = 'https://slack.com/api/';

/** Where Slack is and where secrets come from: one per server, from `serve --slack-api-url` and the environment. */
export interface SlackSettings {
  /** Base URL of the Web API, ending in `/` (default Slack's). */
  readonly apiUrl?: string;
  /** Where each notifier's `tokenEnv` and `signingSecretEnv` are read (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Per-call timeout (default 10 s). */
  readonly timeoutMs?: number;
  /** The console's public URL (`serve --public-url`): messages link to the request's page there. */
  readonly publicUrl?: string;
}

const silent: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => LogLevel.ERROR,
  setName: () => undefined,
};

export function envOf(settings: SlackSettings): Readonly<Record<string, string | undefined>> {
  return settings.env ?? process.env;
}

/** A Web API client with `notifier`'s bot token, or our error when the token is not set. */
export function slackClient(settings: SlackSettings, notifier: SlackNotifier): WebClient | { readonly error: string } {
  const token = envOf(settings)[notifier.tokenEnv];
  if (!token) return { error: `environment variable '${notifier.tokenEnv}' is not set` };
  const apiUrl = settings.apiUrl ?? DEFAULT_SLACK_API_URL;
  return new WebClient(token, {
    slackApiUrl: apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    allowAbsoluteUrls: false,
    timeout: settings.timeoutMs ?? 10_000,
    logger: silent,
  });
}

/** Our text for a failed Web API call: `chat.postMessage: channel_not_found`, `chat.update: no answer`. */
export function slackFailure(method: string, error: unknown): string {
  const data = (error as { data?: { error?: unknown } } | undefined)?.data;
  const code = typeof data?.error === 'string' && /^[a-z0-9_]{1,60}$/.test(data.error) ? data.error : undefined;
  if (code !== undefined) return `${method}: ${code}`;
  const status = (error as { statusCode?: unknown } | undefined)?.statusCode;
  if (typeof status === 'number') return `${method}: HTTP ${status}`;
  if ((error as { retryAfter?: unknown } | undefined)?.retryAfter !== undefined) return `${method}: rate limited`;
  return `${method}: no answer`;
}

/** The console's page of one request, when the public URL is known. */
export function requestPageUrl(publicUrl: string | undefined, requestId: string): string | undefined {
  if (publicUrl === undefined) return undefined;
  return new URL(`requests/${encodeURIComponent(requestId)}`, publicUrl.endsWith('/') ? publicUrl : `${publicUrl}/`)
    .href;
}
