/**
 * How policy plans and change sets read in a terminal: the plan as a table of touched profiles (old → new
 * version, governance approvers) followed by the other kinds and who must approve; change sets as a table, one
 * change in full, and the one line printed after a change set moved. Both a plan and a change in full end with
 * what changed in each document, as a line diff of its canonical YAML.
 */
import type {
  PolicyChangeDetailView,
  PolicyChangeView,
  PolicyDocumentDiffView,
  PolicyPlanView,
} from '../../features/governance/policy-change.view.js';
import { PLAN_KINDS, type NameChanges, type PlanKind } from '../../decide/policy-plan.decide.js';
import { plural, renderTable } from '../output.js';

/** What `POST /v1/policy/changes/{id}/approve` answers. */
export interface ApproveChangeResult {
  readonly change: PolicyChangeView;
  readonly applied: {
    readonly loadId: string;
    readonly policyHash: string;
    readonly changedProfiles: readonly { readonly name: string; readonly from: string | null; readonly to: string }[];
    readonly removedProfiles: readonly string[];
  } | null;
}

const KIND_WORDS: Readonly<Record<PlanKind, string>> = {
  identities: 'identities',
  groups: 'groups',
  roles: 'roles',
  sodRules: 'SoD rules',
  resources: 'resources',
  notifiers: 'notifiers',
  contextSources: 'context sources',
};

/** Profile versions and policy hashes are SHA-256 digests; twelve characters tell them apart on screen. */
function short(digest: string | null, absent: string): string {
  return digest === null ? absent : digest.slice(0, 12);
}

function quoted(names: readonly string[]): string {
  return names.map((name) => `'${name}'`).join(', ');
}

function kindLine(kind: PlanKind, changes: NameChanges): string | undefined {
  const parts = [
    ...changes.added.map((name) => `+${name}`),
    ...changes.changed.map((name) => `~${name}`),
    ...changes.removed.map((name) => `-${name}`),
  ];
  return parts.length === 0 ? undefined : `  ${`${KIND_WORDS[kind]}:`.padEnd(13)}${parts.join(' ')}`;
}

/** `3 to add, 1 to change, 0 to remove`, over profiles and every other kind. */
function totals(plan: PolicyPlanView): string {
  const count = (key: keyof NameChanges): number =>
    plan.touched[key].length + PLAN_KINDS.reduce((sum, kind) => sum + plan.kinds[kind][key].length, 0);
  return `${count('added')} to add, ${count('changed')} to change, ${count('removed')} to remove`;
}

/** Who must approve a change with this plan, in words: one approval per requirement, never by the author. */
export function approvalLines(plan: PolicyPlanView): string[] {
  const who =
    plan.eligibleApprovers.length === 0
      ? 'nobody can approve it now'
      : `can approve it now: ${plan.eligibleApprovers.join(', ')}`;
  return [
    'approval: it needs, each from someone other than its author (one person may give several):',
    ...plan.requirements.map(
      (r) => `  ${r.description}: ${r.eligible.length === 0 ? 'nobody can now' : r.eligible.join(', ')}`,
    ),
    `  ${who}`,
  ];
}

/**
 * What changed in each document, as `diff -u` would show it: a heading per document (`~` modified, `+` added,
 * `-` removed), then its lines marked ' ', '+' or '-'; runs of unchanged lines left out say how many.
 */
export function documentDiffText(diff: readonly PolicyDocumentDiffView[]): string[] {
  if (diff.length === 0) return [];
  const mark = { added: '+', removed: '-', modified: '~' } as const;
  const lines = ['', 'what changes in each document (canonical YAML):'];
  for (const document of diff) {
    lines.push(`${mark[document.change]} ${document.document} (${document.change})`);
    for (const line of document.lines)
      lines.push(line.skipped === undefined ? `  ${line.op} ${line.text}` : `    ${line.text}`);
  }
  return lines;
}

/** The plan of `dir`: what would change on the server, who must approve, and whether the caller may submit it. */
export function planText(plan: PolicyPlanView, dir: string): string[] {
  const against = `the policy in force (${short(plan.basePolicyHash, 'none loaded yet')})`;
  if (plan.unchanged) return [`no changes: '${dir}' matches ${against}`];
  const lines = [`plan for '${dir}' against ${against}:`];
  if (plan.profiles.length > 0) {
    lines.push(
      '',
      ...renderTable(
        ['CHANGE', 'PROFILE', 'VERSION', 'GOVERNANCE APPROVERS'],
        plan.profiles.map((p) => [
          p.change,
          p.name,
          `${short(p.from, '(new)')} → ${short(p.to, '(removed)')}`,
          p.approvers.join(', '),
        ]),
      ).map((line) => `  ${line}`),
    );
  }
  const others = PLAN_KINDS.map((kind) => kindLine(kind, plan.kinds[kind])).filter(
    (line): line is string => line !== undefined,
  );
  if (others.length > 0) lines.push('', 'other documents (+ added, ~ changed, - removed):', ...others);
  lines.push(...documentDiffText(plan.diff));
  lines.push('', `${totals(plan)}; digest ${plan.digest}`, ...approvalLines(plan));
  if (plan.sodConflicts.length > 0) {
    lines.push('separation of duties: it would create these conflicts and is refused:');
    lines.push(...plan.sodConflicts.map((c) => `  ${c.message}`));
  }
  if (!plan.submit.allowed) {
    lines.push(`you may not apply it: ${plan.submit.reasons.map((r) => r.message).join('; ')}`);
  }
  return lines;
}

export function changeTable(changes: readonly PolicyChangeView[]): string[] {
  return renderTable(
    ['ID', 'STATUS', 'AUTHOR', 'CREATED', 'PROFILES', 'APPROVALS', 'DESCRIPTION'],
    changes.map((c) => [
      c.id,
      c.status,
      c.author,
      c.createdAt,
      c.touched.all.length === 0 ? '(none)' : c.touched.all.join(', '),
      c.approvals.map((a) => a.approver).join(', ') || '-',
      c.description ?? '',
    ]),
  );
}

/** The one line after a change set was submitted, approved or rejected. */
export function changeStatusLine(change: PolicyChangeView): string {
  const head = `policy change ${change.id} is ${change.status}`;
  switch (change.status) {
    case 'pending': {
      const approved = change.approvals.map((a) => a.approver);
      return approved.length === 0
        ? `${head}: waiting for approval`
        : `${head}: approved by ${approved.join(', ')}, still waiting for approval`;
    }
    case 'applied':
      return `${head} (approved by ${change.decidedBy ?? '?'} at ${change.appliedAt ?? '?'})`;
    case 'cancelled':
      return `${head}: withdrawn by its author`;
    default:
      return `${head} by ${change.decidedBy ?? '?'}`;
  }
}

/** After an approval: the status, and the profiles that changed when it applied. */
export function approvedText(result: ApproveChangeResult): string[] {
  const lines = [changeStatusLine(result.change)];
  if (result.applied === null) return lines;
  lines.push(`applied as policy ${short(result.applied.policyHash, '?')} (load ${result.applied.loadId})`);
  for (const c of result.applied.changedProfiles) {
    lines.push(`  profile ${c.name}: ${short(c.from, '(new)')} → ${short(c.to, '?')}`);
  }
  for (const name of result.applied.removedProfiles) lines.push(`  profile ${name}: removed`);
  return lines;
}

function field(label: string, value: string | null | undefined): string[] {
  return value === null || value === undefined || value === '' ? [] : [`${`${label}:`.padEnd(17)}${value}`];
}

/** One change set in full: who, what it touches, its approvals and its documents. */
export function changeDetail(change: PolicyChangeDetailView, withText: boolean): string[] {
  const { touched } = change;
  const lines = [
    `policy change ${change.id}`,
    ...field('status', change.status),
    ...field('author', change.author),
    ...field('description', change.description),
    ...field('created', change.createdAt),
    ...field('decided', change.decidedAt === null ? null : `${change.decidedAt} by ${change.decidedBy ?? '?'}`),
    ...field('applied', change.appliedAt),
    ...field('digest', change.digest),
    ...field('planned against', short(change.basePolicyHash, 'no policy loaded')),
    '',
    touched.all.length === 0 ? 'profiles: none touched (an administrator of every profile approves it)' : 'profiles:',
    ...field('  added', quoted(touched.added)),
    ...field('  changed', quoted(touched.changed)),
    ...field('  removed', quoted(touched.removed)),
    ...field('  resources', quoted(touched.resources ?? [])),
    '',
    change.approvals.length === 0
      ? 'approvals: none yet'
      : `approvals: ${change.approvals.map((a) => `${a.approver} at ${a.at}`).join(', ')}`,
    '',
    `${plural(change.files.length, 'document file')}:`,
  ];
  for (const file of change.files) {
    lines.push(`  ${file.path} (${plural(file.text.split('\n').length, 'line')})`);
    if (withText)
      lines.push(
        ...file.text
          .replace(/\n$/, '')
          .split('\n')
          .map((line) => `    ${line}`),
        '',
      );
  }
  lines.push(...documentDiffText(change.diff));
  if (change.status === 'pending') {
    lines.push('', `review the documents, then: countersign policy changes approve ${change.id}`);
  }
  return lines;
}
