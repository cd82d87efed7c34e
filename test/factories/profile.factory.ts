/**
 * Test factories for resolved profiles, actions and resources, with every required field filled with sensible
 * values. CEL is compiled through the real `compileExpression`, so a factory-built profile holds only
 * conditions the loader would accept.
 */
import { canonicalDigest } from '../../src/core/canonical-json.js';
import { NO_DRIFT } from '../../src/decide/types.js';
import type { ResourceState } from '../../src/decide/types.js';
import { compileExpression } from '../../src/policy/cel.js';
import type { CelContext } from '../../src/policy/cel.js';
import type {
  ActionDefinition,
  ApprovalRule,
  BaselineCheck,
  CompiledExpression,
  Resource,
  ResourceProfile,
  Severity,
} from '../../src/policy/model.js';

/** Compiles a CEL condition or throws with the compiler's message (a broken fixture is a broken test). */
export function compileOrThrow(source: string, context: CelContext = 'approval'): CompiledExpression {
  const compiled = compileExpression(source, context);
  if (!compiled.ok) throw new Error(`fixture condition '${source}' does not compile: ${compiled.message}`);
  return compiled.expression;
}

/** A gateway rule's `when`, compiled in the gateway context. */
export function gatewayCondition(source: string): CompiledExpression {
  return compileOrThrow(source, 'gateway');
}

export interface BaselineCheckSpec {
  readonly name: string;
  /** CEL source, compiled in the baseline context. */
  readonly expr: string;
  readonly severity?: Severity;
  readonly message?: string;
  readonly whenAbsent?: BaselineCheck['whenAbsent'];
}

export function makeBaselineCheck(spec: BaselineCheckSpec): BaselineCheck {
  return {
    name: spec.name,
    expr: compileOrThrow(spec.expr, 'baseline'),
    severity: spec.severity ?? 'medium',
    message: spec.message ?? `${spec.name} must hold`,
    whenAbsent: spec.whenAbsent ?? 'not_applicable',
  };
}

/** An approval rule; `when` is CEL source compiled in the approval context. */
export function makeApprovalRule(
  overrides: Partial<Omit<ApprovalRule, 'when'>> & { readonly when?: string } = {},
): ApprovalRule {
  const { when, ...rest } = overrides;
  return {
    name: 'rule-1',
    outcome: { type: 'steps', steps: [{ from: [{ type: 'owners' }], count: 1, independent: false }] },
    ...rest,
    ...(when === undefined ? {} : { when: compileOrThrow(when, 'approval') }),
  };
}

export function makeAction(overrides: Partial<ActionDefinition> = {}): ActionDefinition {
  return {
    name: 'read',
    risk: 'low',
    validateParams: () => [],
    grant: { role: 'analytics_ro' },
    maxDurationSeconds: 8 * 3600,
    approval: [makeApprovalRule()],
    requireJustification: true,
    pendingTimeoutSeconds: 24 * 3600,
    activationWindowSeconds: 3600,
    ...overrides,
  };
}

export type ProfileOverrides = Partial<Omit<ResourceProfile, 'baseline' | 'actions'>> & {
  /** Compiled checks, or specs whose `expr` is CEL source. */
  readonly baseline?: readonly (BaselineCheck | BaselineCheckSpec)[];
  readonly actions?: ReadonlyMap<string, ActionDefinition> | readonly ActionDefinition[];
};

/**
 * A resolved profile (`postgres-prod` by default, restricted, one `read` action, no baseline). `definition`
 * and `version` are derived from the other fields unless given.
 */
export function makeProfile(overrides: ProfileOverrides = {}): ResourceProfile {
  const { baseline, actions, ...rest } = overrides;
  const checks = (baseline ?? []).map((check) =>
    typeof check.expr === 'string' ? makeBaselineCheck(check as BaselineCheckSpec) : (check as BaselineCheck),
  );
  const actionMap =
    actions === undefined
      ? new Map([['read', makeAction()]])
      : actions instanceof Map
        ? actions
        : new Map((actions as readonly ActionDefinition[]).map((action) => [action.name, action]));
  const base = {
    name: 'postgres-prod',
    classification: 'restricted' as const,
    environment: 'production',
    owners: [{ type: 'group' as const, name: 'data-platform' }],
    labels: {},
    provider: { type: 'noop' as const, settings: {} },
    governance: { approvers: [{ type: 'group' as const, name: 'security' }] },
    ...rest,
  };
  const definition = rest.definition ?? {
    name: base.name,
    classification: base.classification,
    environment: base.environment,
    owners: base.owners,
    labels: base.labels,
    provider: base.provider,
    baseline: checks.map((check) => ({ name: check.name, expr: check.expr.source, severity: check.severity })),
    actions: [...actionMap.keys()],
  };
  return {
    ...base,
    definition,
    version: rest.version ?? canonicalDigest(definition),
    baseline: checks,
    actions: actionMap,
  };
}

export function makeResource(overrides: Partial<Resource> = {}): Resource {
  return {
    name: 'payments-db',
    profile: 'postgres-prod',
    labels: { region: 'eu' },
    owner: { type: 'group', name: 'payments' },
    connection: { dsnEnv: 'PAYMENTS_DB_DSN' },
    attributes: { database: 'payments' },
    ...overrides,
  };
}

/** Observed state: the given config (none when omitted, as for a resource never observed) and drift counts. */
export function makeResourceState(
  config?: Readonly<Record<string, unknown>>,
  drift: Partial<ResourceState['drift']> = {},
): ResourceState {
  return { ...(config === undefined ? {} : { config }), drift: { ...NO_DRIFT, ...drift } };
}
