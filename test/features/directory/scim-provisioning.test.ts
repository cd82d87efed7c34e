/**
 * The directory verbs on both dialects, driven as Okta and Entra ID drive a SCIM endpoint (their documented
 * request bodies): look up, create a user, create a group, add the user to it, rename both, deactivate (the user
 * is offboarded), reactivate, remove from the group, delete. Each step's audit event names the SCIM client.
 */
import { beforeAll, expect, it } from 'vitest';
import type { ScimDocument } from '../../../src/decide/scim-patch.js';
import {
  createScimGroup,
  createScimUser,
  deleteScimGroup,
  deleteScimUser,
  getScimResource,
  listScimResources,
  patchScimGroup,
  patchScimUser,
  replaceScimUser,
  type ScimCall,
} from '../../../src/features/directory/index.js';
import { inReadTransaction } from '../../../src/app/snapshot.queries.js';
import { proposeRoleAssignment } from '../../../src/features/access/index.js';
import { approveAdminChange } from '../../../src/features/governance/index.js';
import { createTestApp, type TestApp } from '../../app/harness.js';
import { describeEachDialect } from '../../store/dialects.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const BASE = 'https://countersign.test/scim/v2';

describeEachDialect('SCIM provisioning as identity providers send it', (ctx) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(ctx);
  });

  const as = <I>(client: string, input: I): ScimCall<I> => ({ app: t.app, client, baseUrl: BASE, input });
  const identity = (name: string) =>
    t.app.database.db
      .selectFrom('identities')
      .select(['name', 'email', 'source', 'disabled_at'])
      .where('name', '=', name)
      .executeTakeFirst();
  const groupsOf = async (name: string) => {
    const snapshot = await inReadTransaction(t.app, (trx) => t.app.policy.snapshot(trx, t.clock.now()));
    return snapshot.policy.identities.get(name)?.groups ?? [];
  };
  const actions = async (client: string) =>
    (await t.auditEvents()).filter((e) => e.actor === `scim:${client}`).map((e) => `${e.action} ${e.subject}`);

  it('follows the Okta sequence: create, push a group, rename, deactivate, reactivate, delete', async () => {
    const lookup = await listScimResources(
      t.app,
      'User',
      { filter: 'userName eq "dave@acme.example"', startIndex: 1, count: 100 },
      BASE,
    );
    expect(lookup).toMatchObject({ totalResults: 0, Resources: [] });
    const user = await createScimUser(
      as('okta', {
        schemas: [USER],
        userName: 'dave@acme.example',
        name: { givenName: 'Dave', familyName: 'Doe' },
        emails: [{ primary: true, value: 'dave@acme.example', type: 'work' }],
        displayName: 'Dave Doe',
        locale: 'en-US',
        externalId: '00ujl29u0le5T6Aj10h7',
        groups: [],
        password: 'never-stored-1!',
        active: true,
      }),
    );
    expect(user).toMatchObject({ userName: 'dave@acme.example', externalId: '00ujl29u0le5T6Aj10h7', active: true });
    expect(user).not.toHaveProperty('password');
    const group = await createScimGroup(as('okta', { schemas: [GROUP], displayName: 'Payments Oncall', members: [] }));
    const patched = await patchScimGroup(
      as('okta', {
        id: String(group.id),
        operations: [{ op: 'add', path: 'members', value: [{ value: user.id, display: 'dave@acme.example' }] }],
      }),
    );
    expect(patched).toMatchObject({ members: [{ value: user.id }] });
    expect(await groupsOf('dave')).toEqual(['payments-oncall']);

    // Okta renames with PUT (the whole user) and with a replace without a path (the group).
    const renamed = await replaceScimUser(
      as('okta', {
        id: String(user.id),
        document: {
          schemas: [USER],
          userName: 'dave.doe@acme.example',
          name: { givenName: 'Dave', familyName: 'Doe' },
          emails: [{ primary: true, value: 'dave.doe@acme.example', type: 'work' }],
          active: true,
        },
      }),
    );
    expect(renamed).toMatchObject({
      userName: 'dave.doe@acme.example',
      groups: [{ value: group.id, display: 'Payments Oncall' }],
    });
    expect(await identity('dave')).toMatchObject({ email: 'dave.doe@acme.example', source: 'scim' });
    await patchScimGroup(
      as('okta', {
        id: String(group.id),
        operations: [{ op: 'replace', value: { id: group.id, displayName: 'Payments Responders' } }],
      }),
    );
    expect(await getScimResource(t.app, 'Group', String(group.id), BASE)).toMatchObject({
      displayName: 'Payments Responders',
    });
    expect(await groupsOf('dave')).toEqual(['payments-oncall']);

    await patchScimUser(as('okta', { id: String(user.id), operations: [{ op: 'replace', value: { active: false } }] }));
    expect((await identity('dave'))?.disabled_at).not.toBeNull();
    await patchScimUser(as('okta', { id: String(user.id), operations: [{ op: 'replace', value: { active: true } }] }));
    expect((await identity('dave'))?.disabled_at).toBeNull();
    await deleteScimUser(as('okta', { id: String(user.id) }));
    expect((await identity('dave'))?.disabled_at).not.toBeNull();
    await expect(getScimResource(t.app, 'User', String(user.id), BASE)).rejects.toMatchObject({ code: 'not_found' });
    await deleteScimGroup(as('okta', { id: String(group.id) }));
    expect(await actions('okta')).toEqual([
      'identity.create identity:dave',
      'group.create group:payments-oncall',
      'group.members_add group:payments-oncall',
      'identity.update identity:dave',
      'group.update group:payments-oncall',
      'identity.disable identity:dave',
      'identity.enable identity:dave',
      'identity.disable identity:dave',
      'identity.deprovision identity:dave',
      'group.delete group:payments-oncall',
    ]);
  });

  it('follows the Entra ID sequence, with its capitalised operations, string booleans and value lists', async () => {
    const user = await createScimUser(
      as('entra', {
        schemas: [USER, ENTERPRISE],
        externalId: '8f2e5c1a-entra-object-id',
        userName: 'Eve.Adams@contoso.example',
        active: true,
        displayName: 'Eve Adams',
        emails: [{ primary: true, type: 'work', value: 'Eve.Adams@contoso.example' }],
        meta: { resourceType: 'User' },
        name: { formatted: 'Eve Adams', familyName: 'Adams', givenName: 'Eve' },
        [ENTERPRISE]: { department: 'Payments' },
      }),
    );
    expect(user).toMatchObject({ schemas: [USER, ENTERPRISE], [ENTERPRISE]: { department: 'Payments' } });
    const lookup = await listScimResources(t.app, 'Group', { filter: 'displayName eq "Payments DBAs"' }, BASE);
    expect(lookup.totalResults).toBe(0);
    const group = await createScimGroup(
      as('entra', {
        schemas: [GROUP],
        externalId: '5e1b-dba-object-id',
        displayName: 'Payments DBAs',
        meta: { resourceType: 'Group' },
      }),
    );
    const gid = String(group.id);
    const uid = String(user.id);
    await patchScimGroup(
      as('entra', { id: gid, operations: [{ op: 'Add', path: 'members', value: [{ value: uid }] }] }),
    );
    expect(await groupsOf('eve.adams')).toEqual(['payments-dbas']);

    const renamed = await patchScimUser(
      as('entra', {
        id: uid,
        operations: [
          { op: 'Replace', path: 'userName', value: 'eve.lee@contoso.example' },
          { op: 'Replace', path: 'name.familyName', value: 'Lee' },
          { op: 'Replace', path: 'emails[type eq "work"].value', value: 'eve.lee@contoso.example' },
          { op: 'Add', path: `${ENTERPRISE}:department`, value: 'Platform' },
        ],
      }),
    );
    expect(renamed).toMatchObject({
      userName: 'eve.lee@contoso.example',
      name: { familyName: 'Lee', givenName: 'Eve' },
      [ENTERPRISE]: { department: 'Platform' },
    });
    expect(await identity('eve.adams')).toMatchObject({ email: 'eve.lee@contoso.example' });

    const off = await patchScimUser(
      as('entra', { id: uid, operations: [{ op: 'Replace', path: 'active', value: 'False' }] }),
    );
    expect(off).toMatchObject({ active: false });
    const on = await patchScimUser(
      as('entra', { id: uid, operations: [{ op: 'Replace', path: 'active', value: 'True' }] }),
    );
    expect(on).toMatchObject({ active: true });
    await patchScimGroup(
      as('entra', { id: gid, operations: [{ op: 'Remove', path: 'members', value: [{ value: uid }] }] }),
    );
    expect(await groupsOf('eve.adams')).toEqual([]);
    await deleteScimUser(as('entra', { id: uid }));
    await deleteScimGroup(as('entra', { id: gid }));
    expect(await actions('entra')).toEqual([
      'identity.create identity:eve.adams',
      'group.create group:payments-dbas',
      'group.members_add group:payments-dbas',
      'identity.update identity:eve.adams',
      'identity.disable identity:eve.adams',
      'identity.enable identity:eve.adams',
      'group.members_remove group:payments-dbas',
      'identity.disable identity:eve.adams',
      'identity.deprovision identity:eve.adams',
      'group.delete group:payments-dbas',
    ]);
  });

  it('provisions a deleted person again under the same identity, enabled', async () => {
    const first = await createScimUser(as('okta', { schemas: [USER], userName: 'finn@acme.example' }));
    await deleteScimUser(as('okta', { id: String(first.id) }));
    const again: ScimDocument = await createScimUser(as('okta', { schemas: [USER], userName: 'finn@acme.example' }));
    expect(again.id).not.toBe(first.id);
    expect(await identity('finn')).toMatchObject({ disabled_at: null, source: 'scim' });
  });

  it('refuses to remove from a directory group the last holder of administer (409), and keeps the membership', async () => {
    const ada = await createScimUser(as('okta', { schemas: [USER], userName: 'ada@acme.example' }));
    const group = await createScimGroup(
      as('okta', { schemas: [GROUP], displayName: 'Directory Admins', members: [{ value: ada.id }] }),
    );
    const proposed = await proposeRoleAssignment({
      app: t.app,
      actor: 'victor',
      input: { role: 'platform-admin', subject: { type: 'group', name: 'directory-admins' } },
    });
    await approveAdminChange({ app: t.app, actor: 'peggy', input: { id: proposed.id } });
    // Every other holder of administer leaves (directly in the store: this test is about the directory's part).
    const snapshot = await inReadTransaction(t.app, (trx) => t.app.policy.snapshot(trx, t.clock.now()));
    const others = [...snapshot.policy.identities.keys()].filter(
      (name) => name !== 'ada' && snapshot.duties.holdsAnywhere(name, 'administer'),
    );
    expect(others.length).toBeGreaterThan(0);
    await t.app.database.db
      .updateTable('identities')
      .set({ disabled_at: t.clock.now() })
      .where('name', 'in', others)
      .execute();

    const removal = patchScimGroup(
      as('okta', { id: String(group.id), operations: [{ op: 'remove', path: 'members' }] }),
    );
    await expect(removal).rejects.toMatchObject({ code: 'conflict' });
    await expect(
      patchScimUser(as('okta', { id: String(ada.id), operations: [{ op: 'replace', value: { active: false } }] })),
    ).rejects.toMatchObject({ code: 'conflict' });
    expect(await groupsOf('ada')).toEqual(['directory-admins']);
    await t.app.database.db.updateTable('identities').set({ disabled_at: null }).where('name', 'in', others).execute();
  });
});
