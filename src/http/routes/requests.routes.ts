/**
 * `/v1/requests` and `/v1/break-glass` (SPEC §4, §2.8): create, list, show, and every step of a request's
 * lifecycle. A request the policy denies is stored and answered 403 `policy_denied` with its id and the rule's
 * message; activation and break-glass answer the credential once, with `Cache-Control: no-store`. Routes that
 * change grants tell the `check` service, so the next check sees the change.
 */
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { CheckService } from '../../features/access/check-service.js';
import { GRANT_STATUSES, listVisibleRequests, showVisibleRequest } from '../../features/requests/requests.queries.js';
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
} from '../../features/requests/requests.verbs.js';
import { MAX_PAGE_SIZE } from '../../features/requests/requests.repo.js';
import { AppError } from '../../core/errors.js';
import { REQUEST_STATUSES } from '../../decide/types.js';
import type { RouteDeps, ZodFastify } from '../app.js';
import { principalOf } from '../guard.js';

const text = (max: number) => z.string().max(max);
const isoTime = text(40);
const digest = z
  .string()
  .regex(/^[0-9a-f]{64}$/, 'a request digest is 64 lowercase hex characters')
  .describe('the digest you saw (`digest` of the request): the approval binds to exactly that content');

export const requestViewSchema = z
  .object({
    id: text(100),
    status: z.enum(REQUEST_STATUSES),
    statusReason: text(2000).optional(),
    requester: text(200),
    resource: text(200),
    action: text(100),
    duration: text(32),
    durationSeconds: z.number().int(),
    justification: text(4000).optional(),
    ticket: text(200).optional(),
    params: z.record(text(200), z.unknown()).readonly(),
    profile: text(200),
    profileVersion: text(100),
    digest: text(64),
    matchedRule: text(200),
    approvals: z
      .array(z.object({ approver: text(200), step: z.number().int(), at: isoTime }))
      .max(100)
      .readonly(),
    steps: z
      .array(
        z.object({
          step: z.number().int(),
          from: z.array(text(220)).max(100).readonly(),
          required: z.number().int(),
          independent: z.boolean(),
          approvers: z.array(text(200)).max(100).readonly(),
          satisfied: z.boolean(),
        }),
      )
      .max(50)
      .readonly(),
    currentStep: z.number().int().optional(),
    remainingApprovals: z.number().int(),
    expiresAt: isoTime.optional(),
    createdAt: isoTime,
    approvedAt: isoTime.optional(),
    activatedAt: isoTime.optional(),
    breakGlass: z.boolean(),
    reviewBy: isoTime.optional().describe('break-glass: when the use must have been reviewed'),
    extends: text(100).optional().describe('an extension request: the request whose grant it extends'),
    grant: z.object({ id: text(100), status: z.enum(GRANT_STATUSES), expiresAt: isoTime }).optional(),
  })
  .meta({ id: 'Request' });

const activationSchema = z
  .object({
    request: requestViewSchema,
    credential: z
      .record(text(200), text(10_000))
      .readonly()
      .optional()
      .describe('shown once and never stored in clear; not in any later answer'),
  })
  .meta({ id: 'Activation' });

const executionSchema = z
  .object({
    request: requestViewSchema,
    output: z.record(z.string().max(200), z.unknown()),
    summary: z.record(z.string().max(200), z.unknown()),
  })
  .meta({ id: 'Execution' });

const extensionSchema = z
  .object({
    extension: requestViewSchema.describe('the extension request: completed once applied, else pending or denied'),
    request: requestViewSchema.describe('the request whose grant it extends, with its expiry'),
  })
  .meta({ id: 'Extension' });

const idParams = z.object({ id: text(100).min(1) });
const reasonBody = z.strictObject({ reason: text(2000).optional() }).optional();

const listQuery = z
  .object({
    status: text(200)
      .optional()
      .describe(`comma-separated: ${REQUEST_STATUSES.join(', ')}`),
    requester: text(200).min(1).optional(),
    resource: text(200).min(1).optional(),
    limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).optional(),
    cursor: text(200).min(1).optional(),
  })
  .strict();

const statusList = z.array(z.enum(REQUEST_STATUSES)).max(REQUEST_STATUSES.length);

function parseStatuses(value: string | undefined): z.infer<typeof statusList> | undefined {
  if (value === undefined || value === '') return undefined;
  const parsed = statusList.safeParse(value.split(',').map((s) => s.trim()));
  if (!parsed.success) {
    throw new AppError('invalid', `status '${value}' is not a list of ${REQUEST_STATUSES.join(', ')}`);
  }
  return parsed.data;
}

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

/**
 * Runs a verb that changes the grant of request `id` (none: a new request), then makes the next check wait until
 * that grant is read again (a new request: a full rebuild), whatever the verb's outcome.
 */
async function changingGrants<T>(checks: CheckService, id: string | undefined, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } finally {
    if (id === undefined) checks.invalidate();
    else checks.grantsChanged(id);
  }
}

export function registerRequestRoutes(app: ZodFastify, { app: context, checks }: RouteDeps): void {
  const tags = ['requests'];

  app.post(
    '/v1/requests',
    {
      config: { access: 'request' },
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
      const statuses = parseStatuses(status);
      return listVisibleRequests({
        app: context,
        actor: principalOf(request).identity,
        input: { ...rest, ...(statuses !== undefined ? { status: statuses } : {}) },
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
      config: { access: 'approve' },
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
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: 'Turn your approved request into access; the credential is in this answer only',
        params: idParams,
        response: { 200: activationSchema },
      },
    },
    async (request, reply) => {
      noStore(reply);
      const actor = principalOf(request).identity;
      return changingGrants(checks, request.params.id, () =>
        activateRequest({ app: context, actor, input: { id: request.params.id } }),
      );
    },
  );

  app.post(
    '/v1/requests/:id/execute',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: 'Run your approved execute action once; the output is in this answer only',
        params: idParams,
        body: z.strictObject({ digest: digest.optional() }).optional(),
        response: { 200: executionSchema },
      },
    },
    async (request, reply) => {
      noStore(reply);
      const actor = principalOf(request).identity;
      return changingGrants(checks, request.params.id, () =>
        executeRequest({ app: context, actor, input: { id: request.params.id, ...request.body } }),
      );
    },
  );

  app.post(
    '/v1/requests/:id/extend',
    {
      // An extension is a request of its own: the caller needs `request`, like `POST /v1/requests`.
      config: { access: 'request' },
      schema: {
        tags,
        summary:
          'Ask to extend your active grant: a new request under the same approval rules, applied at once when the policy approves it, else by activating it once approved; never past maxDuration from the first activation',
        params: idParams,
        body: extendRequestSchema.omit({ id: true }),
        response: { 200: extensionSchema },
      },
    },
    async (request) => {
      const actor = principalOf(request).identity;
      const result = await changingGrants(checks, request.params.id, () =>
        extendRequest({ app: context, actor, input: { id: request.params.id, ...request.body } }),
      );
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
        config: { access: 'authenticated' },
        schema: { tags, summary, params: idParams, body: reasonBody, response: { 200: requestViewSchema } },
      },
      async (request) => {
        const actor = principalOf(request).identity;
        return changingGrants(checks, request.params.id, () =>
          end({ app: context, actor, input: { id: request.params.id, ...request.body } }),
        );
      },
    );
  }

  app.post(
    '/v1/break-glass',
    {
      config: { access: 'request' },
      schema: {
        tags,
        summary: 'Emergency access at once, within the profile break-glass limits; reviewed afterwards',
        body: createRequestSchema,
        response: { 201: activationSchema },
      },
    },
    async (request, reply) => {
      noStore(reply);
      const actor = principalOf(request).identity;
      const result = await changingGrants(checks, undefined, () =>
        breakGlass({ app: context, actor, input: request.body }),
      );
      return reply.code(201).send(result);
    },
  );
}
