/**
 * Builds the resolved `PolicySet` from documents that passed every check: references become typed refs,
 * durations become seconds, timestamps epoch milliseconds, defaults are filled in, and each profile gets its
 * `definition` (the resolved spec as written) and `version` (the digest of that definition).
 */
import { canonicalDigest } from '../core/canonical-json.js';
import { parseDurationSeconds } from '../core/duration.js';
import type { Origin, ResolvedProfile } from './extends.resolve.js';
import type {
  ActionDefinition,
  ApprovalOutcome,
  ApprovalRule,
  ApproverRef,
  BaselineCheck,
  CompiledExpression,
  Notifier,
  PolicySet,
  ProviderType,
  ReminderPolicy,
  ResourceProfile,
  RoleActivationPolicy,
  RoleAssignment,
  RoleScope,
  SubjectRef,
} from './model.js';
import { buildContextSource } from './context-sources.js';
import { buildGatewayPolicy } from './gateway-policy.js';
import { noParams } from './params-schema.js';
import type { DocumentIndex } from './policy-documents.js';
import type { CompiledParts } from './profile-parts.compile.js';
import { splitRef } from './references.validate.js';
import type {
  ActionSpec,
  ApprovalRuleSpec,
  NotifierSpec,
  ProfileSpec,
  RoleActivationSpec,
  RoleSpec,
} from './schemas.js';
import type { SourceDocument } from './yaml-documents.js';

const DEFAULT_PENDING_TIMEOUT = '24h';
const DEFAULT_ACTIVATION_WINDOW = '1h';

function seconds(duration: string): number {
  const value = parseDurationSeconds(duration);
  if (value === undefined) throw new Error(`internal: duration '${duration}' passed validation but does not parse`);
  return value;
}

export function subjectRef(ref: string): SubjectRef {
  const { type, name } = splitRef(ref);
  return type === 'group' ? { type: 'group', name } : { type: 'identity', name };
}

export function approverRef(ref: string): ApproverRef {
  const { type, name } = splitRef(ref);
  if (type === 'owners') return { type: 'owners' };
  if (type === 'role') return { type: 'role', name };
  return subjectRef(ref);
}

function roleScope(spec: RoleSpec): RoleScope {
  if (spec.selector) return { kind: 'selector', labels: spec.selector.labels };
  const names = spec.profiles ?? [];
  return names.includes('*') ? { kind: 'all' } : { kind: 'profiles', names };
}

function outcome(rule: ApprovalRuleSpec): ApprovalOutcome {
  if (rule.auto === true) return { type: 'auto' };
  if (rule.deny !== undefined) return { type: 'deny', message: rule.deny };
  return {
    type: 'steps',
    steps: (rule.steps ?? []).map((step) => ({
      from: step.from.map(approverRef),
      count: step.count ?? 1,
      independent: step.independent ?? false,
    })),
  };
}

function buildAction(
  name: string,
  action: ActionSpec,
  origin: Origin,
  spec: ProfileSpec,
  parts: CompiledParts,
): ActionDefinition {
  const defaults = spec.requestDefaults ?? {};
  const ticketPattern = action.ticketPattern ?? defaults.ticketPattern;
  const approval: ApprovalRule[] = (action.approval ?? []).map((rule, i) => {
    const path = [...origin.path, 'approval', i, 'when'];
    const when = rule.when === undefined ? undefined : parts.expression(origin.doc, path);
    if (rule.when !== undefined && when === undefined) throw new Error(`internal: '${rule.when}' was not compiled`);
    return { name: rule.name ?? `rule-${i + 1}`, ...(when ? { when } : {}), outcome: outcome(rule) };
  });
  const validateParams = action.params === undefined ? noParams : parts.params(origin.doc, [...origin.path, 'params']);
  if (!validateParams) throw new Error(`internal: params of action '${name}' were not compiled`);
  return {
    name,
    risk: action.risk,
    ...(action.description !== undefined ? { description: action.description } : {}),
    ...(action.params !== undefined ? { paramsSchema: action.params } : {}),
    validateParams,
    ...(action.grant !== undefined ? { grant: action.grant } : {}),
    ...(action.execute !== undefined ? { execute: action.execute } : {}),
    maxDurationSeconds: seconds(action.maxDuration),
    approval,
    requireJustification: action.requireJustification ?? defaults.requireJustification ?? true,
    ...(ticketPattern !== undefined ? { ticketPattern: new RegExp(ticketPattern) } : {}),
    pendingTimeoutSeconds: seconds(action.pendingTimeout ?? defaults.pendingTimeout ?? DEFAULT_PENDING_TIMEOUT),
    activationWindowSeconds: seconds(action.activationWindow ?? defaults.activationWindow ?? DEFAULT_ACTIVATION_WINDOW),
    ...(action.gateway !== undefined
      ? {
          gateway: buildGatewayPolicy(action.gateway, (i) =>
            parts.expression(origin.doc, [...origin.path, 'gateway', 'rules', i, 'when']),
          ),
        }
      : {}),
    ...reminderPolicy(action.reminders ?? defaults.reminders),
  };
}

function reminderPolicy(spec: ActionSpec['reminders']): { reminders?: ReminderPolicy } {
  if (spec === undefined) return {};
  return {
    reminders: {
      ...(spec.after !== undefined ? { afterSeconds: seconds(spec.after) } : {}),
      ...(spec.escalateAfter !== undefined ? { escalateAfterSeconds: seconds(spec.escalateAfter) } : {}),
      escalateTo: (spec.escalateTo ?? []).map(subjectRef),
    },
  };
}

function buildNotifier(name: string, spec: NotifierSpec): Notifier {
  switch (spec.type) {
    case 'webhook':
      return { name, ...spec, format: spec.format ?? 'json' };
    case 'slack':
      return { name, ...spec, directMessages: spec.directMessages ?? true };
    default:
      return { name, ...spec };
  }
}

/** Defaults of a role's `activation` block: short, justified, and decided within a working day. */
const DEFAULT_ROLE_ACTIVATION_MAX = '1h';

function buildRoleActivation(
  spec: RoleActivationSpec,
  doc: SourceDocument,
  parts: CompiledParts,
): RoleActivationPolicy {
  const approval: ApprovalRule[] = (spec.approval ?? []).map((rule, i) => {
    const when =
      rule.when === undefined ? undefined : parts.expression(doc, ['spec', 'activation', 'approval', i, 'when']);
    if (rule.when !== undefined && when === undefined) throw new Error(`internal: '${rule.when}' was not compiled`);
    return { name: rule.name ?? `rule-${i + 1}`, ...(when ? { when } : {}), outcome: outcome(rule) };
  });
  return {
    maxDurationSeconds: seconds(spec.maxDuration ?? DEFAULT_ROLE_ACTIVATION_MAX),
    requireJustification: spec.requireJustification ?? true,
    ...(spec.ticketPattern !== undefined ? { ticketPattern: new RegExp(spec.ticketPattern) } : {}),
    pendingTimeoutSeconds: seconds(spec.pendingTimeout ?? DEFAULT_PENDING_TIMEOUT),
    approval,
  };
}

/** The plain-JSON definition a profile version hashes: the resolved spec as written, with the profile's name. */
export function profileDefinition(profile: Pick<ResolvedProfile, 'name' | 'spec'>): Record<string, unknown> {
  return JSON.parse(JSON.stringify({ name: profile.name, ...profile.spec })) as Record<string, unknown>;
}

function buildProfile(profile: ResolvedProfile, parts: CompiledParts): ResourceProfile {
  const { spec } = profile;
  const definition = profileDefinition(profile);
  if (!spec.classification || !spec.environment || !spec.owners || !spec.provider) {
    throw new Error(`internal: profile '${profile.name}' is incomplete after validation`);
  }
  const { type, ...settings } = spec.provider;
  const baseline: BaselineCheck[] = (spec.baseline ?? []).map((check) => {
    const origin = profile.baselineOrigins.get(check.name);
    const expr = origin && parts.expression(origin.doc, [...origin.path, 'expr']);
    if (!expr) throw new Error(`internal: baseline check '${check.name}' was not compiled`);
    return {
      name: check.name,
      expr,
      severity: check.severity,
      message: check.message,
      whenAbsent: check.whenAbsent ?? 'not_applicable',
    };
  });
  const actions = new Map<string, ActionDefinition>();
  for (const [name, action] of Object.entries(spec.actions ?? {})) {
    const origin = profile.actionOrigins.get(name);
    if (!origin) throw new Error(`internal: action '${name}' has no origin`);
    actions.set(name, buildAction(name, action, origin, spec, parts));
  }
  const owners = spec.owners.map(subjectRef);
  return {
    name: profile.name,
    version: canonicalDigest(definition),
    definition,
    ...(spec.extends !== undefined ? { extends: spec.extends } : {}),
    classification: spec.classification,
    environment: spec.environment,
    owners,
    labels: spec.labels ?? {},
    provider: { type: type as ProviderType, settings },
    baseline,
    actions,
    ...(spec.breakGlass
      ? {
          breakGlass: {
            allowed: spec.breakGlass.allowed.map(subjectRef),
            actions: spec.breakGlass.actions,
            maxDurationSeconds: seconds(spec.breakGlass.maxDuration),
            reviewWithinSeconds: seconds(spec.breakGlass.reviewWithin),
            ...breakGlassCondition(profile, parts),
          },
        }
      : {}),
    ...(spec.certification ? { certification: { everySeconds: seconds(spec.certification.every) } } : {}),
    governance: { approvers: spec.governance ? spec.governance.approvers.map(subjectRef) : owners },
    position: profile.document.source.position(['metadata', 'name']),
  };
}

/** The compiled `breakGlass.when`, looked up in the document that wrote the `breakGlass` block. */
function breakGlassCondition(profile: ResolvedProfile, parts: CompiledParts): { when?: CompiledExpression } {
  const origin = profile.fieldOrigins.get('breakGlass');
  if (profile.spec.breakGlass?.when === undefined || origin === undefined) return {};
  const when = parts.expression(origin.doc, [...origin.path, 'when']);
  if (!when) throw new Error(`internal: breakGlass.when of profile '${profile.name}' was not compiled`);
  return { when };
}

/**
 * Builds the policy model. Call it only when loading found no problem: it trusts every reference, duration
 * and expression to have been checked, and throws on a broken invariant rather than guessing.
 */
export function buildPolicySet(
  index: DocumentIndex,
  profiles: ReadonlyMap<string, ResolvedProfile>,
  parts: CompiledParts,
): PolicySet {
  const { byKind } = index;
  const assignments: RoleAssignment[] = [];
  for (const role of byKind.Role.values()) {
    const expiresAt = role.spec.expires === undefined ? undefined : Date.parse(role.spec.expires);
    for (const ref of role.spec.subjects ?? []) {
      const subject = subjectRef(ref);
      assignments.push({
        id: `policy:${role.name}:${subject.type}:${subject.name}`,
        role: role.name,
        subject,
        assignment: role.spec.assignment ?? 'standing',
        ...(expiresAt !== undefined ? { expiresAt } : {}),
        source: 'policy',
      });
    }
  }
  return {
    identities: new Map(
      [...byKind.Identity.values()].map(({ name, spec }) => [
        name,
        {
          name,
          kind: spec.kind,
          ...(spec.email !== undefined ? { email: spec.email } : {}),
          ...(spec.subject !== undefined ? { subject: spec.subject } : {}),
          ...(spec.emailLogin === true ? { emailLogin: true } : {}),
          ...(spec.owner !== undefined ? { owner: spec.owner } : {}),
          groups: spec.groups ?? [],
          attributes: spec.attributes ?? {},
          disabled: spec.disabled ?? false,
          ...(spec.slack !== undefined ? { slack: spec.slack } : {}),
        },
      ]),
    ),
    groups: new Map(
      [...byKind.Group.values()].map(({ name, spec, metadata }) => {
        const description = spec.description ?? metadata.description;
        return [name, { name, ...(description !== undefined ? { description } : {}) }];
      }),
    ),
    roles: new Map(
      [...byKind.Role.values()].map(({ name, spec, source }) => [
        name,
        {
          name,
          duties: spec.duties,
          scope: roleScope(spec),
          ...(spec.activation !== undefined ? { activation: buildRoleActivation(spec.activation, source, parts) } : {}),
        },
      ]),
    ),
    assignments,
    sodRules: [...byKind.SeparationOfDuties.values()].map(({ name, spec, source }) => ({
      name,
      scope: spec.scope,
      conflicting: spec.conflicting.duties
        ? { duties: spec.conflicting.duties }
        : { roles: spec.conflicting.roles ?? [] },
      ...(spec.description !== undefined ? { description: spec.description } : {}),
      position: source.position(['metadata', 'name']),
    })),
    // In document order, not resolution order (which puts bases first).
    profiles: new Map(
      [...byKind.ResourceProfile.keys()].flatMap((name) => {
        const profile = profiles.get(name);
        return profile ? [[name, buildProfile(profile, parts)] as const] : [];
      }),
    ),
    resources: new Map(
      [...byKind.Resource.values()].map(({ name, spec, metadata }) => [
        name,
        {
          name,
          profile: spec.profile,
          labels: metadata.labels ?? {},
          ...(spec.owner !== undefined ? { owner: subjectRef(spec.owner) } : {}),
          connection: spec.connection ?? {},
          attributes: spec.attributes ?? {},
        },
      ]),
    ),
    contextSources: new Map(
      [...byKind.ContextSource.values()].map(({ name, spec }) => [name, buildContextSource(name, spec)]),
    ),
    notifiers: new Map(
      [...byKind.Notifier.values()].map(({ name, spec }): [string, Notifier] => [name, buildNotifier(name, spec)]),
    ),
  };
}
