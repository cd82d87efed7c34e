/**
 * The gateway's session records over HTTP (issue 14): activating a gateway-only action answers the gateway login,
 * `GET /v1/sessions[/{id}]` shows sessions to whom may see them (text opened only for `audit` holders, audited),
 * and a refused statement becomes a request for the profile's execute action bound to its text, for its sender
 * only. Every answer is checked against its view and the OpenAPI document.
 */
import { beforeAll, expect, it } from 'vitest';
import { findGatewayLogin, openGatewaySession, startSessionRecorder } from '../../src/features/sessions/index.js';
import type { GatewayLogin } from '../../src/features/sessions/index.js';
import {
  sessionDetailSchema,
  sessionViewSchema,
  type SessionDetailView,
  type SessionView,
} from '../../src/features/sessions/session.view.js';
import { activationViewSchema, requestViewSchema } from '../../src/features/requests/request.view.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEachDialect } from '../store/dialects.js';
import { gatewayAppOptions } from '../features/sessions/gateway-fixtures.js';
import { createHttpTestApp, type HttpTestApp } from './http-fixtures.js';
import { viewContract, type ViewContract } from './view-contract.js';

const REFUSED = "delete from merchants where id = 42 -- 'ann@example.com'";

describeEachDialect('gateway sessions over HTTP', (ctx) => {
  let t: HttpTestApp;
  let contract: ViewContract;
  let sessionId = '';
  let refusalId = '';
  let password = '';
  const tokens = new Map<string, string>();
  async function call(identity: string, method: 'GET' | 'POST', url: string, payload?: unknown) {
    let token = tokens.get(identity);
    if (token === undefined) {
      token = await t.tokenFor(identity);
      tokens.set(identity, token);
    }
    return t.call(method, url, token, payload);
  }

  beforeAll(async () => {
    const { provider, options } = gatewayAppOptions();
    t = await createHttpTestApp(ctx, options);
    contract = await viewContract(t);
    const created = await call('gus', 'POST', '/v1/requests', {
      resource: 'payments-db',
      action: 'query',
      duration: '30m',
    });
    expect(created.statusCode).toBe(201);
    const id = created.json<{ id: string }>().id;
    const activated = await call('gus', 'POST', `/v1/requests/${id}/activate`);
    expect(activated.statusCode).toBe(200);
    const answer = contract.expectAnswer(
      'POST /v1/requests/{id}/activate',
      200,
      activated.json<Record<string, unknown>>(),
      activationViewSchema,
    );
    expect(answer['credential']).toBeUndefined();
    expect(answer['gateway']).toMatchObject({ user: 'gus', database: 'payments-db' });
    password = provider.passwords.at(-1) ?? '';
    expect(activated.body).not.toContain(password);

    const login = (await findGatewayLogin(t.app, { user: 'gus', database: 'payments-db' })) as GatewayLogin;
    const opened = await openGatewaySession(t.app, login, {
      gatewayId: 'gw-http',
      clientAddress: '127.0.0.1:1',
      tls: true,
      method: 'scram',
      applicationName: 'psql',
    });
    sessionId = opened.sessionId;
    const recorder = await startSessionRecorder(t.app, {
      gatewayId: 'gw-http',
      journalDir: join(mkdtempSync(join(tmpdir(), 'countersign-gw-http-')), 'journal'),
    });
    const facts = (kind: string, command: string) => [{ kind, command, tables: ['merchants'], fingerprint: kind }];
    recorder.statement(sessionId, {
      seq: 1,
      sql: 'select * from merchants',
      facts: facts('select', 'SELECT'),
      decision: { allowed: true, rule: 'reads', builtIn: false, message: 'allowed' },
      at: t.clock.now(),
    });
    recorder.outcome(sessionId, 1, { commandTag: 'SELECT 2', rows: 2, bytes: 64, durationMs: 0.8 });
    refusalId =
      recorder.statement(sessionId, {
        seq: 2,
        sql: REFUSED,
        facts: facts('delete', 'DELETE'),
        decision: { allowed: false, rule: 'no-writes', builtIn: false, message: 'writes need the change action' },
        at: t.clock.now(),
      }).refusalId ?? '';
    await recorder.stop();
  });

  it('lists a session to its identity and to auditors, not to another payments engineer', async () => {
    const own = await call('gus', 'GET', '/v1/sessions');
    expect(own.statusCode).toBe(200);
    const body = contract.expectAnswer(
      'GET /v1/sessions',
      200,
      own.json<{ sessions: SessionView[] }>(),
      sessionViewSchema,
      (b) => b.sessions,
    );
    expect(body.sessions.map((s) => s.id)).toEqual([sessionId]);
    expect(body.sessions[0]).toMatchObject({ statements: 2, refused: 1, status: 'open', applicationName: 'psql' });
    const other = await call('hana', 'GET', '/v1/sessions');
    expect(other.json<{ sessions: SessionView[] }>().sessions).toEqual([]);
    expect((await call('hana', 'GET', '/v1/sessions?identity=gus')).statusCode).toBe(403);
    expect((await call('hana', 'GET', `/v1/sessions/${sessionId}`)).statusCode).toBe(404);
    const audited = await call('carol', 'GET', `/v1/sessions?identity=gus&resource=payments-db`);
    expect(audited.json<{ sessions: SessionView[] }>().sessions.map((s) => s.id)).toContain(sessionId);
  });

  it('shows the statements in order, their text only opened for an audit holder, and the opening audited', async () => {
    const shown = await call('gus', 'GET', `/v1/sessions/${sessionId}`);
    const detail = contract.expectAnswer(
      'GET /v1/sessions/{id}',
      200,
      shown.json<SessionDetailView>(),
      sessionDetailSchema,
    );
    expect(detail.statements.map((s) => [s.seq, s.allowed, s.rule, s.rows])).toEqual([
      [1, true, 'reads', 2],
      [2, false, 'no-writes', null],
    ]);
    expect(shown.body).not.toContain('ann@example.com');
    expect((await call('gus', 'GET', `/v1/sessions/${sessionId}?open=true`)).statusCode).toBe(403);
    const opened = await call('carol', 'GET', `/v1/sessions/${sessionId}?open=true`);
    expect(opened.statusCode).toBe(200);
    const openedDetail = contract.expectAnswer(
      'GET /v1/sessions/{id}',
      200,
      opened.json<SessionDetailView>(),
      sessionDetailSchema,
    );
    expect(openedDetail.statements.map((s) => s.text)).toEqual(['select * from merchants', REFUSED]);
    const events = await t.auditEvents();
    expect(events.filter((e) => e.action === 'audit.opened' && e.subject === `session:${sessionId}`)).toHaveLength(1);
  });

  it('turns a refusal into an execute request bound to the refused text, for its sender only', async () => {
    expect((await call('hana', 'POST', `/v1/refusals/${refusalId}/request`, {})).statusCode).toBe(404);
    const created = await call('gus', 'POST', `/v1/refusals/${refusalId}/request`, {
      justification: 'fix merchant 42',
    });
    expect(created.statusCode).toBe(201);
    const request = contract.expectAnswer(
      'POST /v1/refusals/{id}/request',
      201,
      created.json<Record<string, unknown>>(),
      requestViewSchema,
    );
    expect(request).toMatchObject({ action: 'change', resource: 'payments-db', status: 'pending' });
    expect(request['params']).toEqual({ sql: REFUSED });
    const events = await t.auditEvents();
    expect(events.find((e) => e.action === 'gateway.refusal_request')?.details).toMatchObject({ refusalId, sessionId });
  });

  it('no answer, event or table holds the provider password of the gateway grant', async () => {
    const events = await t.auditEvents();
    expect(JSON.stringify(events)).not.toContain(password);
    for (const table of ['gateway_credentials', 'gateway_sessions', 'gateway_statements', 'grants'] as const) {
      const rows = await ctx.database.db.selectFrom(table).selectAll().execute();
      expect(JSON.stringify(rows)).not.toContain(password);
    }
  });
});
