/**
 * `/v1/policy/changes`: submit a proposed policy as its YAML documents (`administer`; problems answer 400
 * `invalid` listing `file:line:col: message`), read change sets (`administer`, `audit` or `approve`), and
 * approve or reject one (governance approvers other than the author; the author may withdraw).
 * `/v1/policy/plan`: what the same documents would change and who would approve them, writing nothing (the
 * readers of change sets).
 */
import { z } from 'zod';
import { getPolicyChange, listPolicyChanges } from '../../features/governance/index.js';
import { approvePolicyChange, rejectPolicyChange, submitPolicyChange } from '../../features/governance/index.js';
import {
  CHANGE_SET_STATUSES,
  policyChangeApprovalViewSchema,
  policyChangeDetailViewSchema,
  policyChangeViewSchema,
  policyFileSchema,
  policyPlanViewSchema,
} from '../../features/governance/policy-change.view.js';
import { planPolicyChangeSet } from '../../features/governance/index.js';
import { AREA_READERS } from '../../decide/visibility.decide.js';
import type { RouteDeps, ZodFastify } from '../app.js';
import { principalOf } from '../guard.js';
import { POLICY_BODY_LIMIT } from '../request-body.js';
import { idSchema, limitSchema } from './route-schemas.js';

/** The body of a submission, and of a plan, which must read exactly what a submission would. */
const submissionBody = z
  .object({ files: z.array(policyFileSchema).min(1).max(2000), description: z.string().max(4000).optional() })
  .strict();

const idParams = z.object({ id: idSchema });

export function registerPolicyChangeRoutes(app: ZodFastify, { app: context }: RouteDeps): void {
  app.get(
    '/v1/policy/changes',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['policy'],
        summary: "Policy change sets, newest first ('administer', 'audit' or 'approve' holders)",
        querystring: z.object({ status: z.enum(CHANGE_SET_STATUSES).optional(), limit: limitSchema(1000) }).strict(),
        response: { 200: z.object({ changes: z.array(policyChangeViewSchema).max(1000).readonly() }) },
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
        response: { 200: policyChangeDetailViewSchema },
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
        response: { 201: policyChangeViewSchema },
      },
    },
    async (request, reply) => {
      const { files, description } = request.body;
      const view = await submitPolicyChange({
        app: context,
        actor: principalOf(request).identity,
        input: { documents: files, ...(description === undefined ? {} : { description }) },
      });
      return reply.code(201).send(view);
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
        response: { 200: policyChangeApprovalViewSchema },
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
      return { change: result.change, applied };
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
        response: { 200: policyChangeViewSchema },
      },
    },
    async (request) =>
      rejectPolicyChange({
        app: context,
        actor: principalOf(request).identity,
        input: { id: request.params.id, reason: request.body.reason },
      }),
  );

  app.post(
    '/v1/policy/plan',
    {
      // Decided by the guard, before the documents are read, parsed or compiled.
      config: { access: AREA_READERS.policy_changes, readOnly: true },
      bodyLimit: POLICY_BODY_LIMIT,
      schema: {
        tags: ['policy'],
        operationId: 'planPolicyChange',
        summary:
          "What a proposed policy would change and who would approve it; writes nothing ('administer', 'audit' or 'approve' holders)",
        body: submissionBody,
        response: { 200: policyPlanViewSchema },
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
