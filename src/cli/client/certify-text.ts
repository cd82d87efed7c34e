/**
 * How access reviews read in a terminal (`certify …`): campaigns as a table with their progress, one
 * campaign with its items (what each item is, who holds it, its decision), and break-glass uses awaiting
 * review with their deadline. The views' times are ISO 8601 already; they are printed as they came.
 */
import type {
  BreakGlassReviewView,
  CampaignDetailView,
  CampaignView,
  CertificationItemView,
  TeardownView,
} from '../../features/certifications/certification.view.js';
import { plural, renderTable } from '../output.js';

/** A time that may be absent, or `-`. */
function orDash(time: string | null): string {
  return time ?? '-';
}

/** `3/10 decided (1 escalated)`: how far a campaign got. */
function progress(campaign: CampaignView): string {
  const { pending, escalated, kept, revoked } = campaign.counts;
  const total = pending + escalated + kept + revoked;
  return `${kept + revoked}/${total} decided${escalated > 0 ? ` (${escalated} escalated)` : ''}`;
}

export function campaignTable(campaigns: readonly CampaignView[]): string[] {
  return renderTable(
    ['ID', 'NAME', 'STATUS', 'KINDS', 'PERIOD', 'DEADLINE', 'ON MISSED', 'PROGRESS', 'KEPT', 'REVOKED'],
    campaigns.map((c) => [
      c.id,
      c.name,
      c.status,
      c.kinds.join(','),
      `${c.period.from.slice(0, 10)} – ${c.period.to.slice(0, 10)}`,
      c.deadline,
      c.onMissed,
      progress(c),
      String(c.counts.kept),
      String(c.counts.revoked),
    ]),
  );
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** What is under review, in words: `dba ← group:dba` for a role, `read on payments-db` for access. */
export function describeItem(item: CertificationItemView): string {
  const { summary } = item;
  const role = text(summary.role);
  const subject = text(summary.subject);
  if (role !== undefined && subject !== undefined) return `role ${role} ← ${subject}`;
  const action = text(summary.action);
  const resource = text(summary.resource);
  if (action !== undefined && resource !== undefined) return `${action} on ${resource}`;
  return item.target;
}

function decision(item: CertificationItemView): string {
  if (item.decidedBy === null) return item.status;
  const enforcement = item.enforcement === null ? '' : `, ${item.enforcement}`;
  return `${item.status} by ${item.decidedBy}${enforcement}`;
}

export function itemTable(items: readonly CertificationItemView[]): string[] {
  return renderTable(
    ['ITEM', 'KIND', 'WHAT', 'HOLDERS', 'STATUS', 'COMMENT'],
    items.map((item) => [
      item.id,
      item.kind,
      describeItem(item),
      item.holders.length > 5
        ? `${item.holders.slice(0, 5).join(', ')} +${item.holders.length - 5}`
        : item.holders.join(', '),
      decision(item),
      item.comment ?? '',
    ]),
  );
}

/** One campaign: its terms and progress, then every item. */
export function campaignDetail(campaign: CampaignDetailView): string[] {
  return [
    `campaign ${campaign.id} '${campaign.name}' is ${campaign.status}: ${progress(campaign)}`,
    `  kinds ${campaign.kinds.join(', ')}; period ${campaign.period.from} – ${campaign.period.to}`,
    `  deadline ${campaign.deadline}, then unreviewed items are ${campaign.onMissed === 'revoke' ? 'revoked' : 'escalated'}`,
    `  opened by ${campaign.createdBy} at ${campaign.createdAt}${campaign.closedAt === null ? '' : `; closed ${campaign.closedAt}`}`,
    '',
    ...(campaign.items.length === 0 ? ['no items'] : itemTable(campaign.items)),
  ];
}

/** The line after a campaign was opened. */
export function createdLine(campaign: CampaignDetailView): string {
  return (
    `campaign ${campaign.id} '${campaign.name}' is open with ${plural(campaign.items.length, 'item')}, ` +
    `deadline ${campaign.deadline}; review them with \`countersign certify show ${campaign.id}\``
  );
}

/** The line after an item was decided. */
export function decidedLine(item: CertificationItemView, teardown?: TeardownView): string {
  const outcome = teardown === undefined ? '' : `; grant teardown: ${teardown.outcome}`;
  return `item ${item.id} (${describeItem(item)}) is ${decision(item)}${outcome}`;
}

export function reviewTable(reviews: readonly BreakGlassReviewView[]): string[] {
  return renderTable(
    ['REQUEST', 'REQUESTER', 'RESOURCE', 'ACTION', 'USED', 'REVIEW BY', 'REVIEWED', 'JUSTIFICATION'],
    reviews.map((r) => [
      r.id,
      r.requester,
      r.resource,
      r.action,
      r.createdAt,
      r.overdue ? `${orDash(r.reviewBy)} (OVERDUE)` : orDash(r.reviewBy),
      r.reviewedAt === null ? '-' : `${r.reviewedAt} by ${r.certifier ?? '?'}`,
      r.justification ?? '',
    ]),
  );
}
