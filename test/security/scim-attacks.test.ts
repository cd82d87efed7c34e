/**
 * Attacks on the SCIM endpoint (issue 13), on both dialects: a SCIM client token is no API credential and an API
 * token is no SCIM credential; SCIM cannot hand out a role (not through user attributes, not by joining or
 * naming a group the policy files define, not by filling a directory group before an administrator's four-eyes
 * assignment is approved); SCIM cannot make an identity with a system name; and deactivating a user through
 * SCIM really takes away an active grant, its requests and its tokens, in one audited step.
 */
import { beforeAll, expect, it } from 'vitest';
import { DUTIES } from '../../src/policy/model.js';
import { inReadTransaction } from '../../src/app/snapshot.queries.js';
import { revokeScimToken } from '../../src/features/directory/index.js';
import { SYSTEM_OPERATOR } from '../../src/policy/model.js';
import { createHttpTestApp, type HttpTestApp } from '../http/http-fixtures.js';
import { GROUP, patchOp, scimClient, USER, type ScimClient } from '../http/scim-fixtures.js';
import { describeEachDialect } from '../store/dialects.js';
import { grantRow, requestRow } from '../store/factories.js';

describeEachDialect('SCIM attacks', (ctx) => {
  let t: HttpTestApp;
  let scim: ScimClient;
  beforeAll(async () => {
    t = await createHttpTestApp(ctx);
    scim = await scimClient(t, 'entra');
  });

  async function dutiesOf(identity: string): Promise<string[]> {
    const snapshot = await inReadTransaction(t.app, (trx) => t.app.policy.snapshot(trx, t.clock.now()));
    return DUTIES.filter((duty) => snapshot.duties.holdsAnywhere(identity, duty));
  }

  async function createUser(userName: string, extra: Record<string, unknown> = {}): Promise<string> {
    const response = await scim.call('POST', '/Users', { schemas: [USER], userName, ...extra });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<{ id: string }>().id;
  }

  it('a SCIM client token calls nothing in /v1', async () => {
    for (const [method, url] of [
      ['GET', '/v1/me'],
      ['GET', '/v1/requests'],
      ['POST', '/v1/role-assignments'],
      ['POST', '/v1/tokens'],
    ] as const) {
      const response = await t.call(method, url, scim.token, {});
      expect({ url, status: response.statusCode }).toEqual({ url, status: 401 });
    }
  });

  it('an API token, even an administrator’s, calls nothing at /scim/v2', async () => {
    const token = await t.tokenFor('victor');
    const listed = await t.http.inject({
      method: 'GET',
      url: '/scim/v2/Users',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(listed.statusCode).toBe(401);
    const created = await t.http.inject({
      method: 'POST',
      url: '/scim/v2/Users',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
      payload: JSON.stringify({ schemas: [USER], userName: 'sneaky' }),
    });
    expect(created.statusCode).toBe(401);
    const row = await t.app.database.db
      .selectFrom('identities')
      .select('name')
      .where('name', '=', 'sneaky')
      .executeTakeFirst();
    expect(row).toBeUndefined();
  });

  it('a revoked SCIM token and an expired one are refused', async () => {
    const other = await scimClient(t, 'okta', '1d');
    expect((await other.call('GET', '/Users')).statusCode).toBe(200);
    t.clock.advance(86_400_000 + 1);
    expect((await other.call('GET', '/Users')).statusCode).toBe(401);
    const revoked = await scimClient(t, 'jumpcloud');
    const [row] = await t.app.database.db
      .selectFrom('scim_tokens')
      .select('id')
      .where('client', '=', 'jumpcloud')
      .execute();
    await revokeScimToken({ app: t.app, actor: SYSTEM_OPERATOR, input: { id: row!.id } });
    expect((await revoked.call('GET', '/Users')).statusCode).toBe(401);
  });

  it('SCIM cannot make an identity named like a system identity', async () => {
    for (const userName of ['system:executor', 'system:policy@countersign.example', 'SYSTEM:operator']) {
      const response = await scim.call('POST', '/Users', { schemas: [USER], userName });
      expect({ userName, status: response.statusCode }).toEqual({ userName, status: 400 });
    }
    const rows = await t.app.database.db.selectFrom('identities').select('name').where('source', '=', 'scim').execute();
    expect(rows.filter((r) => r.name.includes('system'))).toEqual([]);
  });

  it('SCIM cannot give a role: attributes, policy groups and directory groups without an approved assignment give nothing', async () => {
    const id = await createUser('mona@contoso.example', {
      roles: [{ value: 'platform-admin' }],
      entitlements: [{ value: 'administer' }],
      groups: [{ value: 'platform-admins' }],
    });
    expect(await dutiesOf('mona')).toEqual([]);
    // The files' groups (platform-admins holds administer) cannot be created, joined or taken over.
    for (const displayName of ['platform-admins', 'Platform Admins']) {
      const response = await scim.call('POST', '/Groups', { schemas: [GROUP], displayName, members: [{ value: id }] });
      expect(response.statusCode).toBe(409);
      expect(response.json()).toMatchObject({ scimType: 'uniqueness' });
    }
    // A directory group holds no role until a second administrator approves one for it (SPEC §2.4).
    const group = await scim.call('POST', '/Groups', {
      schemas: [GROUP],
      displayName: 'SRE Oncall',
      members: [{ value: id }],
    });
    expect(group.statusCode).toBe(201);
    expect(await dutiesOf('mona')).toEqual([]);
    const proposed = await t.call('POST', '/v1/role-assignments', await t.tokenFor('victor'), {
      role: 'sre',
      subject: 'group:sre-oncall',
    });
    expect(proposed.statusCode).toBe(202);
    expect(await dutiesOf('mona')).toEqual([]);
    const changeId = proposed.json<{ id: string }>().id;
    const approved = await t.call('POST', `/v1/admin-changes/${changeId}/approve`, await t.tokenFor('peggy'), {});
    expect(approved.json()).toMatchObject({ status: 'applied' });
    expect(await dutiesOf('mona')).toEqual(['request', 'approve']);
    // Leaving the group through SCIM (narrowing) takes effect at once.
    const groupId = group.json<{ id: string }>().id;
    await scim.call('PATCH', `/Groups/${groupId}`, patchOp({ op: 'Remove', path: 'members', value: [{ value: id }] }));
    expect(await dutiesOf('mona')).toEqual([]);
    // Deleting the group ends its assignment: a group made again under the name starts with no role.
    expect((await scim.call('DELETE', `/Groups/${groupId}`)).statusCode).toBe(204);
    const again = await scim.call('POST', '/Groups', {
      schemas: [GROUP],
      displayName: 'SRE Oncall',
      members: [{ value: id }],
    });
    expect(again.statusCode).toBe(201);
    expect(await dutiesOf('mona')).toEqual([]);
  });

  it('deactivating a user through SCIM revokes its active grant, cancels its requests and ends its tokens', async () => {
    await createUser('gina@contoso.example');
    const id = (await scim.call('GET', '/Users?filter=userName%20eq%20%22gina@contoso.example%22')).json<{
      Resources: { id: string }[];
    }>().Resources[0]!.id;
    const now = t.clock.now();
    const pending = requestRow({ requester: 'gina', status: 'pending', created_at: now, updated_at: now });
    const active = requestRow({ requester: 'gina', status: 'active', created_at: now, updated_at: now });
    await t.app.database.db.insertInto('requests').values([pending, active]).execute();
    const grant = grantRow(active.id, {
      identity: 'gina',
      created_at: now,
      updated_at: now,
      expires_at: now + 3_600_000,
    });
    await t.app.database.db.insertInto('grants').values(grant).execute();
    const token = await t.tokenFor('gina');
    expect((await t.call('GET', '/v1/me', token)).statusCode).toBe(200);

    // Entra ID sends the boolean as a string.
    const patched = await scim.call(
      'PATCH',
      `/Users/${id}`,
      patchOp({ op: 'Replace', path: 'active', value: 'False' }),
    );
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ active: false });

    const db = t.app.database.db;
    expect(
      (await db.selectFrom('grants').select('status').where('id', '=', grant.id).executeTakeFirstOrThrow()).status,
    ).toBe('revoked');
    const statuses = await db.selectFrom('requests').select(['id', 'status']).where('requester', '=', 'gina').execute();
    expect(new Map(statuses.map((r) => [r.id, r.status]))).toEqual(
      new Map([
        [pending.id, 'cancelled'],
        [active.id, 'revoked'],
      ]),
    );
    expect((await t.call('GET', '/v1/me', token)).statusCode).toBe(401);
    const disabled = (await t.auditEvents()).find(
      (e) => e.action === 'identity.disable' && e.subject === 'identity:gina',
    );
    expect(disabled).toMatchObject({
      actor: 'scim:entra',
      details: expect.objectContaining({
        revokedGrants: [grant.id],
        cancelledRequests: [pending.id],
        source: 'scim',
      }),
    });

    // Reactivation enables the identity again, but what offboarding took stays taken.
    const back = await scim.call('PATCH', `/Users/${id}`, patchOp({ op: 'replace', value: { active: true } }));
    expect(back.json()).toMatchObject({ active: true });
    expect((await t.call('GET', '/v1/me', token)).statusCode).toBe(401);
    expect((await t.call('GET', '/v1/me', await t.tokenFor('gina'))).statusCode).toBe(200);
    expect(
      (await db.selectFrom('grants').select('status').where('id', '=', grant.id).executeTakeFirstOrThrow()).status,
    ).toBe('revoked');
  });
});
