/**
 * What a protocol gateway (PostgreSQL today, another protocol beside it later) asks of Countersign, and nothing
 * more: find and authenticate a login, open a recorded session, check each statement, record it before it is
 * forwarded and its outcome after, and learn when grants end. The server (`src/server/`) implements it by wiring
 * the sessions feature, the statement classifier and the pure statement decision (`countersign-backend.ts`);
 * tests implement it in a few lines to drive the protocol code on its own.
 */

import type { StatementFacts } from '../decide/gateway-statement.decide.js';
import type { ColumnMask } from '../policy/model.js';
import type { ShadowCatalog } from './postgres/shadowed-builtins.js';

/** A SCRAM-SHA-256 verifier (RFC 5802): what the gateway keeps instead of a password. */
export interface GatewayScramVerifier {
  readonly salt: string;
  readonly iterations: number;
  readonly storedKey: string;
  readonly serverKey: string;
}

/** A grant a client may connect through: found from the startup packet's `user` and `database`. */
export interface GatewayLoginFacts {
  readonly identity: string;
  readonly resource: string;
  readonly grantId: string;
  readonly expiresAt: number;
  /** The verifier of the grant's gateway secret; without one only the cleartext check (over TLS) can succeed. */
  readonly scram?: GatewayScramVerifier;
}

/** Where the gateway connects for a session, with the grant's provider credential (never shown to the user). */
export interface UpstreamTarget {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  readonly password: string;
  /** TLS towards the upstream server: false, true (verified against the system CAs) or node `tls` options. */
  readonly ssl: boolean | object;
}

/** A statement's verdict: allowed, or refused with the words the client is told. */
export interface StatementCheck {
  readonly allowed: boolean;
  /** Why it is refused (which rule), or empty when allowed. */
  readonly message: string;
  /** False for a refusal no approval can lift (a built-in rule): the client is not told to ask. Default true. */
  readonly approvable?: boolean;
  /**
   * True when the text holds a SQL `PREPARE` or `DEALLOCATE`: prepared statement names are one name space for SQL
   * and the protocol, so after it the gate no longer knows what a protocol name stands for.
   */
  readonly redefinesPrepared?: boolean;
}

/**
 * An Execute's parameters: as its portal was bound, or `paramsOf`, the seq of the record of the portal's first
 * Execute, which holds them (the same portal executed again).
 */
export type RecordedParams = readonly (string | null)[] | { readonly paramsOf: number };

/**
 * The server's ErrorResponse for a failed statement: its SQLSTATE (C), message (M), DETAIL (D) and HINT (H). The
 * message and its detail can quote data values (`Key (email)=(ada@example.com) already exists`): they are recorded
 * sealed, like statement text, never in clear.
 */
export interface StatementError {
  readonly code: string;
  readonly message: string;
  readonly detail?: string;
  readonly hint?: string;
}

export interface StatementOutcome {
  readonly commandTag?: string;
  readonly rows: number;
  readonly bytes: number;
  readonly error?: StatementError;
  readonly durationMs: number;
}

export type SessionEndReason = 'client' | 'revoked' | 'expired' | 'budget' | 'error' | 'shutdown';

/**
 * What a session's database adds to its profile's masks, read from the database's catalog when the session
 * starts (objects the owner made over a masked table, which no statement text shows).
 */
export interface MaskCatalog {
  /** Columns that are a masked column as it is under another name (a view's `email AS contact`): masked alike. */
  readonly columns: readonly ColumnMask[];
  /**
   * Lower-cased names of the objects that compute from a masked column (views, functions), each with the words a
   * statement naming it is refused with.
   */
  readonly refused: ReadonlyMap<string, string>;
}

/**
 * What parsing a statement text found, worked out before `check` is called: a long text is parsed on a worker
 * thread (sql-parse-pool.ts), off the event loop every session shares. Plain data (it crosses threads by
 * structured clone); `check` decides with it instead of parsing the text again.
 */
export interface ParsedText {
  /** Each statement's facts, or why the text could not be parsed (what `classifySql` returns). */
  readonly classification: { readonly statements: readonly StatementFacts[] } | { readonly error: string };
  /**
   * In a session with masks: the text checked against the profile's masks and what the catalog adds, with why it
   * may not run (`maskViolation`), undefined when it may. Absent: not checked (`check` checks it itself).
   */
  readonly masks?: { readonly violation: string | undefined };
}

/** One recorded session, opened after authentication. */
export interface GatewaySession {
  readonly sessionId: string;
  readonly grantId: string;
  readonly expiresAt: number;
  readonly upstream: UpstreamTarget;
  readonly limits: {
    readonly statementTimeoutSeconds?: number;
    readonly maxRows?: number;
    readonly maxBytes?: number;
  };
  /** The profile's column masks and the key of the `hash` mask; absent or empty: results pass as they are. */
  readonly masking?: { readonly masks: readonly ColumnMask[]; readonly hashKey: Uint8Array };
  /**
   * Parses, classifies and decides a statement text (one message may hold several statements); no I/O. In a
   * session with masks, `catalog` is what the session's database added to them; without it, the masks cannot be
   * checked and the statement is refused. `parsed`, when given, is what parsing `sql` found (off the event loop).
   */
  check(sql: string, catalog?: MaskCatalog, parsed?: ParsedText): StatementCheck;
  /**
   * What the session's database holds under built-ins' names, read on its connection before the client's first
   * statement (mask-resolution.ts). Until it is given, every name counts as taken (no statement that evaluates
   * anything is `readOnly`). Optional: a backend that decides nothing on `readOnly` may leave it out.
   */
  useShadows?(catalog: ShadowCatalog): void;
  /**
   * Records a statement (allowed or refused) durably BEFORE it is forwarded, synchronously; throws when it
   * cannot (fail closed: the gateway then refuses the statement). A refusal's id is what a request can cite.
   * `check` is the object `check()` returned for `sql`.
   */
  record(
    seq: number,
    sql: string,
    check: StatementCheck,
    params: RecordedParams | undefined,
  ): { readonly refusalId?: string };
  outcome(seq: number, outcome: StatementOutcome): void;
  close(reason: SessionEndReason): void;
}

export type AuthenticationMethod = 'scram' | 'password' | 'token';

export interface SessionMeta {
  readonly clientAddress: string;
  readonly applicationName?: string;
  readonly tls: boolean;
  readonly method: AuthenticationMethod;
  /** The client's SCRAM proof was bound to this TLS connection (SCRAM-SHA-256-PLUS, tls-server-end-point). */
  readonly channelBound: boolean;
}

/** Where a session's query runs upstream, and the key that cancels it there. */
export interface UpstreamCancelTarget {
  readonly host: string;
  readonly port: number;
  readonly processId: number;
  readonly secretKey: number;
}

/** The key a gateway gave a client session (its BackendKeyData) and what it cancels. */
export interface SessionCancelKey {
  readonly sessionId: string;
  readonly processId: number;
  readonly secretKey: number;
  readonly upstream: UpstreamCancelTarget;
}

export interface GatewayBackend<Login extends GatewayLoginFacts = GatewayLoginFacts> {
  /** Which gateway process this is (sessions of a gateway that died are closed as abnormal by the others). */
  readonly gatewayId: string;
  /** `user` = identity, `database` = resource name or `resource@grantId`; undefined when nothing matches. */
  findLogin(who: { readonly user: string; readonly database: string }): Promise<Login | undefined>;
  /** The cleartext check (over TLS only): the grant's gateway secret or an API token of the identity. */
  verifyPassword(login: Login, password: string): Promise<'secret' | 'token' | undefined>;
  /** Opens the recorded session for an authenticated login; throws an `AppError` when the grant ended meanwhile. */
  openSession(login: Login, meta: SessionMeta): Promise<GatewaySession>;
  /** Which of these grants no longer allow access (revoked, expired, ended): their sessions are closed. */
  endedGrants(grantIds: readonly string[]): Promise<ReadonlySet<string>>;
  /** Calls `listener` when grants may have changed here or on another replica; returns the unsubscribe. */
  onGrantsChanged(listener: () => void): () => void;
  /**
   * Cancel keys shared by the gateways of an installation (a client's CancelRequest may reach any of them): a
   * session's key is published when it starts and withdrawn when it ends; a gateway that does not hold a session
   * looks its key up. Without them a cancel must reach the gateway holding the session.
   */
  readonly cancelKeys?: {
    publish(key: SessionCancelKey): Promise<void>;
    withdraw(sessionId: string): Promise<void>;
    find(processId: number, secretKey: number): Promise<UpstreamCancelTarget | undefined>;
  };
  /** The time, for expiries (the app's clock). */
  readonly clock: { now(): number };
  /** Told when a connection is refused before its session began (for the metrics; never throws). */
  connectionFailed?(reason: ConnectionFailure): void;
}

/**
 * Why a connection ended before its session began: a wrong secret, token or SCRAM proof, or an unknown login
 * (`authentication`, one answer for all, as the client is told); the grant ended or the action is no longer
 * gateway-only (`refused`); the gateway could not log in upstream or read the session's catalog (`upstream`); a
 * malformed or slow startup (`protocol`); too many connections logging in at once (`busy`); anything else
 * (`internal`).
 */
export type ConnectionFailure = 'authentication' | 'refused' | 'upstream' | 'protocol' | 'busy' | 'internal';
