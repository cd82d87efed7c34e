/**
 * The `manual` provider (SPEC §2.11): for targets with no API, a human holding `provision` on the profile creates
 * the access by hand and confirms it in Countersign (`confirmProvisioning` in src/features/grants/manual-provisioning.verbs.ts),
 * which writes the grant itself; this provider is never asked to grant. When the grant ends, `revoke` succeeds at
 * once — Countersign's grant is over — and the teardown queues an urgent `deprovision.needed` notification asking
 * a provisioner to remove the access by hand. Nothing is observed or listed, and nothing is executed.
 */
import { AppError } from '../../core/errors.js';
import type { ExecuteResult, GrantResult, ManagedCredential, Provider, ProviderCall } from '../provider.js';

export class ManualProvider implements Provider {
  readonly type = 'manual' as const;

  validateConfig(): readonly string[] {
    return [];
  }

  /** Never called by the manual flow: a human confirms instead. Reaching it is a wiring error, refused loudly. */
  async grant(call: ProviderCall): Promise<GrantResult> {
    throw new AppError(
      'internal',
      `profile '${call.profile.name}' is provisioned by hand: a provisioner confirms request '${call.requestId}' instead`,
      { request: call.requestId, provider: 'manual' },
    );
  }

  /** Idempotent and immediate: removing the access on the target is asked of a human by `deprovision.needed`. */
  async revoke(): Promise<void> {}

  async execute(call: ProviderCall): Promise<ExecuteResult> {
    throw new AppError(
      'invalid',
      `profile '${call.profile.name}' is provisioned by hand and runs no action; action '${call.action.name}' cannot be executed`,
      { request: call.requestId, provider: 'manual' },
    );
  }

  async observe(): Promise<Record<string, unknown>> {
    return {};
  }

  /** Access created by hand is unknown to Countersign, so reconciliation never finds (or removes) it. */
  async listManaged(): Promise<readonly ManagedCredential[]> {
    return [];
  }

  cannotList(): string {
    return 'access made by hand is unknown to Countersign';
  }
}
