/**
 * Turning an eligible role on in a test the only way the product allows: a role activation request by the
 * holder, approved by someone else (issue #9 item 3).
 */
import type { AppContext } from '../../../src/app/context.js';
import { approveRoleActivation, createRoleActivation } from '../../../src/features/access/role-activation.verbs.js';
import type { RoleActivationView } from '../../../src/features/access/role-activation.view.js';

/** `identity` asks for `role` (default 8h) and `approver` approves; returns the active activation. */
export async function activateRole(
  app: AppContext,
  identity: string,
  role: string,
  approver: string,
  duration = '8h',
): Promise<RoleActivationView> {
  const asked = await createRoleActivation({
    app,
    actor: identity,
    input: { role, duration, justification: 'on call for the payments database' },
  });
  if (asked.status === 'active') return asked;
  return approveRoleActivation({ app, actor: approver, input: { id: asked.id } });
}
