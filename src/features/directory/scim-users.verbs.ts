/**
 * SCIM Users (RFC 7644 §3.3, §3.5, §3.6): create, replace, patch and delete, each one transaction with its audit
 * events, acting as `scim:<client>`. SCIM manages only the identities it provisioned (`source = 'scim'`): a
 * `userName` that maps to an identity the policy files define is refused with `409 uniqueness`, and an identity
 * the files took over since is no longer SCIM's to change. `active: false` and DELETE are offboarding (SPEC
 * §2.1, `offboardIdentityIn`: requests cancelled, grants revoked, tokens and sessions ended, owned NHIs flagged)
 * in the same transaction; `active: true` enables the identity again. Roles are never SCIM's to give.
 */
import { offboardIdentityIn, recordOffboarding } from '../access/index.js';
import { inTransaction, type TransactionScope } from '../../app/transaction.js';
import { newId } from '../../core/clock.js';
import { applyScimPatch, type ScimDocument, type ScimPatchOperation } from '../../decide/scim-patch.js';
import {
  findIdentity,
  findResource,
  findResourceBy,
  groupsOf,
  identityWithEmail,
  insertResource,
  markIdentityDisabled,
  markIdentityEnabled,
  removeAllMembershipsOf,
  resourcesByNames,
  setIdentityEmail,
  updateResource,
  upsertDirectoryIdentity,
  deleteResource,
  type IdentityRow,
} from './directory.repo.js';
import { checkIfMatch, refuseIfLastHolders, type ScimCall } from './scim-call.js';
import {
  identityNameFor,
  readUser,
  scimError,
  userDocument,
  type StoredResource,
  type UserState,
} from './scim-documents.js';
import { scimActor } from './scim-token.js';

/** The User document of a stored resource, read inside `trx`. */
export async function userDocumentIn(
  scope: Pick<TransactionScope, 'trx'>,
  resource: StoredResource,
  baseUrl: string,
): Promise<ScimDocument> {
  const identity = await findIdentity(scope.trx, resource.name);
  const groupNames = await groupsOf(scope.trx, resource.name, ['scim', 'oidc']);
  const groups = await resourcesByNames(scope.trx, 'Group', groupNames);
  return userDocument(
    resource,
    { active: identity?.disabledAt === null, email: identity?.email ?? null },
    groups.map((g) => ({ id: g.id, display: g.display })),
    baseUrl,
  );
}

function policyClash(name: string): Error {
  return scimError(
    'conflict',
    'uniqueness',
    `identity '${name}' is defined by the policy files; SCIM manages only the identities it provisioned`,
  );
}

/** Creates a user: a directory identity named from its `userName`. */
export async function createScimUser(call: ScimCall<ScimDocument>): Promise<ScimDocument> {
  const state = readUser(call.input);
  const name = identityNameFor(state.userName);
  const actor = scimActor(call.client);
  const outcome = await inTransaction(call.app, async (scope) => {
    const { trx, now } = scope;
    if ((await findResourceBy(trx, 'User', { display: state.userName })) !== undefined) {
      throw scimError('conflict', 'uniqueness', `a user with userName '${state.userName}' exists`);
    }
    if ((await findResourceBy(trx, 'User', { name })) !== undefined) {
      throw scimError('conflict', 'uniqueness', `another user already maps to the identity name '${name}'`);
    }
    const existing = await findIdentity(trx, name);
    if (call.app.policy.loaded.identities.has(name) || (existing !== undefined && existing.source !== 'scim')) {
      throw policyClash(name);
    }
    await refuseEmailClash(scope, state.email, name);
    await upsertDirectoryIdentity(trx, name, state.email, now);
    const resource = { id: newId('usr'), type: 'User' as const, name, client: call.client, now };
    await insertResource(trx, {
      ...resource,
      display: state.userName,
      externalId: state.externalId,
      attributes: state.attributes,
    });
    scope.audit({
      actor,
      action: 'identity.create',
      subject: `identity:${name}`,
      details: {
        source: 'scim',
        client: call.client,
        scimId: resource.id,
        userName: state.userName,
        externalId: state.externalId,
        email: state.email,
        ...(existing !== undefined ? { reprovisioned: true } : {}),
      },
    });
    // A person deleted before and provisioned again comes back as the payload says (active unless told otherwise).
    const wasDisabled = existing?.disabledAt !== null && existing?.disabledAt !== undefined;
    await applyActive(call, scope, name, wasDisabled, state.active ?? true);
    const stored = await findResource(trx, 'User', resource.id);
    return userDocumentIn(scope, stored as StoredResource, call.baseUrl);
  });
  return outcome.value;
}

/** Replaces a user (PUT): every attribute as sent; the identity's name stays. */
export async function replaceScimUser(call: ScimCall<{ id: string; document: ScimDocument }>): Promise<ScimDocument> {
  return changeUser(call, call.input.id, () => readUser(call.input.document));
}

/** Patches a user (RFC 7644 §3.5.2), as Okta and Entra ID send it. */
export async function patchScimUser(
  call: ScimCall<{ id: string; operations: readonly ScimPatchOperation[] }>,
): Promise<ScimDocument> {
  return changeUser(call, call.input.id, (current) => {
    const { groups: _groups, meta: _meta, ...mutable } = current;
    const patched = applyScimPatch(mutable, call.input.operations);
    if (!patched.ok) throw scimError('invalid', patched.scimType, patched.detail);
    return readUser(patched.document);
  });
}

async function changeUser(
  call: ScimCall<unknown>,
  id: string,
  next: (current: ScimDocument) => UserState,
): Promise<ScimDocument> {
  const actor = scimActor(call.client);
  const outcome = await inTransaction(call.app, async (scope) => {
    const { trx, now } = scope;
    const { resource, identity } = await loadUser(scope, id, call.ifMatch);
    const state = next(await userDocumentIn(scope, resource, call.baseUrl));
    const other = await findResourceBy(trx, 'User', { display: state.userName });
    if (other !== undefined && other.id !== id) {
      throw scimError('conflict', 'uniqueness', `a user with userName '${state.userName}' exists`);
    }
    if (state.email !== identity.email) {
      await refuseEmailClash(scope, state.email, identity.name);
      await setIdentityEmail(trx, identity.name, state.email, now);
    }
    const changed = changedFields(resource, identity, state);
    if (changed.length > 0) {
      await updateResource(
        trx,
        id,
        { display: state.userName, externalId: state.externalId, attributes: state.attributes },
        now,
      );
      scope.audit({
        actor,
        action: 'identity.update',
        subject: `identity:${identity.name}`,
        details: {
          source: 'scim',
          client: call.client,
          scimId: id,
          changed,
          userName: state.userName,
          email: state.email,
        },
      });
    }
    if (state.active !== undefined)
      await applyActive(call, scope, identity.name, identity.disabledAt !== null, state.active);
    const stored = await findResource(trx, 'User', id);
    return userDocumentIn(scope, stored as StoredResource, call.baseUrl);
  });
  return outcome.value;
}

/**
 * Deletes a user: offboards the identity (if still enabled) and removes it from every directory group, in one
 * transaction. The identity row stays (audit history, grants and requests name it), disabled.
 */
export async function deleteScimUser(call: ScimCall<{ id: string }>): Promise<void> {
  const actor = scimActor(call.client);
  await inTransaction(call.app, async (scope) => {
    const { resource, identity } = await loadUser(scope, call.input.id, call.ifMatch);
    await applyActive(call, scope, identity.name, identity.disabledAt !== null, false, 'deleted');
    const leftGroups = await removeAllMembershipsOf(scope.trx, identity.name);
    await deleteResource(scope.trx, resource.id);
    scope.audit({
      actor,
      action: 'identity.deprovision',
      subject: `identity:${identity.name}`,
      details: { source: 'scim', client: call.client, scimId: resource.id, userName: resource.display, leftGroups },
    });
    scope.announce({ kind: 'duties' });
  });
}

async function loadUser(
  scope: Pick<TransactionScope, 'trx'>,
  id: string,
  ifMatch: string | undefined,
): Promise<{ resource: StoredResource; identity: IdentityRow }> {
  const resource = await findResource(scope.trx, 'User', id);
  if (resource === undefined) throw scimError('not_found', undefined, `user '${id}' does not exist`);
  checkIfMatch(ifMatch, resource.version);
  const identity = await findIdentity(scope.trx, resource.name);
  if (identity === undefined || identity.source !== 'scim') throw policyClash(resource.name);
  return { resource, identity };
}

async function refuseEmailClash(
  scope: Pick<TransactionScope, 'trx'>,
  email: string | null,
  name: string,
): Promise<void> {
  if (email === null) return;
  const holder = await identityWithEmail(scope.trx, email, name);
  // Two identities with one address would make e-mail sign-in ambiguous, or let a directory account take over
  // another identity's address.
  if (holder !== undefined)
    throw scimError('conflict', 'uniqueness', `the e-mail address '${email}' belongs to another identity`);
}

function changedFields(resource: StoredResource, identity: IdentityRow, state: UserState): string[] {
  const changed: string[] = [];
  if (resource.display !== state.userName) changed.push('userName');
  if (resource.externalId !== state.externalId) changed.push('externalId');
  if (identity.email !== state.email) changed.push('email');
  if (JSON.stringify(resource.attributes) !== JSON.stringify(state.attributes)) changed.push('attributes');
  return changed;
}

/**
 * Moves the identity to `active`: deactivation is offboarding (SPEC §2.1) in this transaction, refused when it
 * would leave `administer` or `audit` without a holder; reactivation enables the identity (its revoked tokens,
 * cancelled requests and revoked grants stay so).
 */
async function applyActive(
  call: ScimCall<unknown>,
  scope: TransactionScope,
  name: string,
  disabled: boolean,
  active: boolean,
  why: 'deactivated' | 'deleted' = 'deactivated',
): Promise<void> {
  const actor = scimActor(call.client);
  const { trx, now } = scope;
  if (active && disabled) {
    await markIdentityEnabled(trx, name, now);
    scope.audit({
      actor,
      action: 'identity.enable',
      subject: `identity:${name}`,
      details: { source: 'scim', client: call.client },
    });
    scope.announce({ kind: 'duties' });
    return;
  }
  if (active || disabled) return;
  await refuseIfLastHolders(call.app, scope, { identities: new Set([name]) });
  const because = `identity '${name}' was ${why} by the SCIM client '${call.client}'`;
  await markIdentityDisabled(trx, name, actor, now);
  const result = await offboardIdentityIn(trx, name, now, because);
  recordOffboarding(call.app, scope, actor, result, because, { source: 'scim', client: call.client });
}
