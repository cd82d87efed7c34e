/**
 * `/v1/policy/changes`: submit a proposed policy as its YAML documents (`administer`; problems answer 400
 * `invalid` listing `file:line:col: message`), read change sets (`administer`, `audit` or `approve`), and
 * approve or reject one (governance approvers other than the author; the author may withdraw).
 * `/v1/policy/plan`: what the same documents would change and who would approve them, writing nothing (the
 * readers of change sets).
 */
import { z } from 'zod';
import { getPolicyChange, listPolicyChanges } from '../../features/governance/policy-changes.queries.js';
import {
  approvePolicyChange,
  rejectPolicyChange,
  submitPolicyChange,
  type PolicyChangeView,
} from '../../features/governance/policy-changes.verbs.js';
import { planPolicyChangeSet } from '../../features/governance/policy-plan.verb.js';
import { PLAN_KINDS } from '../../decide/policy-plan.decide.js';
import { AREA_READERS } from '../../decide/visibility.decide.js';
import type { RouteDeps, ZodFastify } from '../app.js';
import { principalOf } from '../guard.js';
import { POLICY_BODY_LIMIT } from '../request-body.js';
import { idSchema, iso, isoOrNull, isoTime, limitSchema, nameSchema, reasonSchema } from './route-schemas.js';

const STATUSES = ['pending', 'applied', 'rejected', 'cancelled'] as const;
const names = z.array(z.string().max(200)).max(100_000).readonly();
/** Bounded so that a whole submission fits the server's body limit anyway. */
const fileSchema = z.object({ path: z.string().min(1).max(500), text: z.string().max(1_000_000) });

/** The body of a submission, and of a plan, which must read exactly what a submission would. */
const submissionBody = z
  .object({ files: z.array(fileSchema).min(1).max(2000), description: z.string().max(4000).optional() })
  .strict();

const nameChanges = z.object({ added: names, changed: names, removed: names });
/** `resources`: profiles touched only through a resource bound to them (absent on change sets stored before it). */
const touchedSchema = z.object({
  added: names,
  changed: names,
  removed: names,
  resources: names.optional(),
  all: names,
});
const version = z.string().max(100).nullable();

const planSchema = z
  .object({
    basePolicyHash: z.string().max(64).nullable(),
    digest: z.string().max(64),
    touched: touchedSchema,
    profiles: z
      .array(
        z.object({
          name: z.string().max(200),
          change: z.enum(['added', 'changed', 'removed', 'resources']),
          from: version,
          to: version,
          approvers: z.array(z.string().max(300)).max(1000).readonly(),
        }),
      )
      .max(100_000)
      .readonly(),
    kinds: z.object(
      Object.fromEntries(PLAN_KINDS.map((kind) => [kind, nameChanges])) as Record<
        (typeof PLAN_KINDS)[number],
        typeof nameChanges
      >,
    ),
    unchanged: z.boolean(),
    requirements: z
      .array(
        z.object({
          kind: z.enum(['governance', 'administrator']),
          profile: z.string().max(200).nullable(),
          description: z.string().max(100_000),
          eligible: names,
        }),
      )
      .max(100_000)
      .readonly(),
    eligibleApprovers: names,
    sodConflicts: z
      .array(
        z.object({
          rule: z.string().max(200),
          identity: z.string().max(200),
          profile: z.string().max(200).nullable(),
          message: z.string().max(2000),
        }),
      )
      .max(100_000)
      .readonly(),
    submit: z.object({
      allowed: z.boolean(),
      reasons: z.array(reasonSchema).max(100).readonly(),
    }),
  })
  .meta({ id: 'PolicyPlan' });

const changeSchema = z
  .object({
    id: idSchema,
    author: nameSchema,
    status: z.enum(STATUSES),
    description: z.string().max(4000).nullable(),
    digest: z.string().max(64),
    basePolicyHash: z.string().max(64).nullable(),
    touched: touchedSchema,
    approvals: z
      .array(z.object({ approver: nameSchema, at: isoTime }))
      .max(1000)
      .readonly(),
    createdAt: isoTime,
    decidedAt: isoTime.nullable(),
    decidedBy: nameSchema.nullable(),
    appliedAt: isoTime.nullable(),
  })
  .meta({ id: 'PolicyChange' });

const detailSchema = changeSchema
  .extend({ files: z.array(fileSchema).max(2000).readonly() })
  .meta({ id: 'PolicyChangeDetail' });

const appliedSchema = z.object({
  loadId: z.string().max(100),
  policyHash: z.string().max(64),
  changedProfiles: z
    .array(z.object({ name: z.string().max(200), from: z.string().max(100).nullable(), to: z.string().max(100) }))
    .readonly(),
  removedProfiles: names,
});

function toItem(view: PolicyChangeView) {
  return {
    ...view,
    approvals: view.approvals.map((a) => ({ approver: a.approver, at: iso(a.at) })),
    createdAt: iso(view.createdAt),
    decidedAt: isoOrNull(view.decidedAt),
    appliedAt: isoOrNull(view.appliedAt),
  };
}

const idParams = z.object({ id: idSchema });

export function registerPolicyChangeRoutes(app: ZodFastify, { app: context }: RouteDeps): void {
  app.get(
    '/v1/policy/changes',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['policy'],
        summary: "Policy change sets, newest first ('administer', 'audit' or 'approve' holders)",
        querystring: z.object({ status: z.enum(STATUSES).optional(), limit: limitSchema(1000) }).strict(),
        response: { 200: z.object({ changes: z.array(changeSchema).max(1000).readonly() }) },
      },
    },
    async (request) => ({
      changes: await listPolicyChanges({ app: context, actor: principalOf(request).identity, input: request.query }),
    }),
  );

  app.get(
    '/v1/policy/changes/:id',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['policy'],
        summary: 'A policy change set with its documents',
        params: idParams,
        response: { 200: detailSchema },
      },
    },
    async (request) =>
      getPolicyChange({ app: context, actor: principalOf(request).identity, input: { id: request.params.id } }),
  );

  app.post(
    '/v1/policy/changes',
    {
      config: { access: 'administer' },
      bodyLimit: POLICY_BODY_LIMIT,
      schema: {
        tags: ['policy'],
        summary: 'Submit a complete proposed policy (its YAML documents); it applies once governance approves',
        body: submissionBody,
        response: { 201: changeSchema },
      },
    },
    async (request, reply) => {
      const { files, description } = request.body;
      const view = await submitPolicyChange({
        app: context,
        actor: principalOf(request).identity,
        input: { documents: files, ...(description === undefined ? {} : { description }) },
      });
      return reply.code(201).send(toItem(view));
    },
  );

  app.post(
    '/v1/policy/changes/:id/approve',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['policy'],
        summary: 'Approve the exact documents (their digest); the change applies once governance is satisfied',
        params: idParams,
        body: z.object({ digest: z.string().regex(/^[0-9a-f]{64}$/) }).strict(),
        response: { 200: z.object({ change: changeSchema, applied: appliedSchema.nullable() }) },
      },
    },
    async (request) => {
      const result = await approvePolicyChange({
        app: context,
        actor: principalOf(request).identity,
        input: { id: request.params.id, digest: request.body.digest },
      });
      const applied = result.applied
        ? {
            loadId: result.applied.loadId,
            policyHash: result.applied.policyHash,
            changedProfiles: result.applied.changedProfiles.map((c) => ({
              name: c.name,
              from: c.from ?? null,
              to: c.to,
            })),
            removedProfiles: [...result.applied.removedProfiles],
          }
        : null;
      return { change: toItem(result.change), applied };
    },
  );

  app.post(
    '/v1/policy/changes/:id/reject',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['policy'],
        summary: 'Reject a pending change (a governance approver), or withdraw your own',
        params: idParams,
        body: z.object({ reason: z.string().min(1).max(4000) }).strict(),
        response: { 200: changeSchema },
      },
    },
    async (request) =>
      toItem(
        await rejectPolicyChange({
          app: context,
          actor: principalOf(request).identity,
          input: { id: request.params.id, reason: request.body.reason },
        }),
      ),
  );

  app.post(
    '/v1/policy/plan',
    {
      // Decided by the guard, before the documents are read, parsed or compiled.
      config: { access: AREA_READERS.policy_changes },
      bodyLimit: POLICY_BODY_LIMIT,
      schema: {
        tags: ['policy'],
        summary:
          "What a proposed policy would change and who would approve it; writes nothing ('administer', 'audit' or 'approve' holders)",
        body: submissionBody,
        response: { 200: planSchema },
      },
    },
    async (request) => {
      const { files, description } = request.body;
      const plan = await planPolicyChangeSet({
        app: context,
        actor: principalOf(request).identity,
        input: { documents: files, ...(description === undefined ? {} : { description }) },
      });
      // A refusal names every touched profile; bounded like every other reason the API returns.
      const reasons = plan.submit.reasons.map((r) => ({ code: r.code, message: r.message.slice(0, 2000) }));
      return { ...plan, submit: { allowed: plan.submit.allowed, reasons } };
    },
  );
}
