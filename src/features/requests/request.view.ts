/**
 * The one shape in which a request leaves the application layer: every request verb returns it, the HTTP API
 * and the CLI print it. It is built from the stored request, never a raw row: times are ISO 8601 strings, the
 * approval steps carry their progress, and the grant appears without its provider handle.
 */
import { formatDurationSeconds } from '../../core/duration.js';
import { approvalProgress } from '../../decide/approval.decide.js';
import { formatSubject } from '../../decide/request.decide.js';
import type { RequestStatus } from '../../decide/types.js';
import type { GrantStatus } from '../../store/schema.js';
import type { GrantSummary, StoredRequest } from './requests.repo.js';

export interface ApprovalView {
  readonly approver: string;
  /** 1-based step number; 0 for an approval by policy (`system:policy`), which belongs to no step. */
  readonly step: number;
  readonly at: string;
}

export interface StepView {
  /** 1-based. */
  readonly step: number;
  readonly from: readonly string[];
  readonly required: number;
  readonly independent: boolean;
  /** Distinct identities counted toward this step. */
  readonly approvers: readonly string[];
  readonly satisfied: boolean;
}

export interface GrantView {
  readonly id: string;
  readonly status: GrantStatus;
  readonly expiresAt: string;
}

export interface RequestView {
  readonly id: string;
  readonly status: RequestStatus;
  /** Why it reached its status: the deny message, the cancel or revoke reason. */
  readonly statusReason?: string;
  readonly requester: string;
  readonly resource: string;
  readonly action: string;
  /** As a duration string (`30m`); `durationSeconds` carries the exact number. */
  readonly duration: string;
  readonly durationSeconds: number;
  readonly justification?: string;
  readonly ticket?: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly profile: string;
  readonly profileVersion: string;
  /** What an approver approves: send it back with the approval to bind it to this exact content. */
  readonly digest: string;
  readonly matchedRule: string;
  readonly approvals: readonly ApprovalView[];
  readonly steps: readonly StepView[];
  /** 1-based number of the step awaiting approvals, while pending. */
  readonly currentStep?: number;
  readonly remainingApprovals: number;
  /** Pending: when it times out; approved: end of the activation window; active: when the grant ends. */
  readonly expiresAt?: string;
  readonly createdAt: string;
  readonly approvedAt?: string;
  readonly activatedAt?: string;
  readonly breakGlass: boolean;
  /** Break-glass: when the review is due. */
  readonly reviewBy?: string;
  /** An extension request: the request whose grant it extends. */
  readonly extends?: string;
  readonly grant?: GrantView;
}

function iso(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

/** The view of a stored request and, when it has one, its grant. */
export function toRequestView(stored: StoredRequest, grant?: GrantSummary): RequestView {
  const { record } = stored;
  const progress = approvalProgress(record);
  const view: RequestView = {
    id: record.id,
    status: record.status,
    requester: record.requester,
    resource: record.resource,
    action: record.action,
    duration: formatDurationSeconds(record.durationSeconds),
    durationSeconds: record.durationSeconds,
    params: record.params ?? {},
    profile: record.profile,
    profileVersion: record.profileVersion,
    digest: record.digest,
    matchedRule: record.matchedRule,
    approvals: record.approvals.map((approval) => ({
      approver: approval.approver,
      step: record.steps.length === 0 ? 0 : approval.step + 1,
      at: iso(approval.at),
    })),
    steps: record.steps.map((step, index) => {
      const state = progress.steps[index];
      return {
        step: index + 1,
        from: step.from.map(formatSubject),
        required: step.count,
        independent: step.independent,
        approvers: state?.approvers ?? [],
        satisfied: state?.satisfied ?? false,
      };
    }),
    remainingApprovals: record.status === 'pending' ? progress.remainingTotal : 0,
    createdAt: iso(record.createdAt),
    breakGlass: record.breakGlass,
  };
  return {
    ...view,
    ...(stored.statusReason !== undefined ? { statusReason: stored.statusReason } : {}),
    ...(stored.extendsRequest !== undefined ? { extends: stored.extendsRequest } : {}),
    ...(record.justification !== undefined ? { justification: record.justification } : {}),
    ...(record.ticket !== undefined ? { ticket: record.ticket } : {}),
    ...(record.status === 'pending' && progress.currentStep !== undefined
      ? { currentStep: progress.currentStep + 1 }
      : {}),
    ...(record.expiresAt !== undefined ? { expiresAt: iso(record.expiresAt) } : {}),
    ...(record.approvedAt !== undefined ? { approvedAt: iso(record.approvedAt) } : {}),
    ...(record.activatedAt !== undefined ? { activatedAt: iso(record.activatedAt) } : {}),
    ...(stored.reviewBy !== undefined ? { reviewBy: iso(stored.reviewBy) } : {}),
    ...(grant !== undefined ? { grant: { id: grant.id, status: grant.status, expiresAt: iso(grant.expiresAt) } } : {}),
  };
}
