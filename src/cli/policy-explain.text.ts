/**
 * The human form of `policy explain`: renders a `PolicySummary` as indented plain text, one section per
 * profile, then SoD rules, non-human identities and notifiers.
 */
import type { DutyHolders, PolicySummary, ProfileSummary } from './policy-explain.js';
import { renderTable } from './output.js';

function describeHolders(holders: readonly DutyHolders[]): string {
  if (holders.length === 0) return 'nobody';
  return holders
    .map((h) => `${h.identities.join(', ')} (role ${h.role}${h.assignment === 'eligible' ? ', eligible' : ''})`)
    .join('; ');
}

function renderProfile(profile: ProfileSummary): string[] {
  const lines = [
    `profile ${profile.name}  (version ${profile.version})`,
    `  ${profile.classification}, environment ${profile.environment}, provider ${profile.provider}` +
      (profile.extends ? `, extends ${profile.extends}` : ''),
    `  owners: ${profile.owners.join(', ') || '(none)'}`,
  ];
  const labels = Object.entries(profile.labels).map(([key, value]) => `${key}=${value}`);
  if (labels.length > 0) lines.push(`  labels: ${labels.join(', ')}`);
  lines.push(`  resources: ${profile.resources.join(', ') || '(none yet)'}`);
  if (profile.baseline.length > 0) {
    lines.push('  baseline:');
    for (const check of profile.baseline) {
      lines.push(`    - ${check.name} [${check.severity}]: ${check.message}`, `        ${check.expr}`);
    }
  }
  lines.push('  actions:');
  for (const action of profile.actions) {
    const facts = [
      `risk ${action.risk}`,
      action.kind === 'execute' ? 'runs once' : 'grants access',
      `max ${action.maxDuration}`,
      ...(action.params.length > 0 ? [`params ${action.params.join(', ')}`] : []),
      ...(action.requireJustification ? ['justification required'] : []),
      ...(action.ticketPattern ? [`ticket /${action.ticketPattern}/`] : []),
    ];
    lines.push(`    ${action.name}: ${facts.join(', ')}`);
    if (action.description) lines.push(`      ${action.description}`);
    for (const sentence of action.approval) lines.push(`      ${sentence}`);
  }
  lines.push(`  break-glass: ${profile.breakGlass ?? 'not allowed'}`);
  lines.push(`  certification: ${profile.certification ?? 'none'}`);
  lines.push(`  governance: ${profile.governance}`);
  lines.push(`  who can request: ${describeHolders(profile.whoCanRequest)}`);
  lines.push(`  who can approve: ${describeHolders(profile.whoCanApprove)}`);
  if (profile.whoCanProvision.length > 0) {
    lines.push(`  who can provision: ${describeHolders(profile.whoCanProvision)}`);
  }
  return lines;
}

/** The whole summary as lines of text. */
export function renderPolicySummary(summary: PolicySummary): string[] {
  const counts = Object.entries(summary.counts).map(([what, count]) => `${count} ${what}`);
  const lines = [`policy: ${counts.join(', ')}`, ''];
  for (const profile of summary.profiles) lines.push(...renderProfile(profile), '');
  lines.push('separation of duties (besides the built-in rules):');
  if (summary.sodRules.length === 0) lines.push('  (none)');
  for (const rule of summary.sodRules) lines.push(`  ${rule.name} [${rule.scope}]: ${rule.rule}`);
  lines.push('', 'non-human identities:');
  if (summary.nonHumanIdentities.length === 0) lines.push('  (none)');
  else {
    const rows = summary.nonHumanIdentities.map((nhi) => [nhi.name, nhi.kind, nhi.owner, nhi.duties.join(', ')]);
    lines.push(...renderTable(['name', 'kind', 'owner', 'duties'], rows).map((line) => `  ${line}`));
  }
  if (summary.eligibleRoles.length > 0) {
    lines.push(
      '',
      'eligible roles (in force only through an approved activation of that role; its requester never approves it):',
    );
    for (const role of summary.eligibleRoles) {
      lines.push(`  ${role.name}: ${role.duties.join(', ')}; at most ${role.maxDuration} per activation`);
      lines.push(...role.activation.map((rule) => `    - ${rule}`));
    }
  }
  if (summary.notifiers.length > 0) {
    lines.push('', 'notifiers:');
    for (const notifier of summary.notifiers) {
      lines.push(`  ${notifier.name} (${notifier.format}): ${notifier.events.join(', ')}`);
    }
  }
  return lines;
}
