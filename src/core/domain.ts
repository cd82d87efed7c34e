/**
 * The domain's shared vocabulary: request statuses, what a requester asks for, active grants, the observed
 * state of a resource and severities. Plain values with no behaviour, imported by every layer (the policy
 * language, decisions, the store's schema, the application), so they live below all of them.
 */

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const REQUEST_STATUSES = [
  'pending',
  'approved',
  'active',
  'expired',
  'revoked',
  'completed',
  'denied',
  'cancelled',
  'timed_out',
  'revoke_failed',
  // An `execute` whose intent is recorded and whose provider call may be running (SPEC §2.8).
  'executing',
  // An `execute` whose outcome could not be recorded: it may have run; a person must look (issue #9 item 12).
  'needs_review',
] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

export const TERMINAL_STATUSES: ReadonlySet<RequestStatus> = new Set<RequestStatus>([
  'expired',
  'revoked',
  'completed',
  'denied',
  'cancelled',
  'timed_out',
  'needs_review',
]);

/**
 * What a grant's status may be (SPEC §2.8); the moves between them are `decide/grant-lifecycle.decide.ts`.
 * `provisioning`: the intent recorded before the provider's grant; it never allows access.
 */
export const GRANT_STATUSES = ['provisioning', 'active', 'revoking', 'revoked', 'expired', 'revoke_failed'] as const;
export type GrantStatus = (typeof GRANT_STATUSES)[number];

/** What a requester asks for. Durations are seconds. */
export interface RequestInput {
  readonly requester: string;
  readonly resource: string;
  readonly action: string;
  readonly durationSeconds: number;
  readonly justification?: string;
  readonly ticket?: string;
  readonly params?: Readonly<Record<string, unknown>>;
  readonly breakGlass: boolean;
}

/** An active grant: what the `check` hot path consults. */
export interface ActiveGrant {
  readonly id: string;
  readonly requestId: string;
  readonly identity: string;
  readonly resource: string;
  readonly action: string;
  readonly expiresAt: number;
}

/** Observed state of a resource that CEL conditions see as `resource.config` and `resource.drift`. */
export interface ResourceState {
  readonly config?: Readonly<Record<string, unknown>>;
  /** Counts of currently failing baseline checks by severity. */
  readonly drift: Readonly<Record<Severity, number>>;
}

export const NO_DRIFT: ResourceState['drift'] = { low: 0, medium: 0, high: 0, critical: 0 };

/** Why a grant is torn down: a person or rule revoked it, or it reached its end. */
export type TeardownKind = 'revoke' | 'expire';
