/**
 * The human form of `policy explain`: renders a `PolicySummary` as indented plain text, one section per
 * profile, then SoD rules, non-human identities and notifiers.
 */
import type { PolicySummary, ProfileSummary } from '../decide/policy-explain.js';
import { profileSections } from '../decide/policy-explain.sections.js';
import { renderTable } from './output.js';

function renderProfile(profile: ProfileSummary): string[] {
  const lines = [`profile ${profile.name}  (version ${profile.version})`];
  for (const section of profileSections(profile)) {
    if (section.listed) lines.push(`  ${section.title}:`, ...section.lines.map((line) => `    ${line}`));
    else lines.push(...section.lines.map((line) => `  ${line}`));
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
