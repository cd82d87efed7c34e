/**
 * The zod schemas of the policy YAML format (docs/policy.md): one strict schema per document kind, so that an
 * unknown field is an error (a typo must never silently weaken a policy) and every string is bounded. These
 * schemas check one document at a time; references between documents, `extends` and CEL are checked later.
 * The editor JSON Schema (json-schema.ts) is derived from the same schemas.
 */
import { z } from 'zod';
import { CLASSIFICATIONS, DUTIES, IDENTITY_KINDS, RISKS, SEVERITIES, SOD_SCOPES } from './model.js';
import { providerSchema } from './provider-shapes.js';
import { gatewaySpecSchema } from './gateway-policy.js';
import { contextSourceSpecSchema, type ContextSourceSpec } from './context-source.schema.js';
import {
  MAX_EXPRESSION,
  MAX_NAME,
  NAME_BODY,
  approverRefSchema,
  attributesSchema,
  durationSchema,
  envNameSchema,
  labelsSchema,
  slackUserIdSchema,
  nameFormatMessage,
  nameSchema,
  subjectRefSchema,
  text,
  timestampSchema,
  waitDurationSchema,
} from './schema-primitives.js';

export const API_VERSION = 'countersign.dev/v1';
export const KINDS = [
  'Identity',
  'Group',
  'Role',
  'SeparationOfDuties',
  'ResourceProfile',
  'Resource',
  'Notifier',
  'ContextSource',
] as const;
export type Kind = (typeof KINDS)[number];

const metadataSchema = z.strictObject({
  name: nameSchema,
  labels: labelsSchema.optional(),
  description: text().optional(),
});

// ---- kinds ---------------------------------------------------------------------------------------------------

export const identitySpecSchema = z.strictObject({
  kind: z.enum(IDENTITY_KINDS),
  email: z
    .string()
    .max(320)
    .regex(/^[^@\s]+@[^@\s]+$/, { error: (issue) => `'${String(issue.input)}' is not an email address` })
    .optional(),
  subject: text(255).optional(),
  emailLogin: z.boolean().optional(),
  owner: nameSchema.optional(),
  groups: z.array(nameSchema).max(1000).optional(),
  attributes: attributesSchema.optional(),
  disabled: z.boolean().optional(),
  /** The identity's Slack member id (`U…`/`W…`): where approval requests are sent and who a button press is. */
  slack: slackUserIdSchema.optional(),
});

export const groupSpecSchema = z.strictObject({ description: text().optional() });

export const roleSpecSchema = z
  .strictObject({
    duties: z.array(z.enum(DUTIES)).min(1),
    profiles: z
      .array(
        z
          .string()
          .max(MAX_NAME)
          .regex(new RegExp(`^(?:\\*|${NAME_BODY})$`), {
            error: (issue) => nameFormatMessage(issue.input, "a profile name or '*'"),
          }),
      )
      .min(1)
      .optional(),
    selector: z.strictObject({ labels: labelsSchema }).optional(),
    subjects: z.array(subjectRefSchema).max(10_000).optional(),
    assignment: z.enum(['standing', 'eligible']).optional(),
    expires: timestampSchema.optional(),
    // Defined below with the approval rules it reuses; `lazy` because this schema comes first.
    activation: z.lazy(() => roleActivationSchema).optional(),
  })
  .superRefine((spec, ctx) => {
    if ((spec.profiles === undefined) === (spec.selector === undefined)) {
      ctx.addIssue({ code: 'custom', path: [], message: "a role needs exactly one of 'profiles' and 'selector'" });
    }
  });

export const sodSpecSchema = z.strictObject({
  scope: z.enum(SOD_SCOPES),
  conflicting: z
    .strictObject({
      duties: z.array(z.enum(DUTIES)).min(2).optional(),
      roles: z.array(nameSchema).min(2).optional(),
    })
    .superRefine((value, ctx) => {
      if ((value.duties === undefined) === (value.roles === undefined)) {
        ctx.addIssue({ code: 'custom', path: [], message: "'conflicting' needs exactly one of 'duties' and 'roles'" });
      }
    }),
  description: text().optional(),
});

/**
 * When a pending request is announced again (`after`) and to whom it is escalated (`escalateAfter`,
 * `escalateTo`), both counted from its creation and both before its `pendingTimeout` (profile.validate.ts).
 * Escalation only tells more people: who may approve stays what the approval rules say.
 */
const remindersSchema = z
  .strictObject({
    after: waitDurationSchema.optional(),
    escalateAfter: waitDurationSchema.optional(),
    escalateTo: z.array(subjectRefSchema).min(1).max(100).optional(),
  })
  .superRefine((value, ctx) => {
    if (value.after === undefined && value.escalateAfter === undefined) {
      ctx.addIssue({ code: 'custom', path: [], message: "'reminders' needs 'after', 'escalateAfter' or both" });
    }
    if ((value.escalateAfter === undefined) !== (value.escalateTo === undefined)) {
      ctx.addIssue({ code: 'custom', path: [], message: "'escalateAfter' and 'escalateTo' go together" });
    }
  });

const requestSettings = {
  requireJustification: z.boolean().optional(),
  ticketPattern: text(500).optional(),
  pendingTimeout: waitDurationSchema.optional(),
  activationWindow: waitDurationSchema.optional(),
  reminders: remindersSchema.optional(),
};

const approvalStepSchema = z.strictObject({
  from: z.array(approverRefSchema).min(1).max(100),
  count: z.number().int().min(1).max(100).optional(),
  independent: z.boolean().optional(),
});

export const approvalRuleSchema = z
  .strictObject({
    name: nameSchema.optional(),
    when: text(MAX_EXPRESSION).optional(),
    auto: z.literal(true).optional(),
    deny: text().optional(),
    steps: z.array(approvalStepSchema).min(1).max(20).optional(),
  })
  .superRefine((rule, ctx) => {
    const outcomes = (['auto', 'deny', 'steps'] as const).filter((key) => rule[key] !== undefined);
    if (outcomes.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message:
          outcomes.length === 0
            ? "an approval rule needs one outcome: 'auto: true', 'deny' or 'steps'"
            : `an approval rule has exactly one outcome, this one has ${outcomes.map((key) => `'${key}'`).join(' and ')}`,
      });
    }
  });

/**
 * How an eligible role is activated (issue #9 item 3): a request for the role by name, decided by these rules
 * (first match wins; CEL sees `request`, `requester`, `role`, `now`). Without `approval`, one approval by an
 * identity holding `approve` over everything the role covers; a role has no owners to name.
 */
export const roleActivationSchema = z
  .strictObject({
    maxDuration: durationSchema.optional(),
    requireJustification: z.boolean().optional(),
    ticketPattern: text(500).optional(),
    pendingTimeout: waitDurationSchema.optional(),
    approval: z.array(approvalRuleSchema).min(1).max(100).optional(),
  })
  .superRefine((spec, ctx) => {
    for (const [r, rule] of (spec.approval ?? []).entries()) {
      for (const [s, step] of (rule.steps ?? []).entries()) {
        for (const [f, ref] of step.from.entries()) {
          if (ref !== 'owners') continue;
          ctx.addIssue({
            code: 'custom',
            path: ['approval', r, 'steps', s, 'from', f],
            message: "a role has no 'owners': name groups, identities or roles that approve its activation",
          });
        }
      }
    }
  });

const settingsObject = z.record(z.string().max(MAX_NAME), z.unknown());

export const actionSchema = z
  .strictObject({
    description: text().optional(),
    risk: z.enum(RISKS),
    params: settingsObject.optional(),
    grant: settingsObject.optional(),
    execute: settingsObject.optional(),
    // Statement rules for the access gateway (issue 14): the action becomes gateway-only.
    gateway: gatewaySpecSchema.optional(),
    maxDuration: durationSchema,
    approval: z.array(approvalRuleSchema).max(100).optional(),
    ...requestSettings,
  })
  .superRefine((action, ctx) => {
    if ((action.grant === undefined) === (action.execute === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message:
          action.grant === undefined
            ? "an action needs one of 'grant' (provision access) and 'execute' (run once)"
            : "an action has either 'grant' or 'execute', not both",
      });
    }
    if (action.gateway !== undefined && action.grant === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['gateway'],
        message: "'gateway' needs an action with 'grant': it governs the access a grant gives, through the gateway",
      });
    }
  });

export const baselineCheckSchema = z.strictObject({
  name: nameSchema,
  expr: text(MAX_EXPRESSION),
  severity: z.enum(SEVERITIES),
  message: text(),
  whenAbsent: z.enum(['not_applicable', 'non_compliant']).optional(),
});

export const profileSpecSchema = z.strictObject({
  extends: nameSchema.optional(),
  classification: z.enum(CLASSIFICATIONS).optional(),
  environment: nameSchema.optional(),
  owners: z.array(subjectRefSchema).min(1).max(100).optional(),
  labels: labelsSchema.optional(),
  provider: providerSchema.optional(),
  requestDefaults: z.strictObject(requestSettings).optional(),
  baseline: z.array(baselineCheckSchema).max(200).optional(),
  actions: z.record(nameSchema, actionSchema).optional(),
  breakGlass: z
    .strictObject({
      allowed: z.array(subjectRefSchema).min(1).max(100),
      actions: z.array(nameSchema).min(1).max(100),
      maxDuration: durationSchema,
      reviewWithin: durationSchema,
      // A CEL condition break-glass also needs, such as `context.oncall.contains(requester.id)`.
      when: text(MAX_EXPRESSION).optional(),
    })
    .optional(),
  certification: z.strictObject({ every: durationSchema }).optional(),
  governance: z.strictObject({ approvers: z.array(subjectRefSchema).min(1).max(100) }).optional(),
});

export const resourceSpecSchema = z.strictObject({
  profile: nameSchema,
  owner: subjectRefSchema.optional(),
  connection: z
    .record(
      z
        .string()
        .max(MAX_NAME)
        .regex(/^[a-z][A-Za-z0-9]*(?:Env|File)$/, {
          error: (issue) => `connection key '${String(issue.input)}' must end in 'Env' or 'File'`,
        }),
      text(1024),
    )
    .optional(),
  attributes: attributesSchema.optional(),
});

const notifierEventsSchema = z
  .array(
    z
      .string()
      .max(MAX_NAME)
      .regex(/^(?:\*|[a-z][a-z_]*(?:\.[a-z][a-z_]*)*(?:\.\*)?)$/, {
        error: (issue) => `'${String(issue.input)}' is not an event name such as 'break_glass.used' or '*'`,
      }),
  )
  .min(1)
  .max(100);

/**
 * Where notifications go (SPEC §2.12, docs/integrations.md): a signed `webhook`; a Slack app (`slack`: approval
 * requests as interactive messages by DM to the approvers and/or to `channel`, with the bot token and the signing
 * secret read from the environment); a Microsoft Teams or Mattermost incoming webhook (`teams`, `mattermost`),
 * whose URL, a secret in itself, comes from the environment.
 */
export const notifierSpecSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('webhook'),
    urlEnv: envNameSchema,
    secretEnv: envNameSchema,
    events: notifierEventsSchema,
    format: z.enum(['json', 'slack']).optional(),
  }),
  z
    .strictObject({
      type: z.literal('slack'),
      tokenEnv: envNameSchema,
      signingSecretEnv: envNameSchema,
      channel: z
        .string()
        .max(81)
        .regex(/^(?:[CGD][A-Z0-9]{2,30}|#[a-z0-9][a-z0-9_-]{0,79})$/, {
          error: (issue) => `'${String(issue.input)}' is not a Slack channel id (C…) or #name`,
        })
        .optional(),
      directMessages: z.boolean().optional(),
      events: notifierEventsSchema,
    })
    .superRefine((spec, ctx) => {
      if (spec.channel === undefined && spec.directMessages === false) {
        ctx.addIssue({ code: 'custom', path: [], message: "a slack notifier needs a 'channel' or direct messages" });
      }
    }),
  z.strictObject({ type: z.literal('teams'), urlEnv: envNameSchema, events: notifierEventsSchema }),
  z.strictObject({ type: z.literal('mattermost'), urlEnv: envNameSchema, events: notifierEventsSchema }),
]);

const SPEC_SCHEMAS = {
  Identity: identitySpecSchema,
  Group: groupSpecSchema,
  Role: roleSpecSchema,
  SeparationOfDuties: sodSpecSchema,
  ResourceProfile: profileSpecSchema,
  Resource: resourceSpecSchema,
  Notifier: notifierSpecSchema,
  ContextSource: contextSourceSpecSchema,
} as const;

function documentSchema<K extends Kind>(kind: K) {
  return z.strictObject({
    apiVersion: z.literal(API_VERSION),
    kind: z.literal(kind),
    metadata: metadataSchema,
    spec: SPEC_SCHEMAS[kind],
  });
}

/** One strict document schema per kind (envelope + spec). */
export const DOCUMENT_SCHEMAS = {
  Identity: documentSchema('Identity'),
  Group: documentSchema('Group'),
  Role: documentSchema('Role'),
  SeparationOfDuties: documentSchema('SeparationOfDuties'),
  ResourceProfile: documentSchema('ResourceProfile'),
  Resource: documentSchema('Resource'),
  Notifier: documentSchema('Notifier'),
  ContextSource: documentSchema('ContextSource'),
} as const;

export type Metadata = z.infer<typeof metadataSchema>;
export type IdentitySpec = z.infer<typeof identitySpecSchema>;
export type GroupSpec = z.infer<typeof groupSpecSchema>;
export type RoleSpec = z.infer<typeof roleSpecSchema>;
export type SodSpec = z.infer<typeof sodSpecSchema>;
export type ProfileSpec = z.infer<typeof profileSpecSchema>;
export type ActionSpec = z.infer<typeof actionSchema>;
export type ApprovalRuleSpec = z.infer<typeof approvalRuleSchema>;
export type RoleActivationSpec = z.infer<typeof roleActivationSchema>;
export type BaselineCheckSpec = z.infer<typeof baselineCheckSchema>;
export type ResourceSpec = z.infer<typeof resourceSpecSchema>;
export type NotifierSpec = z.infer<typeof notifierSpecSchema>;

export interface SpecByKind {
  Identity: IdentitySpec;
  Group: GroupSpec;
  Role: RoleSpec;
  SeparationOfDuties: SodSpec;
  ResourceProfile: ProfileSpec;
  Resource: ResourceSpec;
  Notifier: NotifierSpec;
  ContextSource: ContextSourceSpec;
}
