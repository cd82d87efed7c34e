/**
 * Helpers for web-console session tests: sign in over HTTP (an API token or a login link) and call the app as
 * a browser would, with the `cs_session` cookie and, when asked, the `X-CSRF-Token` header and an `Origin`.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

export const HOST = 'countersign.test';
export const OWN_ORIGIN = `http://${HOST}`;

export interface BrowserSession {
  readonly secret: string;
  readonly csrfToken: string;
  readonly sessionId: string;
  readonly setCookie: string;
}

/** The `Set-Cookie` header for `name`, as one string. */
export function setCookieOf(response: LightMyRequestResponse, name: string): string | undefined {
  const header = response.headers['set-cookie'];
  const all = header === undefined ? [] : Array.isArray(header) ? header : [header];
  return all.find((cookie) => cookie.startsWith(`${name}=`));
}

export function cookieValue(setCookie: string): string {
  return setCookie.slice(setCookie.indexOf('=') + 1).split(';')[0] ?? '';
}

/** Signs in at `url` (`/v1/session` with `{ token }`, `/v1/session/link` with `{ link }`); throws unless 201. */
export async function signIn(
  http: FastifyInstance,
  url: '/v1/session' | '/v1/session/link',
  payload: Record<string, string>,
): Promise<BrowserSession> {
  const response = await http.inject({ method: 'POST', url, headers: { host: HOST }, payload });
  if (response.statusCode !== 201) throw new Error(`sign-in answered ${response.statusCode}: ${response.body}`);
  const setCookie = setCookieOf(response, 'cs_session');
  if (setCookie === undefined) throw new Error('sign-in set no cs_session cookie');
  const body = response.json<{ csrfToken: string; sessionId: string }>();
  return { secret: cookieValue(setCookie), csrfToken: body.csrfToken, sessionId: body.sessionId, setCookie };
}

export interface BrowserCall {
  readonly csrf?: string;
  readonly origin?: string;
  readonly bearer?: string;
  readonly payload?: unknown;
  /** Mark the call as made by a person at the page (`X-Countersign-Activity: user`), as the console does. */
  readonly active?: boolean;
}

/** A request as the console's browser makes it: the session cookie, plus what `call` adds. */
export function browser(
  http: FastifyInstance,
  session: Pick<BrowserSession, 'secret'>,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  url: string,
  call: BrowserCall = {},
): Promise<LightMyRequestResponse> {
  return http.inject({
    method,
    url,
    headers: {
      host: HOST,
      cookie: `cs_session=${session.secret}`,
      ...(call.csrf === undefined ? {} : { 'x-csrf-token': call.csrf }),
      ...(call.origin === undefined ? {} : { origin: call.origin }),
      ...(call.bearer === undefined ? {} : { authorization: `Bearer ${call.bearer}` }),
      ...(call.active === true ? { 'x-countersign-activity': 'user' } : {}),
    },
    ...(call.payload === undefined ? {} : { payload: call.payload as Record<string, unknown> }),
  });
}
