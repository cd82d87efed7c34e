/**
 * Cross-document checks: every reference names a document that exists, every non-human identity has a human
 * owner, and no role hands a human-only duty to a non-human identity, directly or through a group. Each check
 * reads the document where the reference is written, so inherited profile parts are checked once.
 */
import { HUMAN_ONLY_DUTIES } from './model.js';
import type { DocumentIndex } from './policy-documents.js';
import type { PolicyProblem } from './problems.js';
import type { Kind } from './schemas.js';
import type { Path, SourceDocument } from './yaml-documents.js';

const REF_KINDS: Readonly<Record<string, Kind>> = { group: 'Group', identity: 'Identity', role: 'Role' };

/** Splits `group:NAME` into its parts; `owners` has no name. */
export function splitRef(ref: string): { type: string; name: string } {
  const colon = ref.indexOf(':');
  return colon < 0 ? { type: ref, name: '' } : { type: ref.slice(0, colon), name: ref.slice(colon + 1) };
}

function refProblem(index: DocumentIndex, ref: string, doc: SourceDocument, path: Path): PolicyProblem | undefined {
  const { type, name } = splitRef(ref);
  const kind = REF_KINDS[type];
  if (kind === undefined || index.names[kind].has(name)) return undefined;
  return doc.problem(path, `${type} '${name}' is not defined`);
}

function checkRefs(
  index: DocumentIndex,
  refs: readonly string[] | undefined,
  doc: SourceDocument,
  path: Path,
  problems: PolicyProblem[],
): void {
  for (const [i, ref] of (refs ?? []).entries()) {
    const problem = refProblem(index, ref, doc, [...path, i]);
    if (problem) problems.push(problem);
  }
}

function quoteList(values: readonly string[]): string {
  return values.map((value) => `'${value}'`).join(', ');
}

function checkIdentities(index: DocumentIndex, problems: PolicyProblem[]): void {
  for (const identity of index.byKind.Identity.values()) {
    const { spec, source } = identity;
    for (const [i, group] of (spec.groups ?? []).entries()) {
      if (!index.names.Group.has(group))
        problems.push(source.problem(['spec', 'groups', i], `group '${group}' is not defined`));
    }
    if (spec.kind === 'human') continue;
    if (spec.owner === undefined) {
      problems.push(
        source.problem(
          ['spec'],
          `non-human identity '${identity.name}' has no owner: name the human accountable for it`,
          {
            key: true,
          },
        ),
      );
      continue;
    }
    const owner = index.byKind.Identity.get(spec.owner);
    if (owner === undefined) {
      if (!index.names.Identity.has(spec.owner)) {
        problems.push(
          source.problem(['spec', 'owner'], `owner '${spec.owner}' of '${identity.name}' is not a defined identity`),
        );
      }
    } else if (owner.spec.kind !== 'human') {
      problems.push(
        source.problem(
          ['spec', 'owner'],
          `owner '${spec.owner}' of '${identity.name}' is a ${owner.spec.kind} identity: an owner must be human`,
        ),
      );
    }
  }
}

function checkRoles(index: DocumentIndex, problems: PolicyProblem[]): void {
  const nonHumansByGroup = new Map<string, string[]>();
  for (const identity of index.byKind.Identity.values()) {
    if (identity.spec.kind === 'human') continue;
    for (const group of identity.spec.groups ?? []) {
      nonHumansByGroup.set(group, [...(nonHumansByGroup.get(group) ?? []), identity.name]);
    }
  }
  for (const role of index.byKind.Role.values()) {
    const { spec, source } = role;
    for (const [i, profile] of (spec.profiles ?? []).entries()) {
      if (profile !== '*' && !index.names.ResourceProfile.has(profile)) {
        problems.push(source.problem(['spec', 'profiles', i], `profile '${profile}' is not defined`));
      }
    }
    checkRefs(index, spec.subjects, source, ['spec', 'subjects'], problems);
    for (const [r, rule] of (spec.activation?.approval ?? []).entries()) {
      for (const [s, step] of (rule.steps ?? []).entries()) {
        checkRefs(index, step.from, source, ['spec', 'activation', 'approval', r, 'steps', s, 'from'], problems);
      }
    }
    const humanOnly = spec.duties.filter((duty) => HUMAN_ONLY_DUTIES.has(duty));
    if (humanOnly.length === 0) continue;
    const what = `human-only ${humanOnly.length === 1 ? 'duty' : 'duties'} ${quoteList(humanOnly)}`;
    for (const [i, ref] of (spec.subjects ?? []).entries()) {
      const { type, name } = splitRef(ref);
      if (type === 'identity') {
        const identity = index.byKind.Identity.get(name);
        if (identity && identity.spec.kind !== 'human') {
          problems.push(
            source.problem(
              ['spec', 'subjects', i],
              `role '${role.name}' gives ${what} to non-human identity '${name}' (${identity.spec.kind})`,
            ),
          );
        }
      } else if (type === 'group') {
        for (const member of nonHumansByGroup.get(name) ?? []) {
          problems.push(
            source.problem(
              ['spec', 'subjects', i],
              `role '${role.name}' gives ${what} to non-human identity '${member}' through group '${name}'`,
            ),
          );
        }
      }
    }
  }
}

function checkProfiles(index: DocumentIndex, problems: PolicyProblem[]): void {
  for (const profile of index.byKind.ResourceProfile.values()) {
    const { spec, source } = profile;
    checkRefs(index, spec.owners, source, ['spec', 'owners'], problems);
    checkRefs(index, spec.governance?.approvers, source, ['spec', 'governance', 'approvers'], problems);
    checkRefs(index, spec.breakGlass?.allowed, source, ['spec', 'breakGlass', 'allowed'], problems);
    const escalateTo = ['spec', 'requestDefaults', 'reminders', 'escalateTo'];
    checkRefs(index, spec.requestDefaults?.reminders?.escalateTo, source, escalateTo, problems);
    for (const [name, action] of Object.entries(spec.actions ?? {})) {
      const reminders = ['spec', 'actions', name, 'reminders', 'escalateTo'];
      checkRefs(index, action.reminders?.escalateTo, source, reminders, problems);
      for (const [r, rule] of (action.approval ?? []).entries()) {
        for (const [s, step] of (rule.steps ?? []).entries()) {
          checkRefs(index, step.from, source, ['spec', 'actions', name, 'approval', r, 'steps', s, 'from'], problems);
        }
      }
    }
    const seen = new Set<string>();
    for (const [i, check] of (spec.baseline ?? []).entries()) {
      if (seen.has(check.name)) {
        problems.push(source.problem(['spec', 'baseline', i, 'name'], `duplicate baseline check '${check.name}'`));
      }
      seen.add(check.name);
    }
  }
}

/** Every cross-document problem of the valid documents in `index`. */
export function validateReferences(index: DocumentIndex): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  checkIdentities(index, problems);
  checkRoles(index, problems);
  for (const rule of index.byKind.SeparationOfDuties.values()) {
    for (const [i, role] of (rule.spec.conflicting.roles ?? []).entries()) {
      if (!index.names.Role.has(role)) {
        problems.push(rule.source.problem(['spec', 'conflicting', 'roles', i], `role '${role}' is not defined`));
      }
    }
  }
  checkProfiles(index, problems);
  for (const resource of index.byKind.Resource.values()) {
    const { spec, source } = resource;
    if (!index.names.ResourceProfile.has(spec.profile)) {
      problems.push(source.problem(['spec', 'profile'], `profile '${spec.profile}' is not defined`));
    }
    if (spec.owner !== undefined) {
      const problem = refProblem(index, spec.owner, source, ['spec', 'owner']);
      if (problem) problems.push(problem);
    }
  }
  return problems;
}
