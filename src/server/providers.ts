/**
 * The providers a server offers, by type. `manual` is not built yet: a profile using it loads and can be
 * requested and approved, but activation answers that no `manual` provider is configured (never a silent
 * success), until a human-confirmation flow exists.
 */
import type { Provider, ProviderRegistry } from '../providers/provider.js';
import { ExecProvider } from '../providers/exec/exec-provider.js';
import { NoopProvider } from '../providers/noop/noop-provider.js';
import { PostgresProvider } from '../providers/postgres/postgres-provider.js';
import { WebhookProvider } from '../providers/webhook/webhook-provider.js';

export function buildProviderRegistry(): ProviderRegistry {
  const providers: Provider[] = [new NoopProvider(), new PostgresProvider(), new ExecProvider(), new WebhookProvider()];
  return new Map(providers.map((provider) => [provider.type, provider]));
}

/** Ends what providers hold open (database pools); called on shutdown. */
export async function closeProviders(providers: ProviderRegistry): Promise<void> {
  for (const provider of providers.values()) {
    if (provider instanceof PostgresProvider) await provider.close();
  }
}
