/**
 * The state that decisions read besides the policy: requests and their approvals, grants, observed resource
 * state. These are plain values handed in by the application layer; decisions never load them themselves.
 */
import type { RequestInput, RequestStatus } from '../core/domain.js';
import type { ApprovalStep } from '../policy/model.js';
import type { PrincipalLink } from './principal.js';

export {
  REQUEST_STATUSES,
  TERMINAL_STATUSES,
  NO_DRIFT,
  type RequestStatus,
  type RequestInput,
  type ActiveGrant,
  type ResourceState,
} from '../core/domain.js';

/** One counted approval. `step` is the 0-based index of the step it counted toward. */
export interface ApprovalRecord {
  readonly approver: string;
  readonly step: number;
  readonly at: number;
  /** The request digest the approver saw; an approval binds to exactly that content. */
  readonly digest: string;
}

/** A request as stored: its input, the policy decision it got, and where it is in its lifecycle. */
export interface RequestRecord extends RequestInput {
  readonly id: string;
  readonly profile: string;
  readonly profileVersion: string;
  /** Digest of resource, action, parameters and duration (see `requestDigest`). */
  readonly digest: string;
  readonly status: RequestStatus;
  readonly createdAt: number;
  /** The approval rule that matched, by name. */
  readonly matchedRule: string;
  /** The steps snapshotted from the matched rule when the request was created (empty for auto/break-glass). */
  readonly steps: readonly ApprovalStep[];
  readonly approvals: readonly ApprovalRecord[];
  readonly approvedAt?: number;
  readonly activatedAt?: number;
  /** For a pending request: when it times out. For an active one: when its grant expires. */
  readonly expiresAt?: number;
  /** First activation of the lifecycle this request extends, for the `maxDuration` cap on extensions. */
  readonly firstActivatedAt?: number;
  /** Identity that provisioned the grant (`system:executor`, or a human for the `manual` provider). */
  readonly provisioner?: string;
  /** Identity that certified the request afterwards (break-glass review, access review). */
  readonly certifier?: string;
  /** Identities that acted in this lifecycle in other duties (denier, canceller, revoker) — for dynamic SoD. */
  readonly otherActors?: readonly { readonly identity: string; readonly duty: string }[];
  /**
   * Humans who were one principal with an identity when it acted in this lifecycle (its owner then, the minter of
   * the token it acted with), including the caller of the verb in progress (SPEC §2.4).
   */
  readonly principalLinks?: readonly PrincipalLink[];
}
