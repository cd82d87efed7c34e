/**
 * The `webhook` provider (SPEC §2.11): asks an external system to grant, revoke, execute or observe by a signed
 * HTTP POST (scheme in `webhook-signing.ts`) to the URL in the environment variable the profile names
 * (`urlEnv`), signed with the secret in `secretEnv`; neither is ever in policy YAML.
 *
 * Request body (JSON):
 *
 *     { "operation": "grant" | "revoke" | "execute" | "observe",
 *       "request": { "id", "identity" }, "resource": { "name", "profile", "labels", "attributes" },
 *       "action": { "name", "settings" }, "params": { … }, "expiresAt": <epoch ms>, "handle"?: { … } }
 *
 * `revoke` carries `resource` and `handle` only; `observe` carries `resource` only. Headers add
 * `Countersign-Operation` and `Countersign-Idempotency-Key` (`<request id>:<operation>`, or a digest of the
 * handle for revoke): the same on every retry, so a receiver can avoid acting twice.
 *
 * Expected 2xx responses: `grant` → `{ handle: {…}, credential?: { name: value }, expiresAt?: <epoch ms> }`
 * (an `expiresAt` later than asked is cut back to the asked one); `execute` → `{ output: {…}, summary: {…} }`;
 * `observe` → the configuration object; `revoke` → any body. Network failures, timeouts, 408, 429 and 5xx
 * are retried with exponential backoff up to `maxAttempts` (default 3); other statuses are final. Failures
 * are `provider_failed` naming the status, never the URL, the secret or the receiver's text.
 */
import type { JsonObject } from '../../audit/audit-event.js';
import { canonicalDigest, canonicalJson } from '../../core/canonical-json.js';
import { parseDurationSeconds } from '../../core/duration.js';
import { AppError } from '../../core/errors.js';
import type { Resource, ResourceProfile } from '../../policy/model.js';
import type { ExecuteResult, GrantResult, ManagedCredential, Provider, ProviderCall } from '../provider.js';
import { describeOutcome, isRetryable, parseWebhookUrl, postSigned, type PostOutcome } from './signed-post.js';

export const DEFAULT_WEBHOOK_TIMEOUT_SECONDS = 10;

export interface WebhookProviderOptions {
  /** Where `urlEnv` and `secretEnv` are read (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Attempts per call, first included (default 3). */
  readonly maxAttempts?: number;
  /** Delay before the second attempt; doubles each time (default 500 ms). */
  readonly retryBaseMs?: number;
  /** Epoch milliseconds for signing timestamps (default `Date.now`). */
  readonly now?: () => number;
}

type Operation = 'grant' | 'revoke' | 'execute' | 'observe';

interface Target {
  readonly url: URL;
  readonly secret: string;
  readonly timeoutMs: number;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function resourceBody(resource: Resource): JsonObject {
  return {
    name: resource.name,
    profile: resource.profile,
    labels: { ...resource.labels },
    attributes: { ...resource.attributes },
  };
}

export class WebhookProvider implements Provider {
  readonly type = 'webhook' as const;
  readonly #env: Readonly<Record<string, string | undefined>>;
  readonly #maxAttempts: number;
  readonly #retryBaseMs: number;
  readonly #now: () => number;

  constructor(options: WebhookProviderOptions = {}) {
    this.#env = options.env ?? process.env;
    this.#maxAttempts = Math.max(1, Math.min(options.maxAttempts ?? 3, 10));
    this.#retryBaseMs = Math.max(0, options.retryBaseMs ?? 500);
    this.#now = options.now ?? Date.now;
  }

  validateConfig(_resource: Resource, profile: ResourceProfile): readonly string[] {
    const problems: string[] = [];
    const { urlEnv, secretEnv, timeout } = profile.provider.settings;
    if (typeof urlEnv !== 'string') problems.push(`profile '${profile.name}' has no urlEnv`);
    else if (parseWebhookUrl(this.#env[urlEnv] ?? '') === undefined) {
      problems.push(`environment variable '${urlEnv}' does not hold an http(s) URL`);
    }
    if (typeof secretEnv !== 'string') problems.push(`profile '${profile.name}' has no secretEnv`);
    else if (!this.#env[secretEnv]) problems.push(`environment variable '${secretEnv}' is not set`);
    if (timeout !== undefined && (typeof timeout !== 'string' || parseDurationSeconds(timeout) === undefined)) {
      problems.push(`profile '${profile.name}' timeout is not a duration`);
    }
    return problems;
  }

  async grant(call: ProviderCall): Promise<GrantResult> {
    const response = await this.#call(
      'grant',
      call.profile,
      this.#callBody('grant', call, call.action.grant),
      call.requestId,
    );
    const { handle, credential, expiresAt } = response;
    const validCredential =
      credential === undefined ||
      (isObject(credential) && Object.values(credential).every((value) => typeof value === 'string'));
    if (!isObject(handle) || !validCredential || (expiresAt !== undefined && typeof expiresAt !== 'number')) {
      throw this.#badResponse('grant', call.profile);
    }
    return {
      handle: handle as JsonObject,
      ...(credential === undefined ? {} : { credential: credential as Record<string, string> }),
      expiresAt: typeof expiresAt === 'number' ? Math.min(expiresAt, call.expiresAt) : call.expiresAt,
    };
  }

  async revoke(handle: JsonObject, resource: Resource, profile: ResourceProfile): Promise<void> {
    const body = { operation: 'revoke', resource: resourceBody(resource), handle };
    await this.#call('revoke', profile, body, `revoke-${canonicalDigest(handle).slice(0, 32)}`);
  }

  async execute(call: ProviderCall): Promise<ExecuteResult> {
    const response = await this.#call(
      'execute',
      call.profile,
      this.#callBody('execute', call, call.action.execute),
      call.requestId,
    );
    if (!isObject(response.output) || !isObject(response.summary)) throw this.#badResponse('execute', call.profile);
    return { output: response.output as JsonObject, summary: response.summary as JsonObject };
  }

  async observe(resource: Resource, profile: ResourceProfile): Promise<Record<string, unknown>> {
    return this.#call(
      'observe',
      profile,
      { operation: 'observe', resource: resourceBody(resource) },
      `observe-${resource.name}`,
    );
  }

  /** The external system keeps its own inventory; none is asked for here. */
  async listManaged(): Promise<readonly ManagedCredential[]> {
    return [];
  }

  cannotList(): string {
    return 'the external system keeps its own inventory';
  }

  #callBody(
    operation: Operation,
    call: ProviderCall,
    settings: Readonly<Record<string, unknown>> | undefined,
  ): JsonObject {
    return JSON.parse(
      canonicalJson({
        operation,
        request: { id: call.requestId, identity: call.identity },
        resource: resourceBody(call.resource),
        action: { name: call.action.name, settings: settings ?? {} },
        params: call.params,
        expiresAt: call.expiresAt,
      }),
    ) as JsonObject;
  }

  #target(profile: ResourceProfile): Target {
    const { urlEnv, secretEnv, timeout } = profile.provider.settings;
    if (typeof urlEnv !== 'string' || typeof secretEnv !== 'string') {
      throw new AppError('invalid', `profile '${profile.name}' needs urlEnv and secretEnv for the webhook provider`);
    }
    const url = parseWebhookUrl(this.#env[urlEnv] ?? '');
    if (url === undefined) {
      throw new AppError('provider_failed', `environment variable '${urlEnv}' does not hold an http(s) URL`);
    }
    const secret = this.#env[secretEnv];
    if (!secret) throw new AppError('provider_failed', `environment variable '${secretEnv}' is not set`);
    const seconds =
      (typeof timeout === 'string' ? parseDurationSeconds(timeout) : undefined) ?? DEFAULT_WEBHOOK_TIMEOUT_SECONDS;
    return { url, secret, timeoutMs: seconds * 1000 };
  }

  /** Posts with retries; resolves with the 2xx response's JSON object. */
  async #call(
    operation: Operation,
    profile: ResourceProfile,
    body: JsonObject,
    idempotencyKey: string,
  ): Promise<Record<string, unknown>> {
    const target = this.#target(profile);
    const text = canonicalJson(body);
    const headers = {
      'Countersign-Operation': operation,
      'Countersign-Idempotency-Key': `${idempotencyKey}:${operation}`,
    };
    let outcome: PostOutcome | undefined;
    for (let attempt = 1; attempt <= this.#maxAttempts; attempt += 1) {
      if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, this.#retryBaseMs * 2 ** (attempt - 2)));
      outcome = await postSigned({
        url: target.url,
        secret: target.secret,
        body: text,
        headers,
        timeoutMs: target.timeoutMs,
        nowMs: this.#now(),
      });
      if (outcome.kind === 'response' && outcome.status >= 200 && outcome.status < 300) break;
      if (!isRetryable(outcome)) break;
    }
    if (outcome === undefined || outcome.kind === 'network' || outcome.status < 200 || outcome.status >= 300) {
      const what = outcome === undefined ? 'no attempt' : describeOutcome(outcome);
      throw new AppError('provider_failed', `webhook ${operation} for profile '${profile.name}' failed: ${what}`, {
        operation,
        ...(outcome?.kind === 'response' ? { status: outcome.status } : {}),
        retryable: outcome === undefined || isRetryable(outcome),
      });
    }
    if (operation === 'revoke') return {};
    let parsed: unknown;
    try {
      parsed = outcome.truncated ? undefined : JSON.parse(outcome.body);
    } catch {
      parsed = undefined;
    }
    if (!isObject(parsed)) throw this.#badResponse(operation, profile);
    return parsed;
  }

  #badResponse(operation: Operation, profile: ResourceProfile): AppError {
    return new AppError(
      'provider_failed',
      `webhook ${operation} for profile '${profile.name}' answered with an unexpected body`,
      {
        operation,
      },
    );
  }
}
