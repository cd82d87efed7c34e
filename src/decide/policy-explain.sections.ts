/**
 * One profile explained in words, as titled sections of plain lines: what `countersign policy explain` prints
 * under a profile and what `GET /v1/profiles/{name}/explain` answers, so both say the same thing. Pure.
 */
import type { DutyHolders, ProfileSummary } from './policy-explain.js';

export interface ProfileSection {
  readonly title: string;
  /** `true`: the lines are items listed under the title (the text form prints a heading and indents them). */
  readonly listed: boolean;
  readonly lines: readonly string[];
}

/** The holders of one duty in words: `alice, bob (role dba); carol (role oncall, eligible)`, or `nobody`. */
export function describeHolders(holders: readonly DutyHolders[]): string {
  if (holders.length === 0) return 'nobody';
  return holders
    .map((h) => `${h.identities.join(', ')} (role ${h.role}${h.assignment === 'eligible' ? ', eligible' : ''})`)
    .join('; ');
}

function overview(profile: ProfileSummary): ProfileSection {
  const lines = [
    `${profile.classification}, environment ${profile.environment}, provider ${profile.provider}` +
      (profile.extends ? `, extends ${profile.extends}` : ''),
    `owners: ${profile.owners.join(', ') || '(none)'}`,
  ];
  const labels = Object.entries(profile.labels).map(([key, value]) => `${key}=${value}`);
  if (labels.length > 0) lines.push(`labels: ${labels.join(', ')}`);
  lines.push(`resources: ${profile.resources.join(', ') || '(none yet)'}`);
  return { title: 'overview', listed: false, lines };
}

function actions(profile: ProfileSummary): ProfileSection {
  const lines: string[] = [];
  for (const action of profile.actions) {
    const facts = [
      `risk ${action.risk}`,
      action.kind === 'execute' ? 'runs once' : action.gateway ? 'grants access through the gateway' : 'grants access',
      `max ${action.maxDuration}`,
      ...(action.params.length > 0 ? [`params ${action.params.join(', ')}`] : []),
      ...(action.requireJustification ? ['justification required'] : []),
      ...(action.ticketPattern ? [`ticket /${action.ticketPattern}/`] : []),
    ];
    lines.push(`${action.name}: ${facts.join(', ')}`);
    // The description and the approval sentences belong to the action above them: indented under it.
    if (action.description) lines.push(`  ${action.description}`);
    for (const sentence of action.approval) lines.push(`  ${sentence}`);
    for (const sentence of action.gateway ?? []) lines.push(`  gateway: ${sentence}`);
  }
  return { title: 'actions', listed: true, lines };
}

function access(profile: ProfileSummary): ProfileSection {
  const lines = [
    `break-glass: ${profile.breakGlass ?? 'not allowed'}`,
    `certification: ${profile.certification ?? 'none'}`,
    `governance: ${profile.governance}`,
    `who can request: ${describeHolders(profile.whoCanRequest)}`,
    `who can approve: ${describeHolders(profile.whoCanApprove)}`,
  ];
  if (profile.whoCanProvision.length > 0) lines.push(`who can provision: ${describeHolders(profile.whoCanProvision)}`);
  return { title: 'access', listed: false, lines };
}

/**
 * The sections of one profile in the order `policy explain` prints them: overview, baseline (only when the
 * profile has checks), actions with their approval rules, then break-glass, certification, governance and who
 * holds which duty.
 */
export function profileSections(profile: ProfileSummary): ProfileSection[] {
  const sections = [overview(profile)];
  if (profile.baseline.length > 0) {
    sections.push({
      title: 'baseline',
      listed: true,
      lines: profile.baseline.flatMap((check) => [
        `- ${check.name} [${check.severity}]: ${check.message}`,
        `    ${check.expr}`,
      ]),
    });
  }
  sections.push(actions(profile), access(profile));
  return sections;
}
