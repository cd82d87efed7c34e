/**
 * Test factories for whole policies: identities, groups, roles with their assignments (written as in YAML:
 * `subjects: ['group:dba']`), and request records. Profiles and resources come from `profile.factory.ts`, so a
 * factory-built policy holds only CEL the loader would accept.
 */
import type {
  ActionDefinition,
  ApprovalStep,
  ApproverRef,
  Duty,
  Group,
  Identity,
  IdentityKind,
  PolicySet,
  Resource,
  ResourceProfile,
  Role,
  RoleAssignment,
  RoleScope,
  SodRule,
  SubjectRef,
} from '../../src/policy/model.js';
import { requestDigest } from '../../src/decide/request-digest.js';
import type { RequestRecord } from '../../src/decide/types.js';
import { makeAction, makeApprovalRule, makeProfile, makeResource } from './profile.factory.js';

export function human(name: string, groups: readonly string[] = [], overrides: Partial<Identity> = {}): Identity {
  return { name, kind: 'human', groups, attributes: {}, disabled: false, ...overrides };
}

/** A non-human identity; every NHI names a human owner. */
export function nhi(
  name: string,
  owner: string,
  groups: readonly string[] = [],
  kind: Exclude<IdentityKind, 'human'> = 'service',
): Identity {
  return { name, kind, owner, groups, attributes: {}, disabled: false };
}

/** Parses `group:NAME` / `identity:NAME`. */
export function subject(text: string): SubjectRef {
  const [type, name] = splitRef(text);
  if (type !== 'group' && type !== 'identity') throw new Error(`fixture subject '${text}' is not group: or identity:`);
  return { type, name };
}

/** Parses an approver reference: `group:NAME`, `identity:NAME`, `role:NAME` or `owners`. */
export function approverRef(text: string): ApproverRef {
  if (text === 'owners') return { type: 'owners' };
  const [type, name] = splitRef(text);
  if (type === 'role') return { type, name };
  return subject(text);
}

function splitRef(text: string): [string, string] {
  const colon = text.indexOf(':');
  if (colon < 1) throw new Error(`fixture reference '${text}' has no type`);
  return [text.slice(0, colon), text.slice(colon + 1)];
}

/** An approval step written as in YAML: `step(['group:dba'], 1, true)`. */
export function step(from: readonly string[], count = 1, independent = false): ApprovalStep {
  return { from: from.map(approverRef), count, independent };
}

/** A role as written in YAML, expanded into the role and one assignment per subject by `makePolicy`. */
export interface RoleSpec {
  readonly name: string;
  readonly duties: readonly Duty[];
  /** Profile names, or `'*'` for every profile; ignored when `selector` is set. Default `'*'`. */
  readonly profiles?: readonly string[] | '*';
  readonly selector?: Readonly<Record<string, string>>;
  readonly subjects?: readonly string[];
  readonly assignment?: 'standing' | 'eligible';
  readonly expiresAt?: number;
}

export function roleScope(spec: Pick<RoleSpec, 'profiles' | 'selector'>): RoleScope {
  if (spec.selector !== undefined) return { kind: 'selector', labels: spec.selector };
  if (spec.profiles === undefined || spec.profiles === '*') return { kind: 'all' };
  return { kind: 'profiles', names: spec.profiles };
}

export interface PolicySpec {
  readonly identities?: readonly Identity[];
  /** Group names; every group an identity names is added as well. */
  readonly groups?: readonly string[];
  readonly roles?: readonly RoleSpec[];
  /** Assignments beyond those the role specs produce. */
  readonly assignments?: readonly RoleAssignment[];
  readonly sodRules?: readonly SodRule[];
  /** Default: one `makeProfile()` (`postgres-prod`). */
  readonly profiles?: readonly ResourceProfile[];
  /** Default: one `makeResource()` (`payments-db`, bound to `postgres-prod`). */
  readonly resources?: readonly Resource[];
}

/** A resolved policy with Maps keyed by name, as the loader produces. */
export function makePolicy(spec: PolicySpec = {}): PolicySet {
  const identities = spec.identities ?? [];
  const groupNames = new Set([...(spec.groups ?? []), ...identities.flatMap((identity) => identity.groups)]);
  const roles: Role[] = [];
  const assignments: RoleAssignment[] = [];
  for (const roleSpec of spec.roles ?? []) {
    roles.push({ name: roleSpec.name, duties: roleSpec.duties, scope: roleScope(roleSpec) });
    for (const text of roleSpec.subjects ?? []) {
      assignments.push({
        id: `${roleSpec.name}/${text}`,
        role: roleSpec.name,
        subject: subject(text),
        assignment: roleSpec.assignment ?? 'standing',
        ...(roleSpec.expiresAt !== undefined ? { expiresAt: roleSpec.expiresAt } : {}),
        source: 'policy',
      });
    }
  }
  return {
    identities: byName(identities),
    groups: byName([...groupNames].map((name): Group => ({ name }))),
    roles: byName(roles),
    assignments: [...assignments, ...(spec.assignments ?? [])],
    sodRules: spec.sodRules ?? [],
    profiles: byName(spec.profiles ?? [makeProfile()]),
    resources: byName(spec.resources ?? [makeResource()]),
    notifiers: new Map(),
    contextSources: new Map(),
  };
}

function byName<T extends { readonly name: string }>(items: readonly T[]): Map<string, T> {
  return new Map(items.map((item) => [item.name, item]));
}

/**
 * A stored request. The digest is computed from the content unless given, and the profile version is taken
 * from `profile` when one is passed, so a record is consistent with its policy by default.
 */
export function makeRequestRecord(
  overrides: Partial<RequestRecord> = {},
  profile: Pick<ResourceProfile, 'name' | 'version'> = makeProfile(),
): RequestRecord {
  const content = {
    requester: 'alice',
    resource: 'payments-db',
    action: 'read',
    durationSeconds: 3600,
    justification: 'investigating INC-1',
    breakGlass: false,
    ...overrides,
  };
  return {
    id: 'req-1',
    profile: profile.name,
    profileVersion: profile.version,
    status: 'pending',
    createdAt: 0,
    matchedRule: 'rule-1',
    steps: [],
    approvals: [],
    ...content,
    digest: overrides.digest ?? requestDigest(content),
  };
}

/** The running example of docs/policy.md, used by several decision tests. */
export const EXAMPLE_NOW = Date.UTC(2026, 0, 15, 9, 0, 0);

/** `run-sql`'s parameters: an object with a string `sql`. */
export function validateSqlParams(params: unknown): readonly string[] {
  const sql = (params as { sql?: unknown } | undefined)?.sql;
  return typeof sql === 'string' && sql.length > 0 ? [] : ["'sql' is required and must be a string"];
}

/**
 * `postgres-prod` from docs/policy.md: `read` (auto for short human reads, else one owner) and `run-sql`
 * (denied on high drift, else an independent dba then security; needs a `CHG-` ticket), break-glass for
 * on-call. `extraActions` are added beside them.
 */
export function exampleProfile(
  overrides: { readonly extraActions?: readonly ActionDefinition[] } & Partial<ResourceProfile> = {},
): ResourceProfile {
  const { extraActions = [], ...rest } = overrides;
  const read = makeAction({
    name: 'read',
    maxDurationSeconds: 8 * 3600,
    approval: [
      makeApprovalRule({
        name: 'short-human-reads',
        when: 'request.duration <= duration("1h") && requester.kind == "human"',
        outcome: { type: 'auto' },
      }),
      makeApprovalRule({ name: 'owners-approve', outcome: { type: 'steps', steps: [step(['owners'])] } }),
    ],
  });
  const runSql = makeAction({
    name: 'run-sql',
    risk: 'high',
    grant: undefined,
    execute: { role: 'app_rw' },
    maxDurationSeconds: 15 * 60,
    ticketPattern: /^CHG-[0-9]+$/,
    validateParams: validateSqlParams,
    approval: [
      makeApprovalRule({
        name: 'no-drift',
        when: 'resource.drift.high > 0',
        outcome: { type: 'deny', message: 'resource has unresolved high-severity drift' },
      }),
      makeApprovalRule({
        name: 'dba-then-security',
        outcome: { type: 'steps', steps: [step(['group:dba'], 1, true), step(['group:security'], 1)] },
      }),
    ],
  });
  return makeProfile({
    actions: [read, runSql, ...extraActions],
    breakGlass: {
      allowed: [subject('group:oncall')],
      actions: ['read', 'run-sql'],
      maxDurationSeconds: 3600,
      reviewWithinSeconds: 86_400,
    },
    ...rest,
  });
}

export const EXAMPLE_IDENTITIES: readonly Identity[] = [
  human('alice', ['payments']),
  human('bob', ['dba']),
  human('carol', ['security']),
  human('dave', ['dba', 'payments']),
  human('erin', ['contractors']),
  human('olivia', ['oncall']),
  human('pat', ['data-platform']),
  human('mallory', ['payments'], { disabled: true }),
  nhi('deploy-bot', 'alice', ['ci'], 'pipeline'),
];

export const EXAMPLE_ROLES: readonly RoleSpec[] = [
  {
    name: 'payments-engineer',
    duties: ['request', 'use'],
    profiles: ['postgres-prod'],
    subjects: ['group:payments', 'identity:deploy-bot'],
  },
  {
    name: 'contractor-access',
    duties: ['request', 'use'],
    profiles: ['postgres-prod'],
    subjects: ['group:contractors'],
    assignment: 'eligible',
  },
  { name: 'approver', duties: ['approve'], subjects: ['group:dba', 'group:security', 'group:data-platform'] },
];

/** The example policy; pass replacements for any part. */
export function examplePolicy(spec: PolicySpec = {}): PolicySet {
  return makePolicy({
    identities: EXAMPLE_IDENTITIES,
    roles: EXAMPLE_ROLES,
    profiles: [exampleProfile()],
    resources: [makeResource()],
    ...spec,
  });
}
