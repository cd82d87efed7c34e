/**
 * `/v1/role-activations` (issue #9 item 3): ask for an eligible role by name, and approve, deny, cancel or revoke
 * that activation. An eligible role gives its duties only while an approved activation of it is active. A
 * request the role's rules deny is stored and answered 403 `policy_denied` with its id. Routes that switch a
 * role on or off tell the `check` service, so the next check sees the change.
 */
import { z } from 'zod';
import { listRoleActivations, MAX_ROLE_ACTIVATION_PAGE, showRoleActivation } from '../../features/access/index.js';
import {
  approveRoleActivation,
  cancelRoleActivation,
  createRoleActivation,
  createRoleActivationSchema,
  denyRoleActivation,
  revokeRoleActivation,
} from '../../features/access/index.js';
import {
  ROLE_ACTIVATION_STATUSES,
  roleActivationViewSchema,
  type RoleActivationView,
} from '../../features/access/role-activation.view.js';
import { AppError } from '../../core/errors.js';
import type { RouteDeps, ZodFastify } from '../app.js';
import { principalOf } from '../guard.js';
import { commaSeparated, idSchema, policyName } from './route-schemas.js';

const text = (max: number) => z.string().max(max);

const idParams = z.object({ id: idSchema });
// `nullish`: a POST with no body at all is fine here.
const reasonBody = z.strictObject({ reason: text(2000).optional() }).nullish();
const listQuery = z
  .object({
    status: commaSeparated(ROLE_ACTIVATION_STATUSES).optional(),
    requester: policyName.optional(),
    role: policyName.optional(),
    limit: z.coerce.number().int().min(1).max(MAX_ROLE_ACTIVATION_PAGE).optional(),
  })
  .strict();

function deniedByPolicy(view: RoleActivationView): AppError {
  const message = view.statusReason ?? `role activation '${view.id}' was denied by rule '${view.rule}'`;
  return new AppError('policy_denied', message, {
    roleActivation: view.id,
    status: view.status,
    rule: view.rule,
    message,
  });
}

export function registerRoleActivationRoutes(app: ZodFastify, { app: context }: RouteDeps): void {
  const tags = ['role-activations'];

  app.post(
    '/v1/role-activations',
    {
      config: { access: 'authenticated', problems: ['policy_denied'] },
      schema: {
        tags,
        summary: 'Ask to activate an eligible role for a while; the role’s activation rules decide',
        description:
          'Active at once only when the role’s own rules auto-approve it; otherwise pending on approvers who hold `approve` over everything the role covers. A denial is stored and answered 403 `policy_denied`.',
        body: createRoleActivationSchema,
        response: { 201: roleActivationViewSchema },
      },
    },
    async (request, reply) => {
      const actor = principalOf(request).identity;
      const view = await createRoleActivation({ app: context, actor, input: request.body });
      if (view.status === 'denied') throw deniedByPolicy(view);
      return reply.code(201).send(view);
    },
  );

  app.get(
    '/v1/role-activations',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: 'Role activations, newest first: your own, or all of them for approvers, auditors and administrators',
        querystring: listQuery,
        response: {
          200: z.object({
            roleActivations: z.array(roleActivationViewSchema).max(MAX_ROLE_ACTIVATION_PAGE).readonly(),
          }),
        },
      },
    },
    async (request) => {
      const { status, ...rest } = request.query;
      return listRoleActivations({
        app: context,
        actor: principalOf(request).identity,
        input: { ...rest, ...(status !== undefined ? { status } : {}) },
      });
    },
  );

  app.get(
    '/v1/role-activations/:id',
    {
      config: { access: 'authenticated' },
      schema: { tags, summary: 'One role activation', params: idParams, response: { 200: roleActivationViewSchema } },
    },
    async (request) =>
      showRoleActivation({ app: context, actor: principalOf(request).identity, input: { id: request.params.id } }),
  );

  const verbs = [
    [
      'approve',
      'approve',
      'Approve a pending role activation (never your own); the last approval activates it',
      approveRoleActivation,
    ],
    ['deny', 'approve', 'Deny a pending role activation', denyRoleActivation],
    ['cancel', 'authenticated', 'Withdraw your pending role activation', cancelRoleActivation],
    [
      'revoke',
      'authenticated',
      'End an active role activation now (yours, or any as an administrator)',
      revokeRoleActivation,
    ],
  ] as const;
  for (const [verb, access, summary, run] of verbs) {
    app.post(
      `/v1/role-activations/:id/${verb}`,
      {
        config: { access, ...(verb === 'approve' ? { problems: ['sod_violation' as const] } : {}) },
        schema: { tags, summary, params: idParams, body: reasonBody, response: { 200: roleActivationViewSchema } },
      },
      async (request) =>
        run({
          app: context,
          actor: principalOf(request).identity,
          input: { id: request.params.id, ...(request.body ?? {}) },
        }),
    );
  }
}
