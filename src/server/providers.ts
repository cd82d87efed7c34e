/**
 * The providers a server offers, by type. `manual` grants are confirmed by a human provisioner (see
 * src/features/grants/manual-provisioning.verbs.ts); its provider only ends them and asks for removal by hand.
 */
import { PROVIDER_TYPES } from '../policy/model.js';
import type { Provider, ProviderRegistry } from '../providers/provider.js';
import { ExecProvider } from '../providers/exec/exec-provider.js';
import { ManualProvider } from '../providers/manual/manual-provider.js';
import { NoopProvider } from '../providers/noop/noop-provider.js';
import { PostgresProvider } from '../providers/postgres/postgres-provider.js';
import { WebhookProvider } from '../providers/webhook/webhook-provider.js';

/** Every provider type answered by `noop`: for demos on fictional resources and for dry runs. */
export function dryRunProviderRegistry(): ProviderRegistry {
  return new Map(PROVIDER_TYPES.map((type) => [type, new NoopProvider(type)]));
}

/** The real providers; `installationId` (migration 0010) marks what they create on targets as this installation's. */
export function buildProviderRegistry(options: { readonly installationId: string }): ProviderRegistry {
  const providers: Provider[] = [
    new NoopProvider(),
    new PostgresProvider({ installationId: options.installationId }),
    new ExecProvider(),
    new WebhookProvider(),
    new ManualProvider(),
  ];
  return new Map(providers.map((provider) => [provider.type, provider]));
}

/** Ends what providers hold open (database pools); called on shutdown. */
export async function closeProviders(providers: ProviderRegistry): Promise<void> {
  for (const provider of providers.values()) {
    if (provider instanceof PostgresProvider) await provider.close();
  }
}
