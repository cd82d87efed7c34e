/**
 * The `noop` provider (SPEC §2.11): provisions nothing and always succeeds. It backs tests, the demo and dry
 * runs, so it keeps no state that matters: its grant handle names the request, revoking is a no-op (and so
 * idempotent), and it reports no managed credentials, so reconciliation never finds an orphan.
 */
import type { JsonObject } from '../../audit/audit-event.js';
import type { ProviderType } from '../../policy/model.js';
import type { ExecuteResult, GrantResult, ManagedCredential, Provider, ProviderCall } from '../provider.js';

export class NoopProvider implements Provider {
  /**
   * `type` defaults to `noop`; the wiring of a dry run registers one instance per provider type a profile
   * names, so every profile works without touching a real system.
   */
  constructor(readonly type: ProviderType = 'noop') {}

  validateConfig(): readonly string[] {
    return [];
  }

  /** A handle that names the request and no credential: there is nothing to log in to. */
  async grant(call: ProviderCall): Promise<GrantResult> {
    return { handle: this.intendedHandle(call), expiresAt: call.expiresAt };
  }

  intendedHandle(call: ProviderCall): JsonObject {
    return { noop: call.requestId };
  }

  async revoke(): Promise<void> {}

  /** Nothing was provisioned, so nothing on a target holds an expiry: the grant row's is the only one. */
  async extend(): Promise<void> {}

  async execute(call: ProviderCall): Promise<ExecuteResult> {
    const output: JsonObject = { noop: true };
    return { output, summary: { noop: true, action: call.action.name } };
  }

  async observe(): Promise<Record<string, unknown>> {
    return {};
  }

  async listManaged(): Promise<readonly ManagedCredential[]> {
    return [];
  }
}
