/**
 * The gateway keys of an installation (issue 14), as the wiring builds them for `AppContext.gateway`: the key that
 * seals gateway-only grants' provider credentials (`gateway-credential.key` in the keys directory) and the SCRAM
 * verifier maker for gateway secrets (the PostgreSQL gateway's, scram.ts). `serve` creates the key on first start;
 * a separate gateway process only loads it, so that it never seals or opens under a key the servers do not share.
 */
import { ensureGatewayCredentialKey, loadGatewayCredentialKey } from '../app/gateway-credential-key.js';
import type { GatewayKeys } from '../app/context.js';
import { makeScramVerifier } from '../gateway/postgres/scram.js';

function keysOf(credentialKey: Uint8Array): GatewayKeys {
  return { credentialKey, loginVerifier: (secret) => makeScramVerifier(secret) };
}

/** For `serve`: loads the key, generating it on first start; `created` says whether it was just generated. */
export async function gatewayKeysIn(keysDir: string): Promise<{ keys: GatewayKeys; created: boolean }> {
  const { key, created } = await ensureGatewayCredentialKey(keysDir);
  return { keys: keysOf(key), created };
}

/** For a separate gateway process: loads the key `serve` generated; `not_found` when there is none. */
export async function loadGatewayKeys(keysDir: string): Promise<GatewayKeys> {
  return keysOf(await loadGatewayCredentialKey(keysDir));
}
