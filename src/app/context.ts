/**
 * What every verb receives: the database, the clock, the audit log, the policy in force and the providers.
 * Built once by the wiring (main.ts or a test) and passed as `{ app, input }` to each verb.
 */
import type { KeyObject } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { AuditLog } from '../audit/store/audit-log.js';
import type { AllowedConnections } from '../decide/admin-change.decide.js';
import type { DutyIndex } from '../decide/duties.js';
import type { Notifier, PolicySet, SodException } from '../policy/model.js';
import type { ProviderRegistry } from '../providers/provider.js';
import type { Database } from '../store/database.js';
import type { Schema } from '../store/schema.js';
import type { Clock } from '../core/clock.js';
import type { RevocationJournal } from './revocation-journal.js';
import type { ChangeFeed } from './change-events.js';

/** The policy as decisions see it at one instant: YAML policy plus the database's overlays. */
export interface PolicySnapshot {
  readonly policy: PolicySet;
  readonly duties: DutyIndex;
  readonly exceptions: readonly SodException[];
}

/** Where verbs get the policy in force (see `policy-runtime.ts`). */
export interface PolicyRuntime {
  /**
   * The policy in force, read inside `trx`: the loaded documents with the database's overlays (disabled
   * identities, API role assignments, eligible-role activations, SoD exceptions).
   */
  snapshot(trx: Transaction<Schema>, now: number): Promise<PolicySnapshot>;
  /** The snapshot `policy` would give if it were in force (the same overlays, read inside `trx`), uncached. */
  preview(trx: Transaction<Schema>, policy: PolicySet, now: number): Promise<PolicySnapshot>;
  /** Notifiers of the loaded policy, for fanning events into the outbox. */
  notifiers(): readonly Notifier[];
  /**
   * The loaded documents without database overlays: enough to find a grant's resource and profile when
   * revoking it outside any transaction (the overlays change who may act, not where a grant lives).
   */
  readonly loaded: PolicySet;
  /** Swaps in a newly loaded policy once its load committed; snapshots taken from now on see it. */
  replace(policy: PolicySet): void;
}

export interface AppContext {
  readonly database: Database;
  readonly clock: Clock;
  readonly auditLog: AuditLog;
  readonly policy: PolicyRuntime;
  readonly providers: ProviderRegistry;
  /**
   * Where `inTransaction` publishes what each committed transaction changed; the wiring subscribes the `check`
   * index, the authentication cache and the outbox worker (`change-events.ts`).
   */
  readonly changes: ChangeFeed;
  /** The audit Ed25519 private key, for signing evidence bundles; without it `exportEvidence` refuses. */
  readonly auditSigningKey?: KeyObject;
  /** Shortest review window of a certification campaign (deadline − creation); default 3 days. */
  readonly certificationMinWindowMs?: number;
  /**
   * Connections the operator allow-listed (`serve --allow-connection NAME=env:VAR|file:PATH`): the only ones a
   * resource registered through the API may name. None when absent.
   */
  readonly allowedConnections?: AllowedConnections;
  /**
   * Where revokes done while the store refused writes wait to be recorded (SPEC §2.8); `check` denies the grants
   * it names. Without it, a teardown the store refuses removes nothing.
   */
  readonly revocations?: RevocationJournal;
  /** The JSONL witness file the checkpointer publishes to; the audit status compares it with the database. */
  readonly auditWitnessPath?: string;
  /**
   * Keys of the access gateway (issue 14). Without them activating a gateway-only action (one with a `gateway`
   * block) is refused, and no gateway login opens: the provider's credential is never handed out instead.
   */
  readonly gateway?: GatewayKeys;
}

/** A login verifier of a gateway secret: SCRAM-SHA-256's salt, iteration count, StoredKey and ServerKey (base64). */
export interface LoginVerifier {
  readonly salt: string;
  readonly iterations: number;
  readonly storedKey: string;
  readonly serverKey: string;
}

/** What gateway-only actions need (issue 14); the wiring builds it from `gateway-credential.key` and scram.ts. */
export interface GatewayKeys {
  /** AES-256-GCM key sealing the provider credentials of gateway-only grants (`app/gateway-credential-key.ts`). */
  readonly credentialKey: Uint8Array;
  /** Makes the verifier a gateway checks a client's proof of the secret against (SCRAM-SHA-256 for PostgreSQL). */
  readonly loginVerifier: (secret: string) => LoginVerifier;
}

/** A verb's call: the context plus its parsed input and the identity acting. */
export interface VerbCall<I> {
  readonly app: AppContext;
  readonly actor: string;
  readonly input: I;
}
