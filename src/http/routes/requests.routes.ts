/**
 * `/v1/requests` and `/v1/break-glass` (SPEC §4, §2.8): create, list, show, and every step of a request's
 * lifecycle. A request the policy denies is stored and answered 403 `policy_denied` with its id and the rule's
 * message; activation and break-glass answer the credential once, with `Cache-Control: no-store`. Routes that
 * change grants tell the `check` service, so the next check sees the change.
 */
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { listVisibleRequests, showVisibleRequest } from '../../features/requests/index.js';
import {
  activationViewSchema,
  executionViewSchema,
  extensionViewSchema,
  requestViewSchema,
} from '../../features/requests/request.view.js';
import {
  activateRequest,
  approveRequest,
  breakGlass,
  cancelRequest,
  completeRequest,
  createRequest,
  createRequestSchema,
  denyRequest,
  executeRequest,
  extendRequest,
  extendRequestSchema,
  revokeRequest,
  type RequestView,
} from '../../features/requests/index.js';
import { MAX_PAGE_SIZE } from '../../features/requests/index.js';
import { AppError } from '../../core/errors.js';
import { REQUEST_STATUSES } from '../../decide/types.js';
import type { RouteDeps, ZodFastify } from '../app.js';
import { principalOf } from '../guard.js';
import { commaSeparated, idSchema, policyName } from './route-schemas.js';

const text = (max: number) => z.string().max(max);
const digest = z
  .string()
  .regex(/^[0-9a-f]{64}$/, 'a request digest is 64 lowercase hex characters')
  .describe('the digest you saw (`digest` of the request): the approval binds to exactly that content');

const idParams = z.object({ id: idSchema });
const reasonBody = z.strictObject({ reason: text(2000).optional() }).optional();

const listQuery = z
  .object({
    status: commaSeparated(REQUEST_STATUSES).optional(),
    requester: policyName.optional(),
    resource: policyName.optional(),
    limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).optional(),
    cursor: text(200).min(1).optional(),
  })
  .strict();

/** A request stored as denied by policy answers 403 `policy_denied`, naming the stored request and the rule. */
function deniedByPolicy(view: RequestView): AppError {
  const message = view.statusReason ?? `request '${view.id}' was denied by rule '${view.matchedRule}'`;
  return new AppError('policy_denied', message, {
    request: view.id,
    status: view.status,
    rule: view.matchedRule,
    message,
  });
}

function noStore(reply: FastifyReply): void {
  void reply.header('cache-control', 'no-store');
}

export function registerRequestRoutes(app: ZodFastify, { app: context }: RouteDeps): void {
  const tags = ['requests'];

  app.post(
    '/v1/requests',
    {
      config: { access: 'request', problems: ['policy_denied'] },
      schema: {
        tags,
        summary: 'Ask for an action on a resource for a while; the policy decides at once',
        description: 'A request the policy denies is stored and answered 403 `policy_denied` with its id.',
        body: createRequestSchema,
        response: { 201: requestViewSchema },
      },
    },
    async (request, reply) => {
      const view = await createRequest({ app: context, actor: principalOf(request).identity, input: request.body });
      if (view.status === 'denied') throw deniedByPolicy(view);
      return reply.code(201).send(view);
    },
  );

  app.get(
    '/v1/requests',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: 'Requests, newest first: your own, or all of them for approvers and auditors',
        querystring: listQuery,
        response: {
          200: z.object({
            requests: z.array(requestViewSchema).max(MAX_PAGE_SIZE).readonly(),
            nextCursor: text(200).optional(),
          }),
        },
      },
    },
    async (request) => {
      const { status, ...rest } = request.query;
      return listVisibleRequests({
        app: context,
        actor: principalOf(request).identity,
        input: { ...rest, ...(status !== undefined ? { status } : {}) },
      });
    },
  );

  app.get(
    '/v1/requests/:id',
    {
      config: { access: 'authenticated' },
      schema: { tags, summary: 'One request', params: idParams, response: { 200: requestViewSchema } },
    },
    async (request) =>
      showVisibleRequest({ app: context, actor: principalOf(request).identity, input: { id: request.params.id } }),
  );

  app.post(
    '/v1/requests/:id/approve',
    {
      config: { access: 'approve', problems: ['sod_violation', 'policy_denied'] },
      schema: {
        tags,
        summary: 'Approve a pending request (never your own)',
        params: idParams,
        body: z.strictObject({ digest: digest.optional(), comment: text(2000).optional() }).optional(),
        response: { 200: requestViewSchema },
      },
    },
    async (request) =>
      approveRequest({
        app: context,
        actor: principalOf(request).identity,
        input: { id: request.params.id, ...request.body },
      }),
  );

  app.post(
    '/v1/requests/:id/deny',
    {
      config: { access: 'approve' },
      schema: {
        tags,
        summary: 'Deny a pending request',
        params: idParams,
        body: reasonBody,
        response: { 200: requestViewSchema },
      },
    },
    async (request) =>
      denyRequest({
        app: context,
        actor: principalOf(request).identity,
        input: { id: request.params.id, ...request.body },
      }),
  );

  app.post(
    '/v1/requests/:id/cancel',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: 'Withdraw your pending or approved request',
        params: idParams,
        body: reasonBody,
        response: { 200: requestViewSchema },
      },
    },
    async (request) =>
      cancelRequest({
        app: context,
        actor: principalOf(request).identity,
        input: { id: request.params.id, ...request.body },
      }),
  );

  app.post(
    '/v1/requests/:id/activate',
    {
      config: { access: 'authenticated', problems: ['policy_denied', 'provider_failed'] },
      schema: {
        tags,
        summary: 'Turn your approved request into access; the credential is in this answer only',
        params: idParams,
        response: { 200: activationViewSchema },
      },
    },
    async (request, reply) => {
      noStore(reply);
      const actor = principalOf(request).identity;
      return activateRequest({ app: context, actor, input: { id: request.params.id } });
    },
  );

  app.post(
    '/v1/requests/:id/execute',
    {
      config: { access: 'authenticated', problems: ['policy_denied', 'provider_failed'] },
      schema: {
        tags,
        summary: 'Run your approved execute action once; the output is in this answer only',
        params: idParams,
        body: z.strictObject({ digest: digest.optional() }).optional(),
        response: { 200: executionViewSchema },
      },
    },
    async (request, reply) => {
      noStore(reply);
      const actor = principalOf(request).identity;
      return executeRequest({ app: context, actor, input: { id: request.params.id, ...request.body } });
    },
  );

  app.post(
    '/v1/requests/:id/extend',
    {
      // An extension is a request of its own: the caller needs `request`, like `POST /v1/requests`.
      config: { access: 'request', problems: ['policy_denied', 'provider_failed'] },
      schema: {
        tags,
        summary:
          'Ask to extend your active grant: a new request under the same approval rules, applied at once when the policy approves it, else by activating it once approved; never past maxDuration from the first activation',
        params: idParams,
        body: extendRequestSchema.omit({ id: true }),
        response: { 200: extensionViewSchema },
      },
    },
    async (request) => {
      const actor = principalOf(request).identity;
      const result = await extendRequest({ app: context, actor, input: { id: request.params.id, ...request.body } });
      if (result.extension.status === 'denied') throw deniedByPolicy(result.extension);
      return result;
    },
  );

  // Ending an active grant: the requester completes it early; the requester or an administer holder revokes it.
  const endings = [
    ['complete', 'End your active grant early', completeRequest],
    ['revoke', 'Revoke an active grant (its requester, or an administer holder)', revokeRequest],
  ] as const;
  for (const [verb, summary, end] of endings) {
    app.post(
      `/v1/requests/:id/${verb}`,
      {
        config: { access: 'authenticated', problems: ['provider_failed'] },
        schema: { tags, summary, params: idParams, body: reasonBody, response: { 200: requestViewSchema } },
      },
      async (request) => {
        const actor = principalOf(request).identity;
        return end({ app: context, actor, input: { id: request.params.id, ...request.body } });
      },
    );
  }

  app.post(
    '/v1/break-glass',
    {
      config: { access: 'request', problems: ['policy_denied', 'provider_failed'] },
      schema: {
        tags,
        operationId: 'requestBreakGlass',
        summary: 'Emergency access at once, within the profile break-glass limits; reviewed afterwards',
        body: createRequestSchema,
        response: { 201: activationViewSchema },
      },
    },
    async (request, reply) => {
      noStore(reply);
      const actor = principalOf(request).identity;
      const result = await breakGlass({ app: context, actor, input: request.body });
      return reply.code(201).send(result);
    },
  );
}
