/**
 * Loading policy from sources: YAML documents → strict per-kind schemas → cross-references → `extends` →
 * resolved-profile checks → CEL, ticket patterns and parameter schemas → the resolved `PolicySet`. Every stage
 * runs on whatever the earlier stages accepted, so one run reports every problem it can find. Pure: the files
 * come in as text (`policy-files.ts` reads them from disk).
 */
import { buildPolicySet } from './build-policy.js';
import { resolveProfiles } from './extends.resolve.js';
import { indexDocuments } from './policy-documents.js';
import type { PolicyLoadResult, PolicyProblem } from './problems.js';
import { sortProblems } from './problems.js';
import { compileProfileParts } from './profile-parts.compile.js';
import { contextShapeOf } from './context-cel.js';
import { buildContextSource } from './context-sources.js';
import { validateContextSources } from './context-sources.validate.js';
import { compileRoleParts } from './role-activation.compile.js';
import { validateResolvedProfiles } from './profile.validate.js';
import { validateReferences } from './references.validate.js';
import type { SourceDocument } from './yaml-documents.js';
import { parseYamlFile } from './yaml-documents.js';

export type { PolicyLoadResult, PolicyProblem } from './problems.js';
export { formatProblem } from './problems.js';

export interface PolicySource {
  /** The path to report in problems, e.g. `examples/policy/profiles.yaml`. */
  readonly path: string;
  readonly text: string;
}

/**
 * Parses and validates policy sources into a `PolicySet`. The policy is returned only when there is no problem
 * at all: a policy with a defect is never half-loaded.
 */
export function parsePolicySources(files: readonly PolicySource[]): PolicyLoadResult {
  const problems: PolicyProblem[] = [];
  const sources: SourceDocument[] = [];
  for (const file of files) {
    const parsed = parseYamlFile(file.path, file.text);
    sources.push(...parsed.documents);
    problems.push(...parsed.problems);
  }
  const { index, problems: documentProblems } = indexDocuments(sources);
  problems.push(...documentProblems);
  problems.push(...validateReferences(index));
  const { profiles, problems: extendsProblems } = resolveProfiles(
    index.byKind.ResourceProfile,
    index.names.ResourceProfile,
  );
  problems.push(...extendsProblems);
  problems.push(...validateResolvedProfiles(profiles));
  problems.push(...validateContextSources(index));
  const contextSources = new Map(
    [...index.byKind.ContextSource.values()].map(({ name, spec }) => [name, buildContextSource(name, spec)]),
  );
  const { parts, problems: compileProblems } = compileProfileParts(
    index.byKind.ResourceProfile.values(),
    contextShapeOf(contextSources),
  );
  problems.push(...compileProblems);
  problems.push(...compileRoleParts(index.byKind.Role.values(), parts));
  if (problems.length > 0) return { problems: sortProblems(problems) };
  return { policy: buildPolicySet(index, profiles, parts), problems: [] };
}
