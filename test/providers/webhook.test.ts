import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/core/errors.js';
import type { ResourceProfile } from '../../src/policy/model.js';
import type { ProviderCall } from '../../src/providers/provider.js';
import { WebhookProvider } from '../../src/providers/webhook/webhook-provider.js';
import { signatureFor, verifySignature } from '../../src/providers/webhook/webhook-signing.js';
import { makeAction, makeProfile, makeResource } from '../factories/profile.factory.js';
import {
  startReceiver,
  type Answer,
  type Received,
  type SignedReceiver,
} from '../features/notifications/signed-receiver.js';

const SECRET = 'whsec-test-5f2a9c';
const EXPIRES_AT = Date.now() + 3600_000;
const RESOURCE = makeResource({ name: 'crm', profile: 'saas', attributes: { tenant: 'acme' } });

function profile(timeout?: string): ResourceProfile {
  return makeProfile({
    name: 'saas',
    provider: {
      type: 'webhook',
      settings: { urlEnv: 'HOOK_URL', secretEnv: 'HOOK_SECRET', ...(timeout ? { timeout } : {}) },
    },
    actions: [
      makeAction({ name: 'admin', grant: { role: 'admin' } }),
      makeAction({ name: 'export', grant: undefined, execute: { format: 'csv' } }),
    ],
  });
}

function callOf(actionName: string, target = profile()): ProviderCall {
  const action = target.actions.get(actionName);
  if (action === undefined) throw new Error(`no action '${actionName}'`);
  return {
    requestId: 'req_w1',
    identity: 'alice',
    resource: RESOURCE,
    profile: target,
    action,
    params: { reason: 'INC-7' },
    expiresAt: EXPIRES_AT,
  };
}

/** A receiver answering with `answers` in turn (the last one repeats), and a provider pointed at it. */
async function setUp(answers: readonly Answer[], secret = SECRET, path = '/hooks/T000/B000/XSECRETPATHX') {
  const receiver = await startReceiver({
    secret: SECRET,
    respond: (_request, index) => answers[Math.min(index, answers.length - 1)] ?? { status: 200 },
  });
  open.push(receiver);
  const provider = new WebhookProvider({
    env: { HOOK_URL: `${receiver.url}${path}`, HOOK_SECRET: secret },
    retryBaseMs: 20,
  });
  return { receiver, provider };
}

const open: SignedReceiver[] = [];
afterAll(async () => {
  await Promise.all(open.map((receiver) => receiver.close()));
});

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

const bodyOf = (request: Received | undefined) => JSON.parse(request?.body ?? 'null') as Record<string, unknown>;

describe('webhook provider', () => {
  it('grant retries after a 503 and returns the handle, credential and expiry the receiver gave', async () => {
    const { receiver, provider } = await setUp([
      { status: 503 },
      {
        status: 200,
        body: { handle: { account: 'tmp-42' }, credential: { password: 'pw-1' }, expiresAt: EXPIRES_AT - 1000 },
      },
    ]);
    const granted = await provider.grant(callOf('admin'));
    expect(granted).toEqual({
      handle: { account: 'tmp-42' },
      credential: { password: 'pw-1' },
      expiresAt: EXPIRES_AT - 1000,
    });
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received.every((request) => request.refused === undefined)).toBe(true);
    expect(bodyOf(receiver.received[1])).toEqual({
      operation: 'grant',
      request: { id: 'req_w1', identity: 'alice' },
      resource: { name: 'crm', profile: 'saas', labels: { region: 'eu' }, attributes: { tenant: 'acme' } },
      action: { name: 'admin', settings: { role: 'admin' } },
      params: { reason: 'INC-7' },
      expiresAt: EXPIRES_AT,
    });
    const keys = receiver.received.map((request) => request.headers['countersign-idempotency-key']);
    expect(keys).toEqual(['req_w1:grant', 'req_w1:grant']);
    expect(receiver.received[0]?.headers['countersign-operation']).toBe('grant');
  });

  it('an expiry later than the one asked for is cut back to it', async () => {
    const { provider } = await setUp([{ status: 200, body: { handle: { id: 1 }, expiresAt: EXPIRES_AT + 99_000 } }]);
    expect((await provider.grant(callOf('admin'))).expiresAt).toBe(EXPIRES_AT);
  });

  it('a request signed with the wrong secret is refused by the receiver and not retried', async () => {
    const { receiver, provider } = await setUp([{ status: 200, body: { handle: {} } }], 'not-the-secret');
    const error = await failure(provider.grant(callOf('admin')));
    expect(error.code).toBe('provider_failed');
    expect(error.message).toBe("webhook grant for profile 'saas' failed: HTTP 401");
    expect(receiver.received.map((request) => request.refused)).toEqual(['bad signature']);
  });

  it.each([
    ['a 4xx is final', [{ status: 400 }], 1, 'HTTP 400', false],
    ['5xx is retried up to three attempts', [{ status: 503 }], 3, 'HTTP 503', true],
  ] as const)('%s', async (_name, answers, attempts, reason, retryable) => {
    const { receiver, provider } = await setUp(answers);
    const error = await failure(provider.execute(callOf('export')));
    expect(error.message).toBe(`webhook execute for profile 'saas' failed: ${reason}`);
    expect(error.details.retryable).toBe(retryable);
    expect(receiver.received).toHaveLength(attempts);
  });

  it('a receiver that does not answer in time counts as a failure', async () => {
    const { receiver } = await setUp([{ status: 200, body: {}, delayMs: 3000 }]);
    const provider = new WebhookProvider({
      env: { HOOK_URL: `${receiver.url}/slow`, HOOK_SECRET: SECRET },
      maxAttempts: 1,
    });
    const started = Date.now();
    const error = await failure(provider.execute(callOf('export', profile('1s'))));
    expect(error.message).toBe("webhook execute for profile 'saas' failed: timed out");
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('validateConfig names the environment variables that are missing or wrong', () => {
    const provider = new WebhookProvider({ env: { HOOK_URL: 'file:///etc/passwd' } });
    expect(provider.validateConfig(RESOURCE, profile())).toEqual([
      "environment variable 'HOOK_URL' does not hold an http(s) URL",
      "environment variable 'HOOK_SECRET' is not set",
    ]);
  });

  it('a refused connection is retried and then reported without the URL or the secret', async () => {
    const { receiver } = await setUp([{ status: 200 }]);
    const url = `${receiver.url}/hooks/XSECRETPATHX`;
    await receiver.close();
    const provider = new WebhookProvider({ env: { HOOK_URL: url, HOOK_SECRET: SECRET }, retryBaseMs: 10 });
    const error = await failure(provider.revoke({ account: 'tmp-42' }, RESOURCE, profile()));
    expect(error.message).toBe("webhook revoke for profile 'saas' failed: connection refused");
    const shown = JSON.stringify({ message: error.message, details: error.details });
    expect(shown).not.toContain('XSECRETPATHX');
    expect(shown).not.toContain(SECRET);
  });

  it('execute returns the output and summary the receiver sent', async () => {
    const { provider } = await setUp([{ status: 200, body: { output: { rows: 3 }, summary: { exported: 3 } } }]);
    expect(await provider.execute(callOf('export'))).toEqual({ output: { rows: 3 }, summary: { exported: 3 } });
  });

  it('revoke sends the handle and the resource, observe the resource', async () => {
    const { receiver, provider } = await setUp([{ status: 204 }, { status: 200, body: { mfa: true } }]);
    await provider.revoke({ account: 'tmp-42' }, RESOURCE, profile());
    expect(await provider.observe(RESOURCE, profile())).toEqual({ mfa: true });
    expect(
      receiver.received
        .map(bodyOf)
        .map((body) => [body.operation, body.handle ?? null, (body.resource as { name: string }).name]),
    ).toEqual([
      ['revoke', { account: 'tmp-42' }, 'crm'],
      ['observe', null, 'crm'],
    ]);
  });

  it.each([
    ['grant', { credential: { password: 'x' } }],
    ['grant', { handle: { id: 1 }, credential: { pin: 1234 } }],
    ['execute', { output: 'text', summary: {} }],
  ] as const)('%s answered with %j fails as an unexpected body', async (operation, body) => {
    const { provider } = await setUp([{ status: 200, body }]);
    const call = callOf(operation === 'grant' ? 'admin' : 'export');
    const error = await failure(operation === 'grant' ? provider.grant(call) : provider.execute(call));
    expect(error.message).toBe(`webhook ${operation} for profile 'saas' answered with an unexpected body`);
  });
});

describe('webhook signing', () => {
  const body = '{"a":1}';
  const now = 1_800_000_000_000;
  const timestamp = String(now / 1000);
  const signature = signatureFor(SECRET, now / 1000, body);

  it.each([
    ['the signed request', {}, true],
    ['another body', { body: '{"a":2}' }, false],
    ['another secret', { secret: 'other' }, false],
    ['a timestamp older than five minutes', { nowMs: now + 301_000 }, false],
    ['a timestamp from the future', { nowMs: now - 301_000 }, false],
    ['no signature', { signature: undefined }, false],
  ] as const)('verifySignature over %s says %s', (_name, change, ok) => {
    expect(verifySignature({ secret: SECRET, body, timestamp, signature, nowMs: now, ...change }).ok).toBe(ok);
  });
});
