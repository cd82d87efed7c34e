/**
 * A gateway SIGKILLed with statements journaled but not shipped loses none of them (issue 14): a real child
 * process journals them and is killed; the next recorder started on the same journal directory ships every one
 * exactly once, with its outcome, and closes the dead gateway's session as `abnormal`. The journal on the
 * gateway's disk holds the statements sealed under the gateway key, never their text.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import {
  findGatewayLogin,
  openGatewaySession,
  startSessionRecorder,
  type GatewayLogin,
} from '../../../src/features/sessions/index.js';
import { describeEachDialect } from '../../store/dialects.js';
import { activeGatewayGrant, createGatewayApp } from './gateway-fixtures.js';

const WORKER = resolve('test/features/sessions/fixtures/recorder-worker.ts');
const COUNT = 250;
const scratch = mkdtempSync(join(tmpdir(), 'countersign-recorder-crash-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function journaled(child: ChildProcess): Promise<void> {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((done, fail) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes(`journaled ${COUNT}`)) done();
    });
    child.once('exit', (code) => fail(new Error(`the worker exited (${code}) before journaling: ${stderr}`)));
  });
}

describeEachDialect('a gateway killed mid-session', (ctx) => {
  it('loses nothing it journaled: the next recorder ships every statement once and ends the session abnormal', async () => {
    const { app, credentialKey } = await createGatewayApp(ctx);
    await activeGatewayGrant(app, 'omar');
    const login = (await findGatewayLogin(app, { user: 'omar', database: 'payments-db' })) as GatewayLogin;
    const { sessionId } = await openGatewaySession(app, login, {
      gatewayId: 'gw-killed',
      clientAddress: '127.0.0.1:3',
      tls: true,
      method: 'scram',
    });
    const dir = join(scratch, ctx.dialect);
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', WORKER, ctx.url, dir, sessionId, String(COUNT), credentialKey.toString('hex')],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    await journaled(child);
    child.kill('SIGKILL');
    await new Promise((done) => child.once('exit', done));
    const before = await ctx.database.db
      .selectFrom('gateway_statements')
      .select('seq')
      .where('session_id', '=', sessionId)
      .execute();
    expect(before).toEqual([]);
    // What the dead gateway left on its disk holds the statements sealed, never their text.
    const left = readdirSync(dir)
      .filter((name) => name.endsWith('.jsonl'))
      .map((name) => readFileSync(join(dir, name), 'utf8'))
      .join('');
    expect(left.split('\n').filter((line) => line.includes('"t":"s"'))).toHaveLength(COUNT);
    expect(left).not.toContain('secret-');

    const next = await startSessionRecorder(app, { gatewayId: 'gw-after', journalDir: dir });
    await next.stop();
    const rows = await ctx.database.db
      .selectFrom('gateway_statements')
      .select(['seq', 'allowed', 'rows'])
      .where('session_id', '=', sessionId)
      .orderBy('seq')
      .execute();
    expect(rows.map((row) => row.seq)).toEqual(Array.from({ length: COUNT }, (_, i) => i + 1));
    expect(rows.every((row) => row.rows === 1)).toBe(true);
    expect(rows.filter((row) => row.allowed === 0)).toHaveLength(COUNT / 10);
    const session = await ctx.database.db
      .selectFrom('gateway_sessions')
      .select('end_reason')
      .where('id', '=', sessionId)
      .executeTakeFirstOrThrow();
    expect(session.end_reason).toBe('abnormal');
    const events = await ctx.database.db
      .selectFrom('audit_events')
      .select('seq')
      .where('subject', '=', `session:${sessionId}`)
      .where('action', 'in', ['gateway.statement', 'gateway.statement_refused'])
      .execute();
    expect(events).toHaveLength(COUNT);
    expect(readdirSync(dir).filter((name) => name.endsWith('.jsonl'))).toEqual([]);
  });
});
