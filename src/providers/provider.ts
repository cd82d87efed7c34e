/**
 * The one interface every provider implements (SPEC §2.11). Providers talk to real systems, so they are
 * called only outside database transactions: the verbs read and decide in one transaction, call the provider,
 * then record the outcome in another. A provider never sees policy decisions, only what it must do.
 */
import type { JsonObject } from '../audit/audit-event.js';
import type { ActionDefinition, ProviderType, Resource, ResourceProfile } from '../policy/model.js';

/** What a provider needs to provision or execute for one request. */
export interface ProviderCall {
  readonly requestId: string;
  readonly identity: string;
  readonly resource: Resource;
  readonly profile: ResourceProfile;
  readonly action: ActionDefinition;
  readonly params: Readonly<Record<string, unknown>>;
  /** Epoch ms at which the access must end on the target too, where the target can enforce it. */
  readonly expiresAt: number;
  /**
   * The grant's idempotency key (its grant id, recorded with the intent before the call, SPEC §2.8): a provider
   * that can should make a retried grant with the same key the same grant.
   */
  readonly idempotencyKey?: string;
}

export interface GrantResult {
  /** What `revoke` needs later. Stored in the database and the audit log: never a secret. */
  readonly handle: JsonObject;
  /** Returned to the requester once and never stored or logged (e.g. a database password). */
  readonly credential?: Readonly<Record<string, string>>;
  readonly expiresAt: number;
}

export interface ExecuteResult {
  /** Captured output; the audit log HMACs it (see audit/redact.ts), the caller gets it in clear once. */
  readonly output: JsonObject;
  /** Non-sensitive facts for the audit log (`rowCount`, `exitCode`, `truncated`). */
  readonly summary: JsonObject;
}

/** A credential that exists on the target; reconciliation compares these with the active grants. */
export interface ManagedCredential {
  readonly handle: JsonObject;
  /** Epoch ms; a credential whose age is unknown is never removed (it may belong to a grant being recorded). */
  readonly createdAt?: number;
  /** Epoch ms until which it may exist without a grant (e.g. the login of an `execute` whose statement runs). */
  readonly busyUntil?: number;
}

export interface Provider {
  readonly type: ProviderType;
  /** Problems with a resource's settings for this provider, empty when it can be used. */
  validateConfig(resource: Resource, profile: ResourceProfile): readonly string[];
  grant(call: ProviderCall): Promise<GrantResult>;
  /**
   * The handle `grant(call)` will return, where it follows from the call alone (e.g. it names the request). It is
   * recorded with the intent before the provider is called, so that a grant whose process died before recording
   * it can still be revoked (compensated). Optional: without it such an intent is flagged for an operator.
   */
  intendedHandle?(call: ProviderCall): JsonObject | undefined;
  /** Must be idempotent: revoking what is already gone succeeds. Ends live sessions where the target can. */
  revoke(handle: JsonObject, resource: Resource, profile: ResourceProfile): Promise<void>;
  /**
   * Moves the end of a grant it made to `expiresAt` (a later instant), where the target enforces an expiry of its
   * own. Optional: a provider without it cannot extend grants, and extension requests for it are refused.
   */
  extend?(handle: JsonObject, expiresAt: number, resource: Resource, profile: ResourceProfile): Promise<void>;
  execute(call: ProviderCall): Promise<ExecuteResult>;
  observe(resource: Resource, profile: ResourceProfile): Promise<Record<string, unknown>>;
  listManaged(resource: Resource, profile: ResourceProfile): Promise<readonly ManagedCredential[]>;
  /**
   * Why `listManaged` cannot report what this provider made for the resource (e.g. the `list` command is not
   * configured), in product words; undefined when it can. Optional: a provider without it lists completely.
   */
  cannotList?(resource: Resource, profile: ResourceProfile): string | undefined;
}

/** Providers by type; the wiring in main.ts registers the real ones. */
export type ProviderRegistry = ReadonlyMap<ProviderType, Provider>;
