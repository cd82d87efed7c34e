import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppError } from '../../core/errors.js';
import { isAppError } from '../../core/errors.js';
import { exitCodeFor } from '../exit-codes.js';
import { ApiClient, DEFAULT_SERVER_URL, resolveClientConfig } from './http-client.js';

const TOKEN = `cs_${'x'.repeat(43)}`;

async function failure(work: () => Promise<unknown> | unknown): Promise<AppError> {
  try {
    await work();
  } catch (error) {
    if (isAppError(error)) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}

describe('resolving the server and the token', () => {
  it.each([
    ['the default', {}, {}, DEFAULT_SERVER_URL],
    ['the environment', {}, { COUNTERSIGN_URL: 'https://cs.example.org' }, 'https://cs.example.org'],
    [
      '--server before the environment',
      { server: 'http://10.0.0.1:9000/' },
      { COUNTERSIGN_URL: 'https://x.example' },
      'http://10.0.0.1:9000',
    ],
    ['a base path, kept', { server: 'https://gw.example.org/countersign' }, {}, 'https://gw.example.org/countersign'],
    ['credentials in the URL, never shown', { server: 'https://user:pw@cs.example.org' }, {}, 'https://cs.example.org'],
  ])('takes %s', (_name, options, env, display) => {
    expect(resolveClientConfig(options, env).displayUrl).toBe(display);
  });

  it('takes --token before COUNTERSIGN_TOKEN, and treats a blank one as missing', () => {
    expect(resolveClientConfig({ token: 'cs_a' }, { COUNTERSIGN_TOKEN: 'cs_b' }).token).toBe('cs_a');
    expect(resolveClientConfig({}, { COUNTERSIGN_TOKEN: 'cs_b' }).token).toBe('cs_b');
    expect(resolveClientConfig({ token: '  ' }, {}).token).toBeUndefined();
  });

  it('refuses a token with a space or control character without repeating it', async () => {
    const error = await failure(() => resolveClientConfig({ token: 'cs_secret value' }, {}));
    expect(error.code).toBe('unauthenticated');
    expect(error.message).not.toContain('secret');
  });

  it.each([
    ['not a URL', { server: 'not a url' }],
    ['another scheme', { server: 'ftp://example.org' }],
    ['a malformed timeout', { timeout: 'soon' }],
  ])('a server option that is %s is a usage error', async (_name, options) => {
    expect((await failure(() => resolveClientConfig(options, {}))).code).toBe('invalid');
  });
});

describe('turning answers into results and errors', () => {
  let server: Server;
  let client: ApiClient;
  const answers = new Map<string, (request: IncomingMessage, response: ServerResponse) => void>();
  const problem = (status: number, body: unknown) => (_request: IncomingMessage, response: ServerResponse) =>
    response.writeHead(status, { 'content-type': 'application/problem+json' }).end(JSON.stringify(body));

  beforeAll(async () => {
    server = createServer((request, response) => {
      const answer = answers.get(new URL(request.url ?? '/', 'http://x').pathname);
      if (answer) answer(request, response);
      else response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    client = new ApiClient(resolveClientConfig({ server: `http://127.0.0.1:${port}/base`, token: TOKEN }, {}));
    answers.set('/base/v1/echo', (request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () =>
        response.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            method: request.method,
            url: request.url,
            authorization: request.headers.authorization,
            body: Buffer.concat(chunks).toString(),
          }),
        ),
      );
    });
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('sends the bearer token, the JSON body and the query below the base path', async () => {
    expect(await client.post('/v1/echo', { a: 1 })).toEqual({
      method: 'POST',
      url: '/base/v1/echo',
      authorization: `Bearer ${TOKEN}`,
      body: '{"a":1}',
    });
    expect(await client.get('/v1/echo', { status: 'pending,active', limit: 5, skip: undefined })).toMatchObject({
      url: '/base/v1/echo?status=pending%2Cactive&limit=5',
    });
  });

  it.each([
    [
      'a 403 policy_denied',
      problem(403, { code: 'policy_denied', detail: 'no writes on Fridays' }),
      'policy_denied',
      1,
    ],
    ['a 403 sod_violation', problem(403, { code: 'sod_violation', detail: 'rule x' }), 'sod_violation', 1],
    ['a 400 invalid', problem(400, { code: 'invalid', detail: 'bad duration' }), 'invalid', 2],
    ['a 401', problem(401, { code: 'unauthenticated', detail: 'token expired' }), 'unauthenticated', 3],
    [
      'a 503 audit_unavailable',
      problem(503, { code: 'audit_unavailable', detail: 'audit down' }),
      'audit_unavailable',
      4,
    ],
    [
      'a 502 with an HTML page',
      (_q: IncomingMessage, r: ServerResponse) => r.writeHead(502).end('<html>'),
      'internal',
      4,
    ],
    ['a 403 with a code from a newer server', problem(403, { code: 'quota_exceeded', detail: 'q' }), 'forbidden', 1],
    ['a 409 without a body', (_q: IncomingMessage, r: ServerResponse) => r.writeHead(409).end(), 'conflict', 1],
  ] as const)('%s keeps its code and exit code', async (_name, answer, code, exit) => {
    answers.set('/base/v1/case', answer);
    const error = await failure(() => client.get('/v1/case'));
    expect(error.code).toBe(code);
    expect(exitCodeFor(error)).toBe(exit);
  });

  it('shows the detail with the reasons below it', async () => {
    answers.set(
      '/base/v1/case',
      problem(403, {
        code: 'sod_violation',
        detail: "'alice' requested 'req_1' and cannot approve it",
        reasons: [
          { code: 'sod.requester', message: "'alice' requested 'req_1' and cannot approve it" },
          { code: 'sod.other', message: 'and another reason' },
        ],
      }),
    );
    const error = await failure(() => client.post('/v1/case'));
    expect(error.message).toBe("'alice' requested 'req_1' and cannot approve it\n  - and another reason");
  });

  it('never repeats the token, even when a server echoes it', async () => {
    answers.set('/base/v1/case', problem(401, { code: 'unauthenticated', detail: `token ${TOKEN} is unknown` }));
    const error = await failure(() => client.get('/v1/case'));
    expect(error.message).not.toContain(TOKEN);
    expect(error.message).toContain('token [token] is unknown');
    expect(JSON.stringify(error.details)).not.toContain(TOKEN);
  });

  it('a 200 that is not JSON is a server error naming the server', async () => {
    answers.set('/base/v1/case', (_request, response) => response.writeHead(200).end('hello'));
    const error = await failure(() => client.get('/v1/case'));
    expect(error.code).toBe('internal');
    expect(error.message).toContain('is it a Countersign server?');
  });

  it('a call without a token fails before reaching the network', async () => {
    const anonymous = new ApiClient(resolveClientConfig({ server: 'http://127.0.0.1:9' }, {}));
    const error = await failure(() => anonymous.get('/v1/me'));
    expect(error.code).toBe('unauthenticated');
    expect(exitCodeFor(error)).toBe(3);
  });
});
