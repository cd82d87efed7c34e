/**
 * The one shape in which a request leaves the application layer: every request verb returns it, the HTTP API
 * answers it (checked against `requestViewSchema`, `Request` in the OpenAPI document) and the CLI prints it. It
 * is built from the stored request, never a raw row: times are ISO 8601 strings, the approval steps carry their
 * progress, and the grant appears without its provider handle.
 */
import { z } from 'zod';
import { formatDurationSeconds } from '../../core/duration.js';
import { approvalProgress } from '../../decide/approval.decide.js';
import { formatSubject } from '../../decide/request.decide.js';
import { REQUEST_STATUSES } from '../../decide/types.js';
import { iso, isoTime, text } from '../../app/view-fields.js';
import { requestGrantSchema, toRequestGrantView } from '../grants/grant.view.js';
import type { GrantSummary } from '../grants/index.js';
import type { StoredRequest } from './requests.repo.js';
import type { SentReminder } from './request-reminders.repo.js';
import { REMINDER_KINDS } from '../../decide/reminder.decide.js';

export const approvalViewSchema = z.object({
  approver: text(200),
  /** 1-based step number; 0 for an approval by policy (`system:policy`), which belongs to no step. */
  step: z.number().int(),
  at: isoTime,
});

export type ApprovalView = z.infer<typeof approvalViewSchema>;

export const stepViewSchema = z.object({
  /** 1-based. */
  step: z.number().int(),
  from: z.array(text(220)).max(100).readonly(),
  required: z.number().int(),
  independent: z.boolean(),
  /** Distinct identities counted toward this step. */
  approvers: z.array(text(200)).max(100).readonly(),
  satisfied: z.boolean(),
});

export type StepView = z.infer<typeof stepViewSchema>;

/** A reminder or escalation sent while the request was pending (issue 13): when, and to whom. */
export const reminderViewSchema = z.object({
  kind: z.enum(REMINDER_KINDS),
  at: isoTime,
  /** `approvers of step N` for a reminder; the escalation's `group:NAME` / `identity:NAME` references. */
  audience: z.array(text(220)).max(100).readonly(),
});

export type ReminderView = z.infer<typeof reminderViewSchema>;

export const requestViewSchema = z
  .object({
    id: text(100),
    status: z.enum(REQUEST_STATUSES),
    /** Why it reached its status: the deny message, the cancel or revoke reason. */
    statusReason: text(2000).optional(),
    requester: text(200),
    resource: text(200),
    action: text(100),
    /** As a duration string (`30m`); `durationSeconds` carries the exact number. */
    duration: text(32),
    durationSeconds: z.number().int(),
    justification: text(4000).optional(),
    ticket: text(200).optional(),
    params: z.record(text(200), z.unknown()).readonly(),
    profile: text(200),
    profileVersion: text(100),
    /** What an approver approves: send it back with the approval to bind it to this exact content. */
    digest: text(64),
    matchedRule: text(200),
    approvals: z.array(approvalViewSchema).max(100).readonly(),
    steps: z.array(stepViewSchema).max(50).readonly(),
    /** 1-based number of the step awaiting approvals, while pending. */
    currentStep: z.number().int().optional(),
    remainingApprovals: z.number().int(),
    /** Pending: when it times out; approved: end of the activation window; active: when the grant ends. */
    expiresAt: isoTime.optional(),
    createdAt: isoTime,
    approvedAt: isoTime.optional(),
    activatedAt: isoTime.optional(),
    breakGlass: z.boolean(),
    reviewBy: isoTime.optional().describe('break-glass: when the use must have been reviewed'),
    extends: text(100).optional().describe('an extension request: the request whose grant it extends'),
    grant: requestGrantSchema.optional(),
    reminders: z
      .array(reminderViewSchema)
      .max(10)
      .readonly()
      .optional()
      .describe('the reminders and escalation sent while it was pending (in the answer about one request)'),
  })
  .meta({ id: 'Request' });

export type RequestView = z.infer<typeof requestViewSchema>;

/** What activation (and break-glass) answers: the request, and the credential (if the provider issued one) once. */
export const activationViewSchema = z
  .object({
    request: requestViewSchema,
    credential: z
      .record(text(200), text(10_000))
      .readonly()
      .optional()
      .describe('shown once and never stored in clear; not in any later answer'),
    gateway: z
      .object({
        user: text(200).describe('the startup user to connect to the gateway with: you'),
        database: text(400).describe("the startup database: the resource (or 'resource@grantId' for this grant)"),
        secret: text(200).describe('the gateway secret, the password for the gateway: shown once, ends with the grant'),
        expiresAt: isoTime,
      })
      .optional()
      .describe("a gateway-only action: connect through Countersign's gateway; the provider's credential stays sealed"),
  })
  .meta({ id: 'Activation' });

export type ActivationView = z.infer<typeof activationViewSchema>;

/** What an execution answers: the request (now `completed`), and the output in clear, once. */
export const executionViewSchema = z
  .object({
    request: requestViewSchema,
    output: z.record(text(200), z.unknown()),
    summary: z.record(text(200), z.unknown()),
  })
  .meta({ id: 'Execution' });

export type ExecutionView = z.infer<typeof executionViewSchema>;

/** What an extension answers: the extension request, and the request whose grant it extends. */
export const extensionViewSchema = z
  .object({
    extension: requestViewSchema.describe('the extension request: completed once applied, else pending or denied'),
    request: requestViewSchema.describe('the request whose grant it extends, with its expiry'),
  })
  .meta({ id: 'Extension' });

export type ExtensionView = z.infer<typeof extensionViewSchema>;

/** The view of a stored request and, when it has one, its grant; with the reminders sent, when given. */
export function toRequestView(
  stored: StoredRequest,
  grant?: GrantSummary,
  reminders?: readonly SentReminder[],
): RequestView {
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
    ...(grant !== undefined ? { grant: toRequestGrantView(grant) } : {}),
    ...(reminders !== undefined
      ? { reminders: reminders.map(({ kind, at, audience }) => ({ kind, at: iso(at), audience })) }
      : {}),
  };
}
