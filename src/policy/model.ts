/**
 * The resolved policy model: what the loader produces from a directory of YAML documents and what every pure
 * decision reads. Names are resolved, `extends` is merged, durations are seconds, times are epoch
 * milliseconds, CEL is compiled. Nothing here does I/O; the storage layer persists `PolicySet` documents and
 * rebuilds this model from them.
 */

export const DUTIES = ['request', 'approve', 'provision', 'use', 'certify', 'administer', 'audit'] as const;
export type Duty = (typeof DUTIES)[number];

/** Duties that only a human may hold (SPEC §2.2): an NHI holding one through any role is a policy error. */
export const HUMAN_ONLY_DUTIES: ReadonlySet<Duty> = new Set<Duty>(['approve', 'certify', 'administer', 'audit']);

export const IDENTITY_KINDS = ['human', 'service', 'pipeline', 'workload'] as const;
export type IdentityKind = (typeof IDENTITY_KINDS)[number];

export const CLASSIFICATIONS = ['public', 'internal', 'confidential', 'restricted'] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];

export const RISKS = ['low', 'medium', 'high', 'critical'] as const;
export type Risk = (typeof RISKS)[number];

import type { Severity } from '../core/domain.js';

export { SEVERITIES, type Severity } from '../core/domain.js';
import type { ContextSource } from './context-sources.js';

export const PROVIDER_TYPES = ['postgres', 'exec', 'webhook', 'manual', 'noop'] as const;
export type ProviderType = (typeof PROVIDER_TYPES)[number];

export const SOD_SCOPES = ['request', 'profile', 'global'] as const;
export type SodScope = (typeof SOD_SCOPES)[number];

/** Where a document or field came from, so that every problem can be reported as `file:line:col: message`. */
export interface SourcePosition {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

/** A reference written `group:NAME` or `identity:NAME` in YAML. */
export type SubjectRef =
  { readonly type: 'group'; readonly name: string } | { readonly type: 'identity'; readonly name: string };

/** Who may approve a step: a group, a role's holders, one identity, or the profile's owners. */
export type ApproverRef = SubjectRef | { readonly type: 'role'; readonly name: string } | { readonly type: 'owners' };

export interface Identity {
  readonly name: string;
  readonly kind: IdentityKind;
  readonly email?: string;
  /** OIDC subject this identity logs in as; an identity with one is never matched by e-mail. */
  readonly subject?: string;
  /**
   * Opt-in: an OIDC token whose `sub` names no identity logs in as this one when its verified e-mail address
   * (`email_verified: true`) is this identity's `email`. Never for an identity with a `subject`.
   */
  readonly emailLogin?: boolean;
  /** The human accountable for a non-human identity (OWASP NHI1). Always set for NHIs. */
  readonly owner?: string;
  readonly groups: readonly string[];
  readonly attributes: Readonly<Record<string, string | number | boolean>>;
  readonly disabled: boolean;
  /** The identity's Slack member id: approval requests are sent to it, and its button presses act as this identity. */
  readonly slack?: string;
}

export interface Group {
  readonly name: string;
  readonly description?: string;
}

/** What a role's duties apply to. */
export type RoleScope =
  | { readonly kind: 'all' }
  | { readonly kind: 'profiles'; readonly names: readonly string[] }
  | { readonly kind: 'selector'; readonly labels: Readonly<Record<string, string>> };

export interface Role {
  readonly name: string;
  readonly duties: readonly Duty[];
  readonly scope: RoleScope;
  /** How an eligible assignment of the role is activated; unset means the built-in, fail-closed default. */
  readonly activation?: RoleActivationPolicy;
}

/**
 * A role's `activation` block. An activation is a request for the role by name; `approval` rules are tried in
 * order like an action's (CEL sees `request`, `requester`, `role`, `now`); an empty list means one approval by an
 * identity holding `approve` over everything the role covers, never `auto`.
 */
export interface RoleActivationPolicy {
  readonly maxDurationSeconds: number;
  readonly requireJustification: boolean;
  readonly ticketPattern?: RegExp;
  readonly pendingTimeoutSeconds: number;
  readonly approval: readonly ApprovalRule[];
}

/**
 * One subject holding one role. YAML roles produce one assignment per subject (`source: 'policy'`); the API
 * adds assignments of its own (`source: 'api'`). Eligible assignments must be activated through a request.
 */
export interface RoleAssignment {
  readonly id: string;
  readonly role: string;
  readonly subject: SubjectRef;
  readonly assignment: 'standing' | 'eligible';
  /** Epoch ms after which the assignment no longer counts. */
  readonly expiresAt?: number;
  readonly source: 'policy' | 'api';
}

export interface SodRule {
  readonly name: string;
  readonly scope: SodScope;
  /** Exactly one of duties or roles is set, with at least two entries. */
  readonly conflicting: { readonly duties?: readonly Duty[]; readonly roles?: readonly string[] };
  readonly description?: string;
  /** Where the rule is written, so that `policy validate` can point at it. */
  readonly position?: SourcePosition;
}

/** A time-bounded, approved exemption of one identity from one SoD rule. Comes from storage, not YAML. */
export interface SodException {
  readonly id: string;
  readonly rule: string;
  readonly identity: string;
  readonly justification: string;
  readonly compensatingControl: string;
  readonly expiresAt: number;
  /** Unset while the exception awaits approval; an unapproved exception suppresses nothing. */
  readonly approvedBy?: string;
}

/** A compiled CEL expression: compiled and type-checked once at load, evaluated many times. */
export interface CompiledExpression {
  readonly source: string;
  readonly position?: SourcePosition;
  /**
   * True when the expression reads what only an observation supplies (`resource.config`, `resource.drift`):
   * on a resource never observed its value is unknown, and approval rules treat it so (fail closed).
   */
  readonly readsObservedState: boolean;
  /**
   * The context sources the expression reads (`context.NAME`, and the ticket source for `ticket`): when one of
   * them is unknown for a decision (unreachable, slow), the expression cannot decide it (fail closed).
   */
  readonly readsContext: readonly string[];
  /** Evaluates against CEL variables built by `policy/cel.ts`; throws on a runtime evaluation error. */
  evaluate(variables: CelVariables): unknown;
}

/** The variables of SPEC §2.6, already converted into CEL values by `buildCelVariables`. */
export type CelVariables = Readonly<Record<string, unknown>>;

export interface BaselineCheck {
  readonly name: string;
  readonly expr: CompiledExpression;
  readonly severity: Severity;
  readonly message: string;
  /** What a missing config field means for this check: `not_applicable` (default) or `non_compliant`. */
  readonly whenAbsent: 'not_applicable' | 'non_compliant';
}

export interface ApprovalStep {
  readonly from: readonly ApproverRef[];
  readonly count: number;
  /** The approver shares no group with the requester. */
  readonly independent: boolean;
}

export type ApprovalOutcome =
  | { readonly type: 'auto' }
  | { readonly type: 'deny'; readonly message: string }
  | { readonly type: 'steps'; readonly steps: readonly ApprovalStep[] };

export interface ApprovalRule {
  /** `name` from YAML, or `rule-N` (1-based) when unnamed. */
  readonly name: string;
  readonly when?: CompiledExpression;
  readonly outcome: ApprovalOutcome;
}

/** Validates an action's parameters against its JSON Schema; returns readable problems, empty when valid. */
export type ParamsValidator = (params: unknown) => readonly string[];

/** One statement rule of an action's `gateway` block: `when` over `statement` (and the session's context). */
export interface GatewayRule {
  /** `name` from YAML, or `rule-N` (1-based) when unnamed. */
  readonly name: string;
  /** Unset: the rule matches every statement. */
  readonly when?: CompiledExpression;
  /** Exactly one of `allow` and `deny` is set. */
  readonly allow?: true;
  /** The refusal's message. */
  readonly deny?: string;
}

export const COLUMN_MASKS = ['hash', 'redact', 'last4'] as const;
export type ColumnMaskKind = (typeof COLUMN_MASKS)[number];

export interface ColumnMask {
  readonly column: string;
  readonly table?: string;
  readonly mask: ColumnMaskKind;
}

/**
 * An action's `gateway` block (issue 14): the action is gateway-only (its credential never reaches the user) and
 * every statement sent through the gateway is checked against `rules` (first match wins), then `otherwise`. The
 * built-in denials of `decide/gateway-statement.decide.ts` come before any rule.
 */
export interface GatewayPolicy {
  readonly rules: readonly GatewayRule[];
  /** YAML `default`; `deny` unless written. */
  readonly otherwise: 'deny' | 'allow';
  /** Applied upstream for each session. */
  readonly statementTimeoutSeconds?: number;
  /** Per-session budget of rows returned. */
  readonly maxRows?: number;
  /** Per-session budget of bytes returned. */
  readonly maxBytes?: number;
  readonly masks: readonly ColumnMask[];
}

export interface ActionDefinition {
  readonly name: string;
  readonly risk: Risk;
  readonly description?: string;
  /** The action's parameter JSON Schema as written, when it has one. */
  readonly paramsSchema?: Readonly<Record<string, unknown>>;
  readonly validateParams: ParamsValidator;
  /** Provider-specific grant settings (e.g. `{ role: analytics_ro }`); set for access actions. */
  readonly grant?: Readonly<Record<string, unknown>>;
  /** Provider-specific execute settings (e.g. `{ role, statementTimeout, maxRows }`); set for execute actions. */
  readonly execute?: Readonly<Record<string, unknown>>;
  readonly maxDurationSeconds: number;
  readonly approval: readonly ApprovalRule[];
  readonly requireJustification: boolean;
  readonly ticketPattern?: RegExp;
  readonly pendingTimeoutSeconds: number;
  readonly activationWindowSeconds: number;
  /** When a pending request is announced again and escalated; unset when the action has no reminders. */
  readonly reminders?: ReminderPolicy;
  /** Set for a gateway-only action: statements go through the gateway, checked against these rules. */
  readonly gateway?: GatewayPolicy;
}

export interface BreakGlassPolicy {
  readonly allowed: readonly SubjectRef[];
  readonly actions: readonly string[];
  readonly maxDurationSeconds: number;
  readonly reviewWithinSeconds: number;
  /** A condition break-glass also needs (e.g. the requester is on call); unknown context refuses (fail closed). */
  readonly when?: CompiledExpression;
}

export interface ResourceProfile {
  readonly name: string;
  /** Content hash (SHA-256 hex of the canonical resolved definition): recorded on every request. */
  readonly version: string;
  /** The resolved (post-`extends`) definition as plain JSON: what `version` hashes and what storage keeps. */
  readonly definition: Readonly<Record<string, unknown>>;
  readonly extends?: string;
  readonly classification: Classification;
  readonly environment: string;
  readonly owners: readonly SubjectRef[];
  readonly labels: Readonly<Record<string, string>>;
  readonly provider: { readonly type: ProviderType; readonly settings: Readonly<Record<string, unknown>> };
  readonly baseline: readonly BaselineCheck[];
  readonly actions: ReadonlyMap<string, ActionDefinition>;
  readonly breakGlass?: BreakGlassPolicy;
  readonly certification?: { readonly everySeconds: number };
  readonly governance: { readonly approvers: readonly SubjectRef[] };
  readonly position?: SourcePosition;
}

export interface Resource {
  readonly name: string;
  readonly profile: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly owner?: SubjectRef;
  /** Where provider secrets come from: names of environment variables or files, never the secrets. */
  readonly connection: Readonly<Record<string, string>>;
  /** Static, non-secret facts about the resource that providers may use (host, database name, …). */
  readonly attributes: Readonly<Record<string, string | number | boolean>>;
}

/**
 * Reminders of a pending request, counted from its creation and always before its pending timeout: the approvers
 * of the current step are reminded at `afterSeconds`, and `escalateTo` is told at `escalateAfterSeconds`.
 * Escalation announces to more people; it never changes who may approve or how many must.
 */
export interface ReminderPolicy {
  readonly afterSeconds?: number;
  readonly escalateAfterSeconds?: number;
  readonly escalateTo: readonly SubjectRef[];
}

/** A signed webhook (SPEC §2.12), in Countersign's JSON or a Slack-compatible body. */
export interface WebhookNotifier {
  readonly name: string;
  readonly type: 'webhook';
  readonly urlEnv: string;
  readonly secretEnv: string;
  readonly events: readonly string[];
  readonly format: 'json' | 'slack';
}

/** A Slack app: approval requests as interactive messages, by DM to each approver and/or to a channel. */
export interface SlackNotifier {
  readonly name: string;
  readonly type: 'slack';
  /** Environment variable holding the bot token (`xoxb-…`). */
  readonly tokenEnv: string;
  /** Environment variable holding the app's signing secret, which authenticates its interaction requests. */
  readonly signingSecretEnv: string;
  readonly channel?: string;
  /** Send approval requests to each eligible approver who can be found in Slack (default: true). */
  readonly directMessages: boolean;
  readonly events: readonly string[];
}

/** A Microsoft Teams (Adaptive Card) or Mattermost (Slack-compatible) incoming webhook. */
export interface ChatWebhookNotifier {
  readonly name: string;
  readonly type: 'teams' | 'mattermost';
  readonly urlEnv: string;
  readonly events: readonly string[];
}

export type Notifier = WebhookNotifier | SlackNotifier | ChatWebhookNotifier;
export type NotifierType = Notifier['type'];

/** A whole resolved policy: the input of every pure decision. */
export interface PolicySet {
  readonly identities: ReadonlyMap<string, Identity>;
  readonly groups: ReadonlyMap<string, Group>;
  readonly roles: ReadonlyMap<string, Role>;
  readonly assignments: readonly RoleAssignment[];
  readonly sodRules: readonly SodRule[];
  readonly profiles: ReadonlyMap<string, ResourceProfile>;
  readonly resources: ReadonlyMap<string, Resource>;
  readonly notifiers: ReadonlyMap<string, Notifier>;
  /** Outside systems approval rules consult: on-call schedules, tickets, JSON services (`context-sources.ts`). */
  readonly contextSources: ReadonlyMap<string, ContextSource>;
}

/** Built-in identities that policy may not define. */
export const SYSTEM_POLICY = 'system:policy';
export const SYSTEM_EXECUTOR = 'system:executor';
export const SYSTEM_SCHEDULER = 'system:scheduler';
/** An operator acting with direct database access (`countersign token issue`), not through the API. */
export const SYSTEM_OPERATOR = 'system:operator';
