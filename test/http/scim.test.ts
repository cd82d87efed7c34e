/**
 * The SCIM 2.0 endpoint over HTTP, on both dialects, with the RFC's own examples: RFC 7644 §3.3 (creating
 * Barbara Jensen), §3.4.2.2 (filters), §3.5.2 (PATCH: add, remove and replace members, replace without a
 * path), paging and attribute selection (§3.4.2.4, §3.4.2.5), ETags (§3.14), the discovery endpoints (§4), and
 * SCIM errors (§3.12).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect } from '../store/dialects.js';
import { createHttpTestApp, type HttpTestApp } from './http-fixtures.js';
import { GROUP, patchOp, scimClient, USER, type ScimClient } from './scim-fixtures.js';

describeEachDialect('SCIM 2.0 at /scim/v2', (ctx) => {
  let t: HttpTestApp;
  let scim: ScimClient;
  beforeAll(async () => {
    t = await createHttpTestApp(ctx);
    scim = await scimClient(t);
  });

  async function createUser(userName: string, extra: Record<string, unknown> = {}) {
    const response = await scim.call('POST', '/Users', { schemas: [USER], userName, ...extra });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<{ id: string; meta: { version: string } }>();
  }

  describe('RFC 7644 §3.3: creating a user', () => {
    it("creates Barbara Jensen from the RFC's request and answers 201 with id, meta and location", async () => {
      const response = await scim.call('POST', '/Users', {
        schemas: [USER],
        userName: 'bjensen',
        externalId: 'bjensen',
        name: { formatted: 'Ms. Barbara J Jensen III', familyName: 'Jensen', givenName: 'Barbara' },
      });
      expect(response.statusCode).toBe(201);
      expect(response.headers['content-type']).toMatch(/^application\/scim\+json/);
      const user = response.json<
        Record<string, unknown> & { id: string; meta: { location: string; version: string } }
      >();
      expect(user).toMatchObject({
        schemas: [USER],
        userName: 'bjensen',
        externalId: 'bjensen',
        name: { formatted: 'Ms. Barbara J Jensen III', familyName: 'Jensen', givenName: 'Barbara' },
        active: true,
        groups: [],
        meta: { resourceType: 'User' },
      });
      expect(response.headers.location).toBe(user.meta.location);
      expect(user.meta.location).toMatch(new RegExp(`/scim/v2/Users/${user.id}$`));
      expect(response.headers.etag).toBe(user.meta.version);
      const identity = await t.app.database.db
        .selectFrom('identities')
        .select(['name', 'kind', 'source', 'disabled_at'])
        .where('name', '=', 'bjensen')
        .executeTakeFirstOrThrow();
      expect(identity).toEqual({ name: 'bjensen', kind: 'human', source: 'scim', disabled_at: null });
      const created = (await t.auditEvents()).find(
        (e) => e.action === 'identity.create' && e.subject === 'identity:bjensen',
      );
      expect(created).toMatchObject({ actor: 'scim:okta', details: { source: 'scim', userName: 'bjensen' } });

      const again = await scim.call('POST', '/Users', { schemas: [USER], userName: 'BJensen' });
      expect(again.statusCode).toBe(409);
      expect(again.json()).toEqual({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
        status: '409',
        scimType: 'uniqueness',
        detail: "a user with userName 'BJensen' exists",
      });
    });

    it('maps an e-mail userName to its local part and keeps the address as the e-mail', async () => {
      const user = await createUser('Rita.Moreno@Example.com');
      const got = await scim.call('GET', `/Users/${user.id}`);
      expect(got.json()).toMatchObject({
        userName: 'Rita.Moreno@Example.com',
        emails: [{ value: 'Rita.Moreno@Example.com' }],
      });
      const row = await t.app.database.db
        .selectFrom('identities')
        .select('email')
        .where('name', '=', 'rita.moreno')
        .executeTakeFirst();
      expect(row?.email).toBe('Rita.Moreno@Example.com');
    });

    it('refuses a userName that maps to an identity the policy files define, and one that is no identity name', async () => {
      const clash = await scim.call('POST', '/Users', { schemas: [USER], userName: 'alice@elsewhere.example' });
      expect(clash.statusCode).toBe(409);
      expect(clash.json()).toMatchObject({ scimType: 'uniqueness', detail: expect.stringContaining('policy files') });
      const bad = await scim.call('POST', '/Users', { schemas: [USER], userName: 'Ünïcode Name' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({ status: '400', scimType: 'invalidValue' });
      const none = await scim.call('POST', '/Users', { schemas: [USER] });
      expect(none.json()).toMatchObject({ status: '400', scimType: 'invalidValue', detail: 'userName is required' });
    });
  });

  describe('RFC 7644 §3.4.2: filters, paging and attributes', () => {
    beforeAll(async () => {
      await createUser('jsmith', {
        userType: 'Employee',
        title: 'Tour Guide',
        emails: [{ value: 'jsmith@example.com', type: 'work' }],
      });
      await createUser('jomalley', {
        name: { familyName: "O'Malley" },
        emails: [{ value: 'jomalley@example.org', type: 'home' }],
      });
    });

    it.each([
      ['userName eq "bjensen"', ['bjensen']],
      ['userName Eq "BJENSEN"', ['bjensen']],
      ['name.familyName co "O\'Malley"', ['jomalley']],
      ['userName sw "J"', ['jomalley', 'jsmith']],
      ['title pr', ['jsmith']],
      ['userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")', ['jsmith']],
      ['emails[type eq "work" and value co "@example.com"]', ['jsmith']],
      ['externalId eq "bjensen"', ['bjensen']],
      ['active eq true and userName ne "bjensen" and not (userName sw "r")', ['jsmith', 'jomalley']],
    ])('filter %s finds %j', async (filter, names) => {
      const response = await scim.call('GET', `/Users?filter=${encodeURIComponent(filter)}`);
      expect(response.statusCode, response.body).toBe(200);
      const body = response.json<{ totalResults: number; Resources: { userName: string }[] }>();
      expect(body.Resources.map((r) => r.userName).sort()).toEqual([...names].sort());
      expect(body.totalResults).toBe(names.length);
    });

    it('pages with startIndex and count, and selects attributes', async () => {
      const all = (await scim.call('GET', '/Users')).json<{ totalResults: number }>();
      const page = await scim.call('GET', '/Users?startIndex=2&count=1&attributes=userName');
      const body = page.json<{ totalResults: number; startIndex: number; itemsPerPage: number; Resources: object[] }>();
      expect(body).toMatchObject({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
        totalResults: all.totalResults,
        startIndex: 2,
        itemsPerPage: 1,
      });
      expect(Object.keys(body.Resources[0] ?? {}).sort()).toEqual(['id', 'schemas', 'userName']);
      const excluded = await scim.call(
        'GET',
        '/Users?filter=userName%20eq%20%22bjensen%22&excludedAttributes=groups,name',
      );
      expect(excluded.json<{ Resources: object[] }>().Resources[0]).not.toHaveProperty('groups');
      expect(excluded.json<{ Resources: object[] }>().Resources[0]).not.toHaveProperty('name');
    });

    it('answers a filter it cannot parse with 400 invalidFilter', async () => {
      const response = await scim.call('GET', `/Users?filter=${encodeURIComponent('userName eq')}`);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ scimType: 'invalidFilter' });
    });
  });

  describe('RFC 7644 §3.5.2: PATCH', () => {
    it('adds, removes and replaces members, and replaces attributes without a path', async () => {
      const babs = (await scim.call('GET', '/Users?filter=userName%20eq%20%22bjensen%22')).json<{
        Resources: { id: string }[];
      }>().Resources[0]!;
      const jsmith = (await scim.call('GET', '/Users?filter=userName%20eq%20%22jsmith%22')).json<{
        Resources: { id: string }[];
      }>().Resources[0]!;
      const created = await scim.call('POST', '/Groups', { schemas: [GROUP], displayName: 'Tour Guides' });
      expect(created.statusCode).toBe(201);
      const group = created.json<{ id: string }>();

      // §3.5.2.1: "add" a member.
      const added = await scim.call(
        'PATCH',
        `/Groups/${group.id}`,
        patchOp({
          op: 'add',
          path: 'members',
          value: [{ display: 'Babs Jensen', $ref: `https://example.com/v2/Users/${babs.id}`, value: babs.id }],
        }),
      );
      expect(added.statusCode, added.body).toBe(200);
      expect(added.json()).toMatchObject({
        displayName: 'Tour Guides',
        members: [{ value: babs.id, display: 'bjensen' }],
      });
      // §3.5.2.2: remove a single member by a value filter.
      await scim.call(
        'PATCH',
        `/Groups/${group.id}`,
        patchOp({ op: 'add', path: 'members', value: [{ value: jsmith.id }] }),
      );
      const removed = await scim.call(
        'PATCH',
        `/Groups/${group.id}`,
        patchOp({ op: 'remove', path: `members[value eq "${babs.id}"]` }),
      );
      expect(removed.json<{ members: { value: string }[] }>().members.map((m) => m.value)).toEqual([jsmith.id]);
      // §3.5.2.3: replace all members.
      const replaced = await scim.call(
        'PATCH',
        `/Groups/${group.id}`,
        patchOp({ op: 'replace', path: 'members', value: [{ value: babs.id }] }),
      );
      expect(replaced.json<{ members: { value: string }[] }>().members.map((m) => m.value)).toEqual([babs.id]);
      // §3.5.2.2: remove all members.
      const emptied = await scim.call('PATCH', `/Groups/${group.id}`, patchOp({ op: 'remove', path: 'members' }));
      expect(emptied.json()).toMatchObject({ members: [] });
      const events = (await t.auditEvents()).filter((e) => e.subject === 'group:tour-guides').map((e) => e.action);
      expect(events).toEqual([
        'group.create',
        'group.members_add',
        'group.members_add',
        'group.members_remove',
        'group.members_add',
        'group.members_remove',
        'group.members_remove',
      ]);

      // §3.5.2.3: replace without a path, the value holding the attributes.
      const user = await scim.call(
        'PATCH',
        `/Users/${babs.id}`,
        patchOp({
          op: 'replace',
          value: { emails: [{ value: 'bjensen@example.com', type: 'work', primary: true }], nickName: 'Babs' },
        }),
      );
      expect(user.statusCode, user.body).toBe(200);
      expect(user.json()).toMatchObject({ nickName: 'Babs', emails: [{ value: 'bjensen@example.com' }] });
      const email = await t.app.database.db
        .selectFrom('identities')
        .select('email')
        .where('name', '=', 'bjensen')
        .executeTakeFirst();
      expect(email?.email).toBe('bjensen@example.com');
      // A filtered path with a sub-attribute.
      const work = await scim.call(
        'PATCH',
        `/Users/${babs.id}`,
        patchOp({ op: 'replace', path: 'emails[type eq "work"].value', value: 'babs@example.com' }),
      );
      expect(work.json()).toMatchObject({ emails: [{ value: 'babs@example.com', type: 'work', primary: true }] });
    });

    it('refuses an operation on a server-owned attribute and an unknown operation', async () => {
      const user = await createUser('patchy');
      const id = await scim.call('PATCH', `/Users/${user.id}`, patchOp({ op: 'replace', path: 'id', value: 'x' }));
      expect(id.json()).toMatchObject({ status: '400', scimType: 'mutability' });
      const move = await scim.call('PATCH', `/Users/${user.id}`, patchOp({ op: 'move', path: 'title', value: 'x' }));
      expect(move.json()).toMatchObject({ status: '400', scimType: 'invalidSyntax' });
    });
  });

  it('honours If-Match: a stale version is refused with 412', async () => {
    const user = await createUser('etagged');
    const first = await scim.call(
      'PUT',
      `/Users/${user.id}`,
      { schemas: [USER], userName: 'etagged', title: 'one' },
      { 'if-match': user.meta.version },
    );
    expect(first.statusCode).toBe(200);
    const stale = await scim.call(
      'PUT',
      `/Users/${user.id}`,
      { schemas: [USER], userName: 'etagged', title: 'two' },
      { 'if-match': user.meta.version },
    );
    expect(stale.statusCode).toBe(412);
    expect(stale.json()).toMatchObject({ status: '412' });
  });

  it('answers the discovery endpoints and 404 for an unknown resource', async () => {
    const config = await scim.call('GET', '/ServiceProviderConfig');
    expect(config.json()).toMatchObject({
      patch: { supported: true },
      filter: { supported: true },
      bulk: { supported: false },
      etag: { supported: true },
    });
    const types = await scim.call('GET', '/ResourceTypes');
    expect(types.json<{ Resources: { id: string }[] }>().Resources.map((r) => r.id)).toEqual(['User', 'Group']);
    const schemas = await scim.call('GET', '/Schemas');
    expect(schemas.json<{ Resources: { id: string }[] }>().Resources.map((r) => r.id)).toEqual([USER, GROUP]);
    expect((await scim.call('GET', `/Schemas/${USER}`)).statusCode).toBe(200);
    const missing = await scim.call('GET', '/Users/usr_missing');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '404' });
  });
});
