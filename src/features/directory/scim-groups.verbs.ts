/**
 * SCIM Groups: directory groups (`source = 'scim'`) and their members, as the IdP says. Membership takes effect
 * at once: the IdP is the source of truth for who is in its groups and its own change process is their review.
 * What a directory group may do is not SCIM's to say: it holds a role only through an assignment made through
 * the API, which takes effect once a second administrator approves it (SPEC §2.4), and the policy files cannot
 * name it. A group named like one the files define is refused (`409 uniqueness`). Deleting a group ends the
 * API assignments made to it, so a group created again later under the same name starts with no role.
 */
import { inTransaction, type TransactionScope } from '../../app/transaction.js';
import { newId } from '../../core/clock.js';
import { membershipKey } from '../../decide/last-holder.decide.js';
import { applyScimPatch, type ScimDocument, type ScimPatchOperation } from '../../decide/scim-patch.js';
import {
  addMemberships,
  deleteDirectoryGroup,
  deleteResource,
  endAssignments,
  findGroup,
  findResource,
  findResourceBy,
  identityStates,
  insertResource,
  liveGroupAssignments,
  membersOf,
  removeMemberships,
  resourcesByIds,
  resourcesByNames,
  setGroupDescription,
  touchResource,
  updateResource,
  upsertDirectoryGroup,
} from './directory.repo.js';
import { checkIfMatch, refuseIfLastHolders, type ScimCall } from './scim-call.js';
import {
  groupDocument,
  groupNameFor,
  readGroup,
  scimError,
  type GroupState,
  type StoredResource,
} from './scim-documents.js';
import { scimActor } from './scim-token.js';

/** The Group document of a stored resource, read inside `trx` (members from SCIM only: what the IdP manages). */
export async function groupDocumentIn(
  scope: Pick<TransactionScope, 'trx'>,
  resource: StoredResource,
  baseUrl: string,
): Promise<ScimDocument> {
  const members = await resourcesByNames(scope.trx, 'User', await membersOf(scope.trx, resource.name, ['scim']));
  return groupDocument(
    resource,
    members.map((m) => ({ id: m.id, display: m.display })),
    baseUrl,
  );
}

/** Creates a directory group named from its `displayName`, with its members. */
export async function createScimGroup(call: ScimCall<ScimDocument>): Promise<ScimDocument> {
  const state = readGroup(call.input);
  const name = groupNameFor(state.displayName);
  const outcome = await inTransaction(call.app, async (scope) => {
    const { trx, now } = scope;
    if ((await findResourceBy(trx, 'Group', { display: state.displayName })) !== undefined) {
      throw scimError('conflict', 'uniqueness', `a group with displayName '${state.displayName}' exists`);
    }
    const existing = await findGroup(trx, name);
    if (call.app.policy.loaded.groups.has(name) || existing !== undefined) {
      throw scimError(
        'conflict',
        'uniqueness',
        existing?.source === 'scim'
          ? `another group already maps to the group name '${name}'`
          : `group '${name}' is defined by the policy files; SCIM manages only the groups it provisioned`,
      );
    }
    await upsertDirectoryGroup(trx, name, state.displayName, now);
    const id = newId('grp');
    await insertResource(trx, {
      id,
      type: 'Group',
      name,
      client: call.client,
      now,
      display: state.displayName,
      externalId: state.externalId,
      attributes: state.attributes,
    });
    scope.audit({
      actor: scimActor(call.client),
      action: 'group.create',
      subject: `group:${name}`,
      details: {
        source: 'scim',
        client: call.client,
        scimId: id,
        displayName: state.displayName,
        externalId: state.externalId,
      },
    });
    await setMembers(call, scope, name, state.memberIds);
    return groupDocumentIn(scope, (await findResource(trx, 'Group', id)) as StoredResource, call.baseUrl);
  });
  return outcome.value;
}

/** Replaces a group (PUT): its displayName, externalId and exactly the members listed. */
export async function replaceScimGroup(call: ScimCall<{ id: string; document: ScimDocument }>): Promise<ScimDocument> {
  return changeGroup(call, call.input.id, () => readGroup(call.input.document));
}

/** Patches a group: a rename, or members added and removed (`members[value eq "…"]`, Entra's value lists). */
export async function patchScimGroup(
  call: ScimCall<{ id: string; operations: readonly ScimPatchOperation[] }>,
): Promise<ScimDocument> {
  return changeGroup(call, call.input.id, (current) => {
    const { meta: _meta, ...mutable } = current;
    const patched = applyScimPatch(mutable, call.input.operations);
    if (!patched.ok) throw scimError('invalid', patched.scimType, patched.detail);
    return readGroup(patched.document);
  });
}

async function changeGroup(
  call: ScimCall<unknown>,
  id: string,
  next: (current: ScimDocument) => GroupState,
): Promise<ScimDocument> {
  const outcome = await inTransaction(call.app, async (scope) => {
    const { trx, now } = scope;
    const resource = await loadGroup(scope, id, call.ifMatch);
    const state = next(await groupDocumentIn(scope, resource, call.baseUrl));
    const other = await findResourceBy(trx, 'Group', { display: state.displayName });
    if (other !== undefined && other.id !== id) {
      throw scimError('conflict', 'uniqueness', `a group with displayName '${state.displayName}' exists`);
    }
    const renamed = resource.display !== state.displayName;
    const changed =
      renamed ||
      resource.externalId !== state.externalId ||
      JSON.stringify(resource.attributes) !== JSON.stringify(state.attributes);
    if (changed) {
      await updateResource(
        trx,
        id,
        { display: state.displayName, externalId: state.externalId, attributes: state.attributes },
        now,
      );
      if (renamed) await setGroupDescription(trx, resource.name, state.displayName, now);
      scope.audit({
        actor: scimActor(call.client),
        action: 'group.update',
        subject: `group:${resource.name}`,
        details: {
          source: 'scim',
          client: call.client,
          scimId: id,
          displayName: state.displayName,
          externalId: state.externalId,
        },
      });
    }
    const moved = await setMembers(call, scope, resource.name, state.memberIds);
    if (moved && !changed) await touchResource(trx, id, now);
    return groupDocumentIn(scope, (await findResource(trx, 'Group', id)) as StoredResource, call.baseUrl);
  });
  return outcome.value;
}

/**
 * Deletes a directory group: its memberships go, and the API role assignments made to it end (refused when
 * that would leave `administer` or `audit` without a holder).
 */
export async function deleteScimGroup(call: ScimCall<{ id: string }>): Promise<void> {
  const actor = scimActor(call.client);
  await inTransaction(call.app, async (scope) => {
    const { trx, now } = scope;
    const resource = await loadGroup(scope, call.input.id, call.ifMatch);
    const assignments = await liveGroupAssignments(trx, resource.name);
    await refuseIfLastHolders(call.app, scope, { assignments: new Set(assignments.map((a) => a.id)) });
    await endAssignments(
      trx,
      assignments.map((a) => a.id),
      actor,
      now,
    );
    for (const assignment of assignments) {
      scope.audit({
        actor,
        action: 'role.unassign',
        subject: `group:${resource.name}`,
        details: { assignmentId: assignment.id, role: assignment.role, reason: 'the directory group was deleted' },
      });
    }
    const members = await membersOf(trx, resource.name, ['scim', 'oidc']);
    await deleteDirectoryGroup(trx, resource.name);
    await deleteResource(trx, resource.id);
    scope.audit({
      actor,
      action: 'group.delete',
      subject: `group:${resource.name}`,
      details: { source: 'scim', client: call.client, scimId: resource.id, displayName: resource.display, members },
    });
    scope.announce({ kind: 'duties' });
  });
}

async function loadGroup(
  scope: Pick<TransactionScope, 'trx'>,
  id: string,
  ifMatch: string | undefined,
): Promise<StoredResource> {
  const resource = await findResource(scope.trx, 'Group', id);
  if (resource === undefined) throw scimError('not_found', undefined, `group '${id}' does not exist`);
  checkIfMatch(ifMatch, resource.version);
  const group = await findGroup(scope.trx, resource.name);
  if (group?.source !== 'scim') {
    throw scimError('conflict', 'uniqueness', `group '${resource.name}' is now defined by the policy files`);
  }
  return resource;
}

/** Makes the group's SCIM members exactly `memberIds`; audits what moved; true when something did. */
async function setMembers(
  call: ScimCall<unknown>,
  scope: TransactionScope,
  group: string,
  memberIds: readonly string[],
): Promise<boolean> {
  const { trx, now } = scope;
  const users = await resourcesByIds(trx, 'User', memberIds);
  const unknown = memberIds.filter((id) => !users.some((u) => u.id === id));
  if (unknown.length > 0) {
    throw scimError('invalid', 'invalidValue', `no user has the id '${unknown.slice(0, 5).join("', '")}'`);
  }
  const wanted = users.map((u) => u.name);
  const states = await identityStates(trx, wanted);
  const current = await membersOf(trx, group, ['scim']);
  const added = await addMemberships(
    trx,
    group,
    wanted.filter((name) => !current.includes(name) && states.has(name)),
    'scim',
    now,
  );
  const leaving = current.filter((name) => !wanted.includes(name));
  if (leaving.length > 0) {
    // Narrowing needs one person, the IdP; but it may not leave `administer` or `audit` without a holder.
    await refuseIfLastHolders(call.app, scope, {
      memberships: new Set(leaving.map((name) => membershipKey(name, group))),
    });
  }
  const removed = await removeMemberships(trx, group, leaving, 'scim');
  const actor = scimActor(call.client);
  const details = { source: 'scim', client: call.client, group };
  if (added.length > 0) {
    scope.audit({
      actor,
      action: 'group.members_add',
      subject: `group:${group}`,
      details: { ...details, identities: added },
    });
  }
  if (removed.length > 0) {
    scope.audit({
      actor,
      action: 'group.members_remove',
      subject: `group:${group}`,
      details: { ...details, identities: removed },
    });
  }
  if (added.length + removed.length === 0) return false;
  scope.announce({ kind: 'duties' });
  return true;
}
