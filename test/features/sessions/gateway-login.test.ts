/**
 * Gateway logins (issue 14): activating a gateway-only action hands out a gateway secret instead of the provider's
 * credential; the secret (or the identity's own API token) opens a login while the grant lasts; opening a session
 * records it and gives the gateway the upstream connection.
 */
import { expect, it } from 'vitest';
import { makeScramVerifier } from '../../../src/gateway/postgres/scram.js';
import { issueToken } from '../../../src/features/access/index.js';
import { expireDueGrants } from '../../../src/features/grants/index.js';
import { breakGlass, revokeRequest } from '../../../src/features/requests/requests.verbs.js';
import {
  findGatewayLogin,
  openGatewaySession,
  verifyGatewayPassword,
  type GatewayLogin,
} from '../../../src/features/sessions/index.js';
import { describeEachDialect } from '../../store/dialects.js';
import { as, eventsOf, refusal } from '../../app/requests-fixtures.js';
import { activeGatewayGrant, createGatewayApp } from './gateway-fixtures.js';

const META = { gatewayId: 'gw-test', clientAddress: '127.0.0.1:50000', tls: false, method: 'scram' as const };

describeEachDialect('gateway logins', (ctx) => {
  it('activating a gateway-only action answers a gateway login and a secret, never the provider credential', async () => {
    const { t, app, provider } = await createGatewayApp(ctx);
    const answer = await activeGatewayGrant(app, 'gus');
    expect(answer.credential).toBeUndefined();
    expect(answer.gateway).toMatchObject({ user: 'gus', database: 'payments-db' });
    expect(answer.gateway?.secret).toMatch(/^csg_/);
    const password = provider.passwords.at(-1) ?? '';
    expect(JSON.stringify(answer)).not.toContain(password);
    const row = await ctx.database.db.selectFrom('gateway_credentials').selectAll().executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(password);
    expect(JSON.stringify(row)).not.toContain(answer.gateway?.secret ?? '');
    const verifier = makeScramVerifier(answer.gateway?.secret ?? '', row.scram_salt, row.scram_iterations);
    expect([verifier.storedKey, verifier.serverKey]).toEqual([row.scram_stored_key, row.scram_server_key]);
    const events = await t.auditEvents();
    expect(eventsOf(events, 'gateway.secret_issue')).toHaveLength(1);
    expect(JSON.stringify(events)).not.toContain(password);
    expect(JSON.stringify(events)).not.toContain(answer.gateway?.secret ?? '');
  });

  it('break-glass on a gateway-only action also answers a gateway login, never the provider credential', async () => {
    const { app, provider } = await createGatewayApp(ctx);
    const answer = await breakGlass(
      as(app, 'olivia')({ resource: 'payments-db', action: 'query', duration: '30m', justification: 'INC-9 outage' }),
    );
    expect(answer.credential).toBeUndefined();
    expect(answer.gateway).toMatchObject({ user: 'olivia', database: 'payments-db' });
    expect(JSON.stringify(answer)).not.toContain(provider.passwords.at(-1) ?? 'missing');
    expect(await findGatewayLogin(app, { user: 'olivia', database: 'payments-db' })).toMatchObject({
      grantId: answer.request.grant?.id,
    });
  });

  it('a login is found by identity and resource, or resource@grant, and only for the grant holder', async () => {
    const { app } = await createGatewayApp(ctx);
    const answer = await activeGatewayGrant(app, 'hana');
    const grantId = answer.request.grant?.id ?? '';
    const login = await findGatewayLogin(app, { user: 'hana', database: 'payments-db' });
    expect(login).toMatchObject({ identity: 'hana', resource: 'payments-db', grantId, action: 'query' });
    expect(login?.scram?.iterations).toBeGreaterThan(0);
    expect(await findGatewayLogin(app, { user: 'hana', database: `payments-db@${grantId}` })).toMatchObject({
      grantId,
    });
    expect(await findGatewayLogin(app, { user: 'hana', database: 'payments-db@grt_other' })).toBeUndefined();
    expect(await findGatewayLogin(app, { user: 'nina', database: 'payments-db' })).toBeUndefined();
    expect(await findGatewayLogin(app, { user: 'nobody', database: 'payments-db' })).toBeUndefined();
    expect(await findGatewayLogin(app, { user: 'hana', database: 'other-db' })).toBeUndefined();
  });

  it('the password is the secret or an API token of the same identity, never another identity’s', async () => {
    const { app } = await createGatewayApp(ctx);
    const answer = await activeGatewayGrant(app, 'ivan');
    const login = (await findGatewayLogin(app, { user: 'ivan', database: 'payments-db' })) as GatewayLogin;
    expect(await verifyGatewayPassword(app, login, answer.gateway?.secret ?? '')).toBe('secret');
    const own = await issueToken(as(app, 'ivan')({ identity: 'ivan', ttl: '1h' }));
    expect(await verifyGatewayPassword(app, login, own.token)).toBe('token');
    const other = await issueToken(as(app, 'dave')({ identity: 'dave', ttl: '1h' }));
    expect(await verifyGatewayPassword(app, login, other.token)).toBeUndefined();
    expect(await verifyGatewayPassword(app, login, 'csg_wrong')).toBeUndefined();
    expect(await verifyGatewayPassword(app, login, '')).toBeUndefined();
  });

  it('opening a session records and audits it and gives the upstream login, with no password in the record', async () => {
    const { t, app, provider } = await createGatewayApp(ctx);
    await activeGatewayGrant(app, 'judy');
    const login = (await findGatewayLogin(app, { user: 'judy', database: 'payments-db' })) as GatewayLogin;
    const opened = await openGatewaySession(app, login, { ...META, applicationName: 'psql' });
    const password = provider.passwords.at(-1) ?? '';
    expect(opened.upstream).toMatchObject({ host: '127.0.0.1', port: 5432, database: 'payments', password });
    expect(opened.upstream.user).toMatch(/^cs_/);
    expect(opened.policy.otherwise).toBe('allow');
    expect(opened.context.requester.name).toBe('judy');
    const row = await ctx.database.db
      .selectFrom('gateway_sessions')
      .selectAll()
      .where('id', '=', opened.sessionId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ identity: 'judy', grant_id: login.grantId, application_name: 'psql', closed_at: null });
    const events = eventsOf(await t.auditEvents(), 'gateway.session.open', `session:${opened.sessionId}`);
    expect(events[0]).toMatchObject({ actor: 'judy', details: { grantId: login.grantId, method: 'scram' } });
    expect(JSON.stringify(events)).not.toContain(password);
  });

  it('the secret stops working when the grant is revoked, and the sealed credential is deleted', async () => {
    const { app } = await createGatewayApp(ctx);
    const answer = await activeGatewayGrant(app, 'kim');
    const login = (await findGatewayLogin(app, { user: 'kim', database: 'payments-db' })) as GatewayLogin;
    await revokeRequest(as(app, 'kim')({ id: answer.request.id }));
    expect(await findGatewayLogin(app, { user: 'kim', database: 'payments-db' })).toBeUndefined();
    expect(await verifyGatewayPassword(app, login, answer.gateway?.secret ?? '')).toBeUndefined();
    expect((await refusal(openGatewaySession(app, login, META))).code).toBe('forbidden');
    const rows = await ctx.database.db
      .selectFrom('gateway_credentials')
      .select('grant_id')
      .where('grant_id', '=', login.grantId)
      .execute();
    expect(rows).toEqual([]);
  });

  it('the secret stops working when the grant expires', async () => {
    const { t, app } = await createGatewayApp(ctx);
    const answer = await activeGatewayGrant(app, 'liam');
    const login = (await findGatewayLogin(app, { user: 'liam', database: 'payments-db' })) as GatewayLogin;
    t.clock.advance(31 * 60_000);
    expect(await findGatewayLogin(app, { user: 'liam', database: 'payments-db' })).toBeUndefined();
    expect(await verifyGatewayPassword(app, login, answer.gateway?.secret ?? '')).toBeUndefined();
    await expireDueGrants(app, t.clock.now(), {
      owner: 'test',
      actor: 'system:scheduler',
      batchSize: 10,
      concurrency: 1,
      leaseMs: 5000,
      onError: (_job, _subject, error) => {
        throw error;
      },
    });
    const rows = await ctx.database.db
      .selectFrom('gateway_credentials')
      .select('grant_id')
      .where('grant_id', '=', login.grantId)
      .execute();
    expect(rows).toEqual([]);
  });
});
