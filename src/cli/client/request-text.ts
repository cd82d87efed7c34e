/**
 * How requests read in a terminal: a one-line summary after a change, a table for lists, and the full
 * picture for `request show` — what is asked, the profile context an approver decides on (classification,
 * environment, the action's risk), and the approval progress step by step.
 */
import type { RequestView, StepView } from '../../features/requests/request.view.js';
import { plural, renderTable } from '../output.js';

/** What the server may add beside a request for approvers: the profile context (SPEC §1, "approver"). */
export interface RequestContext {
  readonly classification?: string;
  readonly environment?: string;
  readonly owners?: readonly string[];
  readonly risk?: string;
  readonly actionDescription?: string;
  readonly drift?: Readonly<Record<string, number>>;
  /** The profile's version now; differs from the request's when the profile changed since. */
  readonly profileVersionInForce?: string;
}

/** A request with the profile context the CLI gathered beside it (`request show`). */
export type RequestDocument = RequestView & { readonly context?: RequestContext };

/** `1/2` approvals collected of the total the steps require; `policy` when no person had to approve. */
export function approvalSummary(view: RequestView): string {
  if (view.steps.length === 0) {
    return view.approvals.length > 0 ? `by ${view.approvals.map((a) => a.approver).join(', ')}` : '-';
  }
  const required = view.steps.reduce((sum, step) => sum + step.required, 0);
  const counted = view.steps.reduce((sum, step) => sum + Math.min(step.approvers.length, step.required), 0);
  return `${counted}/${required}`;
}

export function requestTable(views: readonly RequestView[]): string[] {
  return renderTable(
    ['ID', 'STATUS', 'REQUESTER', 'RESOURCE', 'ACTION', 'DURATION', 'APPROVALS', 'EXPIRES'],
    views.map((view) => [
      view.id,
      view.breakGlass ? `${view.status} (break-glass)` : view.status,
      view.requester,
      view.resource,
      view.action,
      view.duration,
      approvalSummary(view),
      view.expiresAt ?? '-',
    ]),
  );
}

/** What is still needed, in words: `waiting for 1 approval from group:dba (step 1 of 2)`. */
export function pendingSummary(view: RequestView): string {
  const step = view.steps.find((candidate) => candidate.step === view.currentStep);
  if (step === undefined) return `waiting for ${plural(view.remainingApprovals, 'approval')}`;
  const missing = Math.max(step.required - step.approvers.length, 0);
  const independent = step.independent ? ', outside the requester’s groups' : '';
  return (
    `waiting for ${plural(missing, 'approval')} from ${step.from.join(' or ')}${independent} ` +
    `(step ${step.step} of ${view.steps.length}; ${plural(view.remainingApprovals, 'approval')} still needed in all)`
  );
}

/** The one line printed after a request changed: its id, new status and what comes next. */
export function statusLine(view: RequestView): string {
  const head = `request ${view.id} is ${view.status}`;
  switch (view.status) {
    case 'pending':
      return `${head}: ${pendingSummary(view)}`;
    case 'approved':
      // e.g. 'awaiting manual provisioning' once the requester activated a request on a manual profile
      if (view.statusReason !== undefined) return `${head}: ${view.statusReason}`;
      return view.steps.length === 0
        ? `${head} by policy (rule '${view.matchedRule}'); activate it with \`countersign request activate ${view.id}\``
        : `${head}; the requester activates it with \`countersign request activate ${view.id}\``;
    case 'active':
      return `${head} until ${view.grant?.expiresAt ?? view.expiresAt ?? '?'}`;
    default:
      return view.statusReason === undefined ? head : `${head}: ${view.statusReason}`;
  }
}

function stepLine(step: StepView): string {
  const mark = step.satisfied ? '[x]' : '[ ]';
  const independent = step.independent ? ', independent of the requester' : '';
  const who = step.approvers.length === 0 ? 'nobody yet' : step.approvers.join(', ');
  return `  ${mark} step ${step.step}: ${step.approvers.length}/${step.required} from ${step.from.join(' or ')}${independent} — ${who}`;
}

function field(label: string, value: string | undefined): string[] {
  return value === undefined || value === '' ? [] : [`${`${label}:`.padEnd(18)}${value}`];
}

/** The full picture of one request, for `request show`. */
export function requestDetail(view: RequestDocument): string[] {
  const context = view.context;
  const params = Object.keys(view.params).length === 0 ? undefined : JSON.stringify(view.params);
  const drift =
    context?.drift === undefined
      ? undefined
      : Object.entries(context.drift)
          .filter(([, count]) => count > 0)
          .map(([severity, count]) => `${count} ${severity}`)
          .join(', ') || 'none';
  const changed =
    context?.profileVersionInForce !== undefined && context.profileVersionInForce !== view.profileVersion
      ? `; the profile changed since: now ${context.profileVersionInForce.slice(0, 12)}`
      : '';
  const lines = [
    `request ${view.id}${view.breakGlass ? '  [BREAK-GLASS]' : ''}`,
    ...field('status', view.statusReason === undefined ? view.status : `${view.status} (${view.statusReason})`),
    ...field('requester', view.requester),
    ...field('resource', view.resource),
    ...field('action', context?.actionDescription ? `${view.action} — ${context.actionDescription}` : view.action),
    ...field('duration', view.duration),
    ...field('extends', view.extends === undefined ? undefined : `the grant of request ${view.extends}`),
    ...field('justification', view.justification),
    ...field('ticket', view.ticket),
    ...field('params', params),
    '',
    'profile context:',
    ...field('  profile', `${view.profile} (version ${view.profileVersion.slice(0, 12)}${changed})`),
    ...field('  classification', context?.classification ?? 'unknown'),
    ...field('  environment', context?.environment),
    ...field('  risk', context?.risk ?? 'unknown'),
    ...field('  owners', context?.owners?.join(', ')),
    ...field('  drift', drift),
    '',
    `approval (rule '${view.matchedRule}'):`,
  ];
  if (view.steps.length === 0) {
    lines.push(
      view.approvals.length > 0
        ? `  approved by ${view.approvals.map((a) => `${a.approver} at ${a.at}`).join(', ')}`
        : '  no approval steps',
    );
  } else {
    lines.push(...view.steps.map(stepLine));
    if (view.status === 'pending') lines.push(`  ${pendingSummary(view)}`);
  }
  // When the approvers were reminded and to whom it was escalated (issue 13), so the requester sees it was chased.
  for (const reminder of view.reminders ?? []) {
    const what = reminder.kind === 'reminder' ? 'reminded' : 'escalated to';
    lines.push(`  ${what} ${reminder.audience.join(', ')} at ${reminder.at}`);
  }
  lines.push(
    '',
    ...field('digest', view.digest),
    ...field('created', view.createdAt),
    ...field('approved', view.approvedAt),
    ...field('activated', view.activatedAt),
    ...field('expires', view.expiresAt),
    ...field('review by', view.reviewBy),
    ...field('grant', view.grant ? `${view.grant.id} ${view.grant.status} until ${view.grant.expiresAt}` : undefined),
  );
  return lines;
}
