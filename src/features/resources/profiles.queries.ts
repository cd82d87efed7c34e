/**
 * Reads behind `/v1/profiles`: the resource profiles in force as people need to see them (classification,
 * environment, owners, actions with their risk, maximum duration and approval rules summarised, baseline checks,
 * break-glass, certification, governance) and every version of a profile ever loaded. An identity sees only
 * profiles it holds a duty on (`decideProfileRead`).
 */
import { formatDurationSeconds } from '../../core/duration.js';
import { AppError } from '../../core/errors.js';
import { decideProfileRead, visibleProfileNames } from '../../decide/visibility.decide.js';
import type { ApprovalRule, ApproverRef, GatewayPolicy, ResourceProfile, SubjectRef } from '../../policy/model.js';
import { fromJsonText } from '../../store/columns.js';
import type { VerbCall } from '../../app/context.js';
import { readWithSnapshot, requireRead } from '../../app/snapshot.queries.js';
import type {
  ApprovalRuleView,
  ProfileActionView,
  ProfileSummaryView,
  ProfileVersionView,
  ProfileView,
} from './profile.view.js';

const refText = (ref: SubjectRef | ApproverRef): string =>
  ref.type === 'owners' ? 'owners' : `${ref.type}:${ref.name}`;

function summary(profile: ResourceProfile): ProfileSummaryView {
  return {
    name: profile.name,
    version: profile.version,
    classification: profile.classification,
    environment: profile.environment,
    owners: profile.owners.map(refText),
    labels: { ...profile.labels },
    extends: profile.extends ?? null,
    provider: profile.provider.type,
    actions: [...profile.actions.keys()],
  };
}

function ruleView(rule: ApprovalRule): ApprovalRuleView {
  const when = rule.when?.source ?? null;
  const prefix = when === null ? 'always' : `when ${when}`;
  switch (rule.outcome.type) {
    case 'auto':
      return {
        name: rule.name,
        when,
        outcome: 'auto',
        message: null,
        steps: [],
        summary: `${prefix}: approved by policy`,
      };
    case 'deny':
      return {
        name: rule.name,
        when,
        outcome: 'deny',
        message: rule.outcome.message,
        steps: [],
        summary: `${prefix}: denied (${rule.outcome.message})`,
      };
    case 'steps': {
      const steps = rule.outcome.steps.map((s) => ({
        from: s.from.map(refText),
        count: s.count,
        independent: s.independent,
      }));
      const text = steps
        .map((s) => `${s.count} of ${s.from.join(' or ')}${s.independent ? ' (independent)' : ''}`)
        .join(', then ');
      return { name: rule.name, when, outcome: 'steps', message: null, steps, summary: `${prefix}: ${text}` };
    }
  }
}

function gatewayView(gateway: GatewayPolicy): ProfileActionView['gateway'] {
  return {
    rules: gateway.rules.map((rule) => ({
      name: rule.name,
      when: rule.when?.source ?? null,
      outcome: rule.allow ? 'allow' : 'deny',
      message: rule.deny ?? null,
    })),
    default: gateway.otherwise,
    statementTimeoutSeconds: gateway.statementTimeoutSeconds ?? null,
    maxRows: gateway.maxRows ?? null,
    maxBytes: gateway.maxBytes ?? null,
    masks: gateway.masks.map((mask) => ({ table: mask.table ?? null, column: mask.column, mask: mask.mask })),
  };
}

function profileView(profile: ResourceProfile, loadedAt: number | undefined): ProfileView {
  return {
    ...summary(profile),
    loadedAt: loadedAt === undefined ? null : new Date(loadedAt).toISOString(),
    actionDetails: [...profile.actions.values()].map((action) => ({
      name: action.name,
      risk: action.risk,
      description: action.description ?? null,
      kind: action.execute ? 'execute' : 'grant',
      maxDuration: formatDurationSeconds(action.maxDurationSeconds),
      maxDurationSeconds: action.maxDurationSeconds,
      requireJustification: action.requireJustification,
      ticketPattern: action.ticketPattern?.source ?? null,
      pendingTimeout: formatDurationSeconds(action.pendingTimeoutSeconds),
      activationWindow: formatDurationSeconds(action.activationWindowSeconds),
      params: action.paramsSchema ? { ...action.paramsSchema } : null,
      approval: action.approval.map(ruleView),
      gateway: action.gateway ? gatewayView(action.gateway) : null,
    })),
    baseline: profile.baseline.map((check) => ({
      name: check.name,
      expr: check.expr.source,
      severity: check.severity,
      message: check.message,
      whenAbsent: check.whenAbsent,
    })),
    breakGlass: profile.breakGlass
      ? {
          allowed: profile.breakGlass.allowed.map(refText),
          actions: [...profile.breakGlass.actions],
          maxDuration: formatDurationSeconds(profile.breakGlass.maxDurationSeconds),
          reviewWithin: formatDurationSeconds(profile.breakGlass.reviewWithinSeconds),
        }
      : null,
    certification: profile.certification ? { every: formatDurationSeconds(profile.certification.everySeconds) } : null,
    governance: { approvers: profile.governance.approvers.map(refText) },
  };
}

/** Profiles in force that the actor may see, by name. */
export async function listProfiles({ app, actor }: VerbCall<Record<string, never>>): Promise<ProfileSummaryView[]> {
  return readWithSnapshot(app, async ({ snapshot }) => {
    const visible = visibleProfileNames(snapshot.duties, actor, snapshot.policy.profiles.values());
    return [...snapshot.policy.profiles.values()]
      .filter((p) => visible.has(p.name))
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .map(summary);
  });
}

/** One profile in force, in full; `not_found` also when the actor may not see it. */
export async function getProfile({ app, actor, input }: VerbCall<{ name: string }>): Promise<ProfileView> {
  return readWithSnapshot(app, async ({ trx, snapshot }) => {
    const profile = snapshot.policy.profiles.get(input.name);
    if (!profile || !decideProfileRead(snapshot.duties, actor, profile).allowed) {
      throw new AppError('not_found', `profile '${input.name}' does not exist`);
    }
    const row = await trx.selectFrom('profiles').select('loaded_at').where('name', '=', input.name).executeTakeFirst();
    return profileView(profile, row === undefined ? undefined : Number(row.loaded_at));
  });
}

/**
 * Every version of a profile ever loaded, oldest first (removed profiles included). Visibility follows the
 * profile in force, or for a removed profile the labels of its last version.
 */
export async function listProfileVersions({
  app,
  actor,
  input,
}: VerbCall<{ name: string }>): Promise<ProfileVersionView[]> {
  return readWithSnapshot(app, async ({ trx, snapshot }) => {
    const rows = await trx
      .selectFrom('profile_versions')
      .select(['version', 'first_loaded_at', 'policy_load_id', 'definition'])
      .where('profile', '=', input.name)
      .orderBy('first_loaded_at')
      .orderBy('version')
      .execute();
    const inForce = snapshot.policy.profiles.get(input.name);
    const last = rows.at(-1);
    if (!inForce && !last) throw new AppError('not_found', `profile '${input.name}' does not exist`);
    const labels = inForce?.labels ?? labelsOf(last?.definition);
    const decision = decideProfileRead(snapshot.duties, actor, { name: input.name, labels });
    if (inForce && !decision.allowed) throw new AppError('not_found', `profile '${input.name}' does not exist`);
    requireRead(decision);
    return rows.map((row) => ({
      version: row.version,
      firstLoadedAt: new Date(Number(row.first_loaded_at)).toISOString(),
      policyLoadId: row.policy_load_id,
      current: row.version === inForce?.version,
    }));
  });
}

function labelsOf(definition: string | undefined): Record<string, string> {
  if (definition === undefined) return {};
  const parsed = fromJsonText<{ labels?: Record<string, string> }>(definition);
  return parsed.labels ?? {};
}
