/**
 * The credential the current call acts with, for the whole of one HTTP request: the guard runs each route's
 * handler inside `withCredential`, so every verb it calls — and every verb added later — sees the API token in
 * use and the human who minted it without each route having to pass them along. Verbs read it for two things:
 * `inTransaction` stamps it on the caller's audit events and records who was one principal with the caller on
 * the requests it acted on (SPEC §2.4), and request loads add the caller's links for the SoD check in progress.
 * Calls from the scheduler or the operator CLI run with no credential (`undefined`).
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface CallerCredential {
  /** The identity the credential authenticates. */
  readonly identity: string;
  /** The API token used; absent for an OIDC token. */
  readonly tokenId?: string;
  /** Who minted that API token (`api_tokens.created_by`). */
  readonly mintedBy?: string;
}

const storage = new AsyncLocalStorage<CallerCredential | undefined>();

/** Runs `work` with `credential` as the credential in use (the guard, and tests calling verbs as a token). */
export function withCredential<T>(credential: CallerCredential | undefined, work: () => T): T {
  return storage.run(credential, work);
}

/** The credential of the call in progress, if any. */
export function credentialInUse(): CallerCredential | undefined {
  return storage.getStore();
}

/**
 * The humans the credential joins to `identity`'s principal for this call: the minter of its API token when that
 * is someone other than the identity (and not a system actor).
 */
export function callerMinter(identity: string): string | undefined {
  const credential = storage.getStore();
  if (credential?.identity !== identity || credential.mintedBy === undefined) return undefined;
  if (credential.mintedBy === identity || credential.mintedBy.startsWith('system:')) return undefined;
  return credential.mintedBy;
}
