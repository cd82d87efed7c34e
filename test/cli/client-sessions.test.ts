/**
 * `countersign sessions list|show|replay` and `request create --from-refusal` through the built CLI against a
 * real listening server (issue 14): a gateway-only grant, a channel-bound session the recorder wrote (allowed
 * statements, one refused, one the server failed), the transcript with the text and the error message for an
 * audit holder only, and a refusal turned into a request.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findGatewayLogin, openGatewaySession, startSessionRecorder } from '../../src/features/sessions/index.js';
import type { GatewayLogin } from '../../src/features/sessions/index.js';
import { openDatabase, type Database } from '../../src/store/database.js';
import { gatewayAppOptions } from '../features/sessions/gateway-fixtures.js';
import { createHttpTestApp, type HttpTestApp } from '../http/http-fixtures.js';
import type { DialectContext } from '../store/dialects.js';
import { runClient } from './client-harness.js';

const REFUSED = 'delete from merchants\nwhere id = 42';
const DUPLICATE = 'duplicate key value violates unique constraint "merchants_email_key"';

describe('the sessions CLI over a real listening server', () => {
  const directory = mkdtempSync(join(tmpdir(), 'countersign-sessions-cli-'));
  let database: Database;
  let t: HttpTestApp;
  let url = '';
  let sessionId = '';
  let refusalId = '';
  const tokens = new Map<string, string>();
  async function cli(identity: string, args: readonly string[]) {
    let token = tokens.get(identity);
    if (token === undefined) {
      token = await t.tokenFor(identity);
      tokens.set(identity, token);
    }
    return runClient(args, { server: url, token });
  }

  beforeAll(async () => {
    database = await openDatabase(join(directory, 'countersign.db'));
    const ctx: DialectContext = {
      dialect: 'sqlite',
      url: join(directory, 'countersign.db'),
      database,
      open: () => openDatabase(join(directory, 'countersign.db')),
    };
    t = await createHttpTestApp(ctx, gatewayAppOptions().options);
    await t.http.listen({ host: '127.0.0.1', port: 0 });
    url = `http://127.0.0.1:${(t.http.server.address() as AddressInfo).port}`;
    const token = await t.tokenFor('gus');
    const created = await t.call('POST', '/v1/requests', token, {
      resource: 'payments-db',
      action: 'query',
      duration: '30m',
    });
    await t.call('POST', `/v1/requests/${created.json<{ id: string }>().id}/activate`, token);
    const login = (await findGatewayLogin(t.app, { user: 'gus', database: 'payments-db' })) as GatewayLogin;
    sessionId = (
      await openGatewaySession(t.app, login, {
        gatewayId: 'gw-cli',
        clientAddress: '127.0.0.1:7',
        tls: true,
        method: 'scram',
        channelBound: true,
        applicationName: 'psql',
      })
    ).sessionId;
    const recorder = await startSessionRecorder(t.app, { gatewayId: 'gw-cli', journalDir: join(directory, 'journal') });
    const at = t.clock.now();
    recorder.statement(sessionId, {
      seq: 1,
      sql: 'select count(*) from merchants',
      facts: [{ kind: 'select', command: 'SELECT', tables: ['merchants'], fingerprint: 'a' }],
      decision: { allowed: true, rule: 'reads', builtIn: false, message: 'allowed' },
      at,
    });
    recorder.outcome(sessionId, 1, { commandTag: 'SELECT 1', rows: 1, bytes: 9, durationMs: 0.4 });
    refusalId =
      recorder.statement(sessionId, {
        seq: 2,
        sql: REFUSED,
        facts: [{ kind: 'delete', command: 'DELETE', tables: ['merchants'], fingerprint: 'b' }],
        decision: { allowed: false, rule: 'no-writes', builtIn: false, message: 'writes need the change action' },
        at: at + 1500,
      }).refusalId ?? '';
    // One portal executed twice: the second Execute's record points at the first's parameters.
    for (const seq of [3, 4]) {
      recorder.statement(sessionId, {
        seq,
        sql: 'select name from merchants where id = $1',
        ...(seq === 3 ? { params: ['7'] } : { paramsOf: 3 }),
        facts: [{ kind: 'select', command: 'SELECT', tables: ['merchants'], fingerprint: 'c' }],
        decision: { allowed: true, rule: 'reads', builtIn: false, message: 'allowed' },
        at: at + 1600 + seq,
      });
    }
    // A statement the server failed, its message quoting a value.
    recorder.statement(sessionId, {
      seq: 5,
      sql: "insert into merchants (email) values ('ann@example.com')",
      facts: [{ kind: 'insert', command: 'INSERT', tables: ['merchants'], fingerprint: 'd' }],
      decision: { allowed: true, rule: 'writes', builtIn: false, message: 'allowed' },
      at: at + 1700,
    });
    recorder.outcome(sessionId, 5, {
      rows: 0,
      bytes: 0,
      durationMs: 0.7,
      error: { code: '23505', message: DUPLICATE, detail: 'Key (email)=(ann@example.com) already exists.' },
    });
    recorder.close(sessionId, { reason: 'client', at: at + 2000 });
    await recorder.stop();
  });

  afterAll(async () => {
    await t.http.close();
    await database.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('lists and shows the session to its identity, with decisions and outcomes', async () => {
    const list = await cli('gus', ['sessions', 'list']);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toContain(sessionId);
    const json = await cli('gus', ['sessions', 'list', '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({
      sessions: [{ id: sessionId, statements: 5, refused: 1, channelBound: true }],
    });
    const show = await cli('gus', ['sessions', 'show', sessionId]);
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toContain('[psql, tls, scram-sha-256-plus (channel-bound)]');
    expect(show.stdout).toContain('REFUSED by rule no-writes');
    expect(show.stdout).toContain(`refusal ${refusalId}`);
    expect(show.stdout).toContain('error 23505');
    expect(show.stdout).not.toContain('delete from merchants');
    expect(show.stdout).not.toContain('ann@example.com');
    expect(show.stdout).not.toContain('violates unique constraint');
    const other = await cli('hana', ['sessions', 'show', sessionId]);
    expect(other.code).not.toBe(0);
  });

  it('replays the session as a transcript, with its text for an audit holder only', async () => {
    const sealed = await cli('gus', ['sessions', 'replay', sessionId]);
    expect(sealed.code, sealed.stderr).toBe(0);
    expect(sealed.stdout).toContain('--open shows it to audit holders');
    expect((await cli('gus', ['sessions', 'replay', sessionId, '--open'])).code).not.toBe(0);
    const replay = await cli('carol', ['sessions', 'replay', sessionId, '--open']);
    expect(replay.code, replay.stderr).toBe(0);
    const lines = replay.stdout.split('\n');
    expect(lines).toContain('select count(*) from merchants;');
    expect(lines).toContain('delete from merchants');
    expect(lines).toContain('where id = 42;');
    expect(replay.stdout).toContain('[+1.500s] #2 DELETE: REFUSED by rule no-writes');
    expect(lines).toContain('-- parameters: ["7"]');
    expect(lines).toContain('-- parameters: those of #3 (its portal executed again)');
    expect(lines).toContain(`-- error 23505: ${DUPLICATE}`);
    expect(lines).toContain('-- detail: Key (email)=(ann@example.com) already exists.');
    const opened = await cli('carol', ['sessions', 'show', sessionId, '--open']);
    expect(opened.code, opened.stderr).toBe(0);
    expect(opened.stdout).toContain(`error 23505: ${DUPLICATE}; detail: Key (email)=(ann@example.com) already exists.`);
    expect(replay.stdout).toContain('closed: client');
  });

  it('request create --from-refusal asks for the execute action bound to the refused statement', async () => {
    const mixed = await cli('gus', ['request', 'create', '--from-refusal', refusalId, '--resource', 'payments-db']);
    expect(mixed.code).not.toBe(0);
    const stranger = await cli('hana', ['request', 'create', '--from-refusal', refusalId]);
    expect(stranger.code).not.toBe(0);
    const created = await cli('gus', ['request', 'create', '--from-refusal', refusalId, '--json']);
    expect(created.code, created.stderr).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({
      action: 'change',
      resource: 'payments-db',
      status: 'pending',
      params: { sql: REFUSED },
    });
  });
});
