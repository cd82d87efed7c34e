/**
 * What a gateway records about a session, as the recorder receives it and as its journal keeps it. The facts and
 * the decision are the shapes of `decide/gateway-statement.decide.ts` (`StatementFacts`, `StatementDecision`),
 * of which the record keeps what it needs.
 */
export type GatewayEndReason = 'client' | 'revoked' | 'expired' | 'budget' | 'error' | 'shutdown';

/** The part of a statement's facts a record keeps (`StatementFacts` has more; any of it may be passed). */
export interface RecordedFacts {
  readonly kind: string;
  readonly command: string;
  readonly tables: readonly string[];
  readonly fingerprint: string;
}

export interface RecordedDecision {
  readonly allowed: boolean;
  readonly rule?: string;
  readonly builtIn: boolean;
  readonly message: string;
}

export interface StatementRecord {
  readonly seq: number;
  readonly sql: string;
  readonly params?: readonly (string | null)[];
  /** The seq of the record whose `params` this Execute ran with (its portal executed again). */
  readonly paramsOf?: number;
  readonly facts: readonly RecordedFacts[];
  readonly decision: RecordedDecision;
  readonly at: number;
}

export interface StatementOutcome {
  readonly commandTag?: string;
  readonly rows: number;
  readonly bytes: number;
  /** The server's SQLSTATE, message, DETAIL and HINT; all but the SQLSTATE are recorded sealed (statement-error.ts). */
  readonly error?: {
    readonly code: string;
    readonly message: string;
    readonly detail?: string;
    readonly hint?: string;
  };
  readonly durationMs: number;
}

/** What a record keeps of a failed statement's error text, each part bounded (statement-error.ts). */
export interface RecordedError {
  readonly message: string;
  readonly detail?: string;
  readonly hint?: string;
}

/** One journal line. `t`: `s` statement, `o` outcome, `c` close. */
export type JournalRecord =
  | {
      readonly t: 's';
      readonly id: string;
      readonly seq: number;
      readonly at: number;
      readonly sql: string;
      readonly params?: readonly (string | null)[];
      readonly paramsOf?: number;
      readonly facts: readonly RecordedFacts[];
      readonly decision: RecordedDecision;
      readonly refusalId?: string;
      /** `sql` and `params` sealed (journal-seal.ts); `sql` is then empty. */
      readonly sealed?: string;
    }
  | {
      readonly t: 'o';
      readonly id: string;
      readonly seq: number;
      readonly tag?: string;
      readonly rows: number;
      readonly bytes: number;
      readonly code?: string;
      readonly ms: number;
      /** The server's error text, bounded; never in clear on disk: the journal holds it in `sealed` instead. */
      readonly error?: RecordedError;
      readonly sealed?: string;
    }
  | { readonly t: 'c'; readonly id: string; readonly reason: GatewayEndReason; readonly at: number };
