/**
 * The gateway's Prometheus instruments, through Countersign's own wiring and the real PostgreSQL: a session opened
 * and ended, statements allowed, refused by a rule and refused by a built-in rule, a wrong password, and the records
 * waiting for the database — as `serve` exposes them on its `/metrics` (the registry handed to `startGateway`).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.js';
import { startGateway, type RunningGateway } from '../../src/server/gateway-runner.js';
import { createTestApp } from '../app/harness.js';
import { everyType } from '../app/requests-fixtures.js';
import { gatewayCondition } from '../factories/profile.factory.js';
import {
  activeGatewayGrant,
  connectThroughGateway,
  gatewayAppOptions,
  outcomeOf,
} from '../features/sessions/gateway-fixtures.js';
import { RealRoleProvider } from './real-role-provider.js';
import { describeEachDialect } from '../store/dialects.js';

/** The value of one sample of the registry's text exposition, or undefined when it is not there. */
function sample(text: string, name: string, labels = ''): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ''} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describeEachDialect('gateway metrics', (ctx) => {
  const provider = new RealRoleProvider();
  const registry = new Registry();
  let app: AppContext;
  let gateway: RunningGateway;

  beforeAll(async () => {
    const { options } = gatewayAppOptions({
      rules: [
        { name: 'no-deletes', when: gatewayCondition('statement.kind == "delete"'), deny: 'deletes need approval' },
      ],
      otherwise: 'allow',
      masks: [],
    });
    app = (await createTestApp(ctx, { ...options, providers: everyType(provider) })).app;
    gateway = await startGateway(app, pino({ level: 'silent' }), {
      listen: '127.0.0.1:0',
      journalDir: mkdtempSync(join(tmpdir(), 'gateway-journal-')),
      metrics: registry,
    });
  });
  afterAll(async () => {
    await gateway?.stop();
    await provider.dropRoles();
  });

  it('counts sessions, statements by decision and refused logins, and shows the records waiting', async () => {
    const activation = await activeGatewayGrant(app, 'gus');
    const client = await connectThroughGateway(gateway.port, activation);
    let text = await registry.metrics();
    expect(sample(text, 'countersign_gateway_sessions_open')).toBe(1);
    expect(sample(text, 'countersign_gateway_sessions_opened_total')).toBe(1);

    expect(await outcomeOf(client, 'select 1 as one')).toEqual({ rows: [{ one: 1 }] });
    expect(await outcomeOf(client, 'delete from pg_class')).toMatchObject({ code: '42501' });
    expect(await outcomeOf(client, 'set role postgres')).toMatchObject({ code: '42501' });
    await client.end();

    const wrong = new pg.Client({
      host: '127.0.0.1',
      port: gateway.port,
      user: activation.gateway!.user,
      database: activation.gateway!.database,
      password: 'not-the-secret',
    });
    await expect(wrong.connect()).rejects.toMatchObject({ code: '28P01' });

    await expect
      .poll(async () => sample(await registry.metrics(), 'countersign_gateway_sessions_open'), { timeout: 5000 })
      .toBe(0);
    text = await registry.metrics();
    expect(sample(text, 'countersign_gateway_sessions_ended_total', 'reason="client"')).toBe(1);
    expect(sample(text, 'countersign_gateway_statements_total', 'decision="allowed"')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'countersign_gateway_statements_total', 'decision="refused"')).toBe(1);
    expect(sample(text, 'countersign_gateway_statements_total', 'decision="refused_builtin"')).toBe(1);
    expect(sample(text, 'countersign_gateway_logins_refused_total', 'reason="authentication"')).toBe(1);
    expect(sample(text, 'countersign_gateway_record_failures_total')).toBeUndefined();
    // Shipped within the recorder's 100 ms interval: nothing waits for long.
    await expect
      .poll(async () => sample(await registry.metrics(), 'countersign_gateway_unshipped_records'), { timeout: 5000 })
      .toBe(0);
    expect(sample(text, 'countersign_gateway_parse_queue', 'state="waiting"')).toBe(0);
    // No label names a user, a resource or a statement.
    expect(text).not.toContain('gus');
    expect(text).not.toContain('pg_class');
  });
});
