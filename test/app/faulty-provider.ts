/**
 * A test wrapper around any provider: counts the calls of each operation and makes chosen operations fail a
 * number of times or always. Tests use it to prove that a revoke happens exactly once, and to simulate a
 * target that is down — without any test-only branch in src/.
 */
import { randomBytes } from 'node:crypto';
import type { JsonObject } from '../../src/audit/audit-event.js';
import { NoopProvider } from '../../src/providers/noop/noop-provider.js';
import type { ProviderType, Resource, ResourceProfile } from '../../src/policy/model.js';
import type {
  ExecuteResult,
  GrantResult,
  ManagedCredential,
  Provider,
  ProviderCall,
} from '../../src/providers/provider.js';

export type ProviderOperation = 'grant' | 'revoke' | 'execute' | 'observe' | 'listManaged';

export class ProviderFault extends Error {
  override readonly name = 'ProviderFault';
}

export class FaultyProvider implements Provider {
  readonly calls: Record<ProviderOperation, number> = { grant: 0, revoke: 0, execute: 0, observe: 0, listManaged: 0 };
  /** Handles passed to `revoke`, in call order. */
  readonly revokedHandles: JsonObject[] = [];
  readonly #failures = new Map<ProviderOperation, number>();
  readonly #hooks = new Map<ProviderOperation, () => Promise<void>>();

  constructor(
    private readonly inner: Provider,
    /** Registered under this type (default: the wrapped provider's). */
    readonly type: ProviderType = inner.type,
  ) {}

  /** Makes the next `times` calls of `operation` throw (`Infinity` for always). */
  failNext(operation: ProviderOperation, times = 1): this {
    this.#failures.set(operation, times);
    return this;
  }

  failAlways(operation: ProviderOperation): this {
    return this.failNext(operation, Number.POSITIVE_INFINITY);
  }

  /**
   * Runs `hook` on the next call of `operation`, before it does anything: lets a test change the world while
   * the provider is working (no transaction is open then), e.g. cancel the request being activated.
   */
  during(operation: ProviderOperation, hook: () => Promise<void>): this {
    this.#hooks.set(operation, hook);
    return this;
  }

  heal(operation?: ProviderOperation): this {
    if (operation === undefined) this.#failures.clear();
    else this.#failures.delete(operation);
    return this;
  }

  resetCounts(): void {
    for (const key of Object.keys(this.calls) as ProviderOperation[]) this.calls[key] = 0;
    this.revokedHandles.length = 0;
  }

  validateConfig(resource: Resource, profile: ResourceProfile): readonly string[] {
    return this.inner.validateConfig(resource, profile);
  }

  async grant(call: ProviderCall): Promise<GrantResult> {
    await this.#enter('grant');
    return this.inner.grant(call);
  }

  intendedHandle(call: ProviderCall): JsonObject | undefined {
    return this.inner.intendedHandle?.(call);
  }

  async revoke(handle: JsonObject, resource: Resource, profile: ResourceProfile): Promise<void> {
    this.revokedHandles.push(handle);
    await this.#enter('revoke');
    return this.inner.revoke(handle, resource, profile);
  }

  async execute(call: ProviderCall): Promise<ExecuteResult> {
    await this.#enter('execute');
    return this.inner.execute(call);
  }

  async observe(resource: Resource, profile: ResourceProfile): Promise<Record<string, unknown>> {
    await this.#enter('observe');
    return this.inner.observe(resource, profile);
  }

  async listManaged(resource: Resource, profile: ResourceProfile): Promise<readonly ManagedCredential[]> {
    await this.#enter('listManaged');
    return this.inner.listManaged(resource, profile);
  }

  /** Counts the call, then throws if a failure is scheduled for it. */
  async #enter(operation: ProviderOperation): Promise<void> {
    this.calls[operation] += 1;
    const hook = this.#hooks.get(operation);
    if (hook !== undefined) {
      this.#hooks.delete(operation);
      await hook();
    }
    const remaining = this.#failures.get(operation) ?? 0;
    if (remaining <= 0) return;
    this.#failures.set(operation, remaining - 1);
    throw new ProviderFault(`simulated ${operation} failure (${this.calls[operation]})`);
  }
}

/**
 * A provider that, like the real `postgres` one, hands out a login with a password on each grant: tests use it to
 * prove the credential reaches the requester once and is never stored or logged.
 */
export class CredentialProvider extends NoopProvider {
  readonly issued: string[] = [];

  override async grant(call: ProviderCall): Promise<GrantResult> {
    const password = `pw-${randomBytes(12).toString('hex')}`;
    this.issued.push(password);
    return {
      handle: { login: `cs_${call.requestId}` },
      credential: { username: `cs_${call.requestId}`, password },
      expiresAt: call.expiresAt,
    };
  }

  override intendedHandle(call: ProviderCall): JsonObject {
    return { login: `cs_${call.requestId}` };
  }
}
