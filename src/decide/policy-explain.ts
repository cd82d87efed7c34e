/**
 * `policy explain`: turns a resolved `PolicySet` into a summary a newcomer can read — per profile, what it
 * guards, its actions and their approval rules in words, and who may request or approve — plus the SoD
 * rules and the non-human identities with their owners. Pure: the CLI loads the policy and picks `now`; the API
 * (`GET /v1/profiles/{name}/explain`) explains one profile of the snapshot in force with its duty index.
 */
import { describeGateway } from './policy-explain.gateway.js';
import { formatDurationSeconds } from '../core/duration.js';
import { DutyIndex, scopeCovers } from './duties.js';
import { DEFAULT_ROLE_ACTIVATION } from './role-activation.decide.js';
import type {
  ActionDefinition,
  ApprovalRule,
  ApprovalStep,
  ApproverRef,
  Duty,
  PolicySet,
  ResourceProfile,
  SodRule,
  SubjectRef,
} from '../policy/model.js';

const plural = (count: number, word: string): string => `${count} ${count === 1 ? word : `${word}s`}`;

/** Identities holding one duty on a profile through one role. */
export interface DutyHolders {
  readonly role: string;
  readonly assignment: 'standing' | 'eligible';
  readonly identities: readonly string[];
}

export interface ActionSummary {
  readonly name: string;
  readonly description?: string;
  readonly risk: string;
  /** `grant` (access for a while) or `execute` (runs once). */
  readonly kind: 'grant' | 'execute';
  readonly maxDuration: string;
  readonly params: readonly string[];
  readonly requireJustification: boolean;
  readonly ticketPattern?: string;
  /** One sentence per approval rule, in order (first match wins). */
  readonly approval: readonly string[];
  /** A gateway-only action's statement rules in words (`policy-explain.gateway.ts`). */
  readonly gateway?: readonly string[];
}

export interface ProfileSummary {
  readonly name: string;
  /** The first 12 hex digits of the profile's content hash. */
  readonly version: string;
  readonly classification: string;
  readonly environment: string;
  readonly provider: string;
  readonly extends?: string;
  readonly owners: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  readonly resources: readonly string[];
  readonly baseline: readonly {
    readonly name: string;
    readonly severity: string;
    readonly expr: string;
    readonly message: string;
  }[];
  readonly actions: readonly ActionSummary[];
  readonly breakGlass?: string;
  readonly certification?: string;
  readonly governance: string;
  readonly whoCanRequest: readonly DutyHolders[];
  readonly whoCanApprove: readonly DutyHolders[];
  readonly whoCanProvision: readonly DutyHolders[];
}

export interface PolicySummary {
  readonly counts: Readonly<Record<string, number>>;
  readonly profiles: readonly ProfileSummary[];
  readonly sodRules: readonly { readonly name: string; readonly scope: string; readonly rule: string }[];
  readonly nonHumanIdentities: readonly {
    readonly name: string;
    readonly kind: string;
    readonly owner: string;
    readonly duties: readonly string[];
  }[];
  readonly notifiers: readonly { readonly name: string; readonly format: string; readonly events: readonly string[] }[];
  /** Roles assigned `eligible` to someone: what they give and how an activation of them is decided. */
  readonly eligibleRoles: readonly {
    readonly name: string;
    readonly duties: readonly Duty[];
    readonly maxDuration: string;
    /** One sentence per activation rule, or the built-in default. */
    readonly activation: readonly string[];
  }[];
}

/** `group:dba`, `identity:alice`, `role:dba-admin`, `owners`: references as they are written in YAML. */
export function formatRef(ref: ApproverRef): string {
  return ref.type === 'owners' ? 'owners' : `${ref.type}:${ref.name}`;
}

function describeStep(step: ApprovalStep, first: boolean, owners: readonly SubjectRef[]): string {
  const count = first ? plural(step.count, 'approval') : String(step.count);
  const describeSource = (ref: ApproverRef): string =>
    ref.type === 'owners' && owners.length > 0 ? `owners (${owners.map(formatRef).join(', ')})` : formatRef(ref);
  const from = step.from.map(describeSource).join(' or ');
  return `${count} from ${from}${step.independent ? ' (independent)' : ''}`;
}

/**
 * One approval rule as a sentence: "auto when …", "deny when …: message", or the steps joined with "then"
 * ("1 approval from group:dba (independent), then 1 from group:security"). `owners`, when given, spells out
 * who the profile's owners are.
 */
export function describeApprovalRule(rule: ApprovalRule, owners: readonly SubjectRef[] = []): string {
  const when = rule.when ? ` when ${rule.when.source}` : '';
  switch (rule.outcome.type) {
    case 'auto':
      return `auto${when}`;
    case 'deny':
      return `deny${when}: ${rule.outcome.message}`;
    case 'steps': {
      const steps = rule.outcome.steps.map((step, index) => describeStep(step, index === 0, owners)).join(', then ');
      return rule.when ? `${steps}${when}` : steps;
    }
  }
}

/** Every approval rule in words, plus the implicit deny when the last rule is conditional. */
export function describeApproval(rules: readonly ApprovalRule[], owners: readonly SubjectRef[] = []): string[] {
  const sentences = rules.map((rule) => `[${rule.name}] ${describeApprovalRule(rule, owners)}`);
  const last = rules.at(-1);
  if (!last || last.when) sentences.push('otherwise: deny (no rule matched)');
  return sentences;
}

function summarizeAction(action: ActionDefinition, owners: readonly SubjectRef[]): ActionSummary {
  const properties = action.paramsSchema?.['properties'];
  return {
    name: action.name,
    ...(action.description !== undefined ? { description: action.description } : {}),
    risk: action.risk,
    kind: action.execute ? 'execute' : 'grant',
    maxDuration: formatDurationSeconds(action.maxDurationSeconds),
    params: properties && typeof properties === 'object' ? Object.keys(properties) : [],
    requireJustification: action.requireJustification,
    ...(action.ticketPattern ? { ticketPattern: action.ticketPattern.source } : {}),
    approval: describeApproval(action.approval, owners),
    ...(action.gateway ? { gateway: describeGateway(action.gateway) } : {}),
  };
}

/** Groups the identities holding `duty` on `profile` by the role (and kind of assignment) that gives it. */
function holdersOf(policy: PolicySet, duties: DutyIndex, profile: ResourceProfile, duty: Duty): DutyHolders[] {
  const byRole = new Map<string, DutyHolders & { identities: string[] }>();
  for (const identity of policy.identities.keys()) {
    for (const holding of duties.effectiveHoldings(identity, { includeEligible: true })) {
      if (holding.duty !== duty || !scopeCovers(holding.scope, profile)) continue;
      const key = `${holding.role}\u0000${holding.assignment}`;
      const entry = byRole.get(key) ?? { role: holding.role, assignment: holding.assignment, identities: [] };
      if (!entry.identities.includes(identity)) entry.identities.push(identity);
      byRole.set(key, entry);
    }
  }
  return [...byRole.values()].map((entry) => ({ ...entry, identities: entry.identities.sort() }));
}

function describeSodRule(rule: SodRule): string {
  const members = rule.conflicting.duties ?? rule.conflicting.roles ?? [];
  const what = `${rule.conflicting.duties ? 'duties' : 'roles'} ${members.join(' and ')}`;
  const sentence = {
    request: `within one request, nobody acts in both of the ${what}`,
    profile: `nobody holds two of the ${what} on the same profile`,
    global: `nobody holds two of the ${what} anywhere`,
  }[rule.scope];
  return rule.description ? `${sentence} — ${rule.description}` : sentence;
}

/**
 * One profile explained: what it guards, its actions and approval rules in words, and who holds which duty on it
 * according to `duties` (the policy's own index, or the snapshot's with the database's assignments).
 */
export function explainProfile(policy: PolicySet, duties: DutyIndex, profile: ResourceProfile): ProfileSummary {
  const breakGlass = profile.breakGlass;
  return {
    name: profile.name,
    version: profile.version.slice(0, 12),
    classification: profile.classification,
    environment: profile.environment,
    provider: profile.provider.type,
    ...(profile.extends !== undefined ? { extends: profile.extends } : {}),
    owners: profile.owners.map(formatRef),
    labels: profile.labels,
    resources: [...policy.resources.values()].filter((r) => r.profile === profile.name).map((r) => r.name),
    baseline: profile.baseline.map((check) => ({
      name: check.name,
      severity: check.severity,
      expr: check.expr.source,
      message: check.message,
    })),
    actions: [...profile.actions.values()].map((action) => summarizeAction(action, profile.owners)),
    ...(breakGlass
      ? {
          breakGlass:
            `${breakGlass.allowed.map(formatRef).join(', ')} may use ${breakGlass.actions.join(', ')} at once ` +
            `for at most ${formatDurationSeconds(breakGlass.maxDurationSeconds)}; ` +
            `reviewed within ${formatDurationSeconds(breakGlass.reviewWithinSeconds)}`,
        }
      : {}),
    ...(profile.certification
      ? {
          certification: `standing access re-certified every ${formatDurationSeconds(profile.certification.everySeconds)}`,
        }
      : {}),
    governance: `changes approved by ${profile.governance.approvers.map(formatRef).join(', ')}`,
    whoCanRequest: holdersOf(policy, duties, profile, 'request'),
    whoCanApprove: holdersOf(policy, duties, profile, 'approve'),
    whoCanProvision: holdersOf(policy, duties, profile, 'provision'),
  };
}

/** Builds the newcomer's summary of a policy as of `now` (expired assignments no longer count). */
export function explainPolicy(policy: PolicySet, now: number): PolicySummary {
  const duties = new DutyIndex(policy, now);
  const nonHumans = [...policy.identities.values()].filter((identity) => identity.kind !== 'human');
  return {
    counts: {
      identities: policy.identities.size,
      groups: policy.groups.size,
      roles: policy.roles.size,
      profiles: policy.profiles.size,
      resources: policy.resources.size,
      sodRules: policy.sodRules.length,
      notifiers: policy.notifiers.size,
    },
    profiles: [...policy.profiles.values()].map((profile) => explainProfile(policy, duties, profile)),
    sodRules: policy.sodRules.map((rule) => ({ name: rule.name, scope: rule.scope, rule: describeSodRule(rule) })),
    nonHumanIdentities: nonHumans.map((identity) => ({
      name: identity.name,
      kind: identity.kind,
      owner: identity.owner ?? '(none)',
      duties: [
        ...new Set(duties.effectiveHoldings(identity.name, { includeEligible: true }).map((h) => h.duty)),
      ].sort(),
    })),
    notifiers: [...policy.notifiers.values()].map((notifier) => ({
      name: notifier.name,
      format: notifier.type === 'webhook' ? notifier.format : notifier.type,
      events: notifier.events,
    })),
    eligibleRoles: [...policy.roles.values()]
      .filter((role) => policy.assignments.some((a) => a.role === role.name && a.assignment === 'eligible'))
      .map((role) => ({
        name: role.name,
        duties: role.duties,
        maxDuration: formatDurationSeconds(
          role.activation?.maxDurationSeconds ?? DEFAULT_ROLE_ACTIVATION.maxDurationSeconds,
        ),
        activation:
          role.activation === undefined || role.activation.approval.length === 0
            ? ["one approval by an identity holding 'approve' over everything the role covers (the default)"]
            : describeApproval(role.activation.approval),
      })),
  };
}
