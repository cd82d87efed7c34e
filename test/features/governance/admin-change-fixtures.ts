/**
 * Four eyes in tests: an administrative change proposed by one administrator and approved by another, for tests
 * whose subject is what the change leads to (certifications of an API assignment, observations of an API
 * resource), not the approval itself.
 */
import { approveAdminChange } from '../../../src/features/governance/admin-changes.verbs.js';
import { proposeRoleAssignment, type AssignRoleInput } from '../../../src/features/access/assignments.verbs.js';
import type { AppContext } from '../../../src/app/context.js';
import { putResource, type PutResourceInput } from '../../../src/features/resources/resource-put.verb.js';

/** Proposes an assignment as `author` and approves it as `approver`; the assignment's id and exceptions. */
export async function assignApproved(
  app: AppContext,
  author: string,
  approver: string,
  input: AssignRoleInput,
): Promise<{ id: string; coveredBy: readonly string[]; changeId: string }> {
  const change = await proposeRoleAssignment({ app, actor: author, input });
  const applied = await approveAdminChange({ app, actor: approver, input: { id: change.id } });
  const result = applied.result as { assignmentId: string; coveredBy: string[] };
  return { id: result.assignmentId, coveredBy: result.coveredBy, changeId: change.id };
}

/** Registers (or re-binds) a resource as `author`, approved by `approver`. */
export async function putResourceApproved(
  app: AppContext,
  author: string,
  approver: string,
  input: PutResourceInput,
): Promise<{ changeId: string }> {
  const result = await putResource({ app, actor: author, input });
  if (!('pending' in result)) throw new Error(`resource '${input.name}' was changed without an approval`);
  await approveAdminChange({ app, actor: approver, input: { id: result.pending.id } });
  return { changeId: result.pending.id };
}
