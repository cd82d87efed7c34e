/**
 * Monitoring as shipped (issue 13, part 5): the Prometheus rules pass `promtool check rules` and their own
 * `promtool test rules`, and every metric the rules and the Grafana dashboard name is exported by a running
 * `countersign serve` (with the gateway). The server runs here with an audit stream to a syslog listener on
 * loopback, so the wiring is checked end to end too: events are delivered in order and the lag gauges carry the
 * sink's name.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseServeConfig } from '../../src/server/serve-config.js';
import { startCountersign, type RunningServer } from '../../src/server/start.js';
import { SyslogReceiver } from '../features/audit-stream/syslog-receiver.js';
import { oneTo, seqsOf, verifyLines } from '../features/audit-stream/stream-fixtures.js';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');
const ALERTS = join(ROOT, 'deploy', 'prometheus', 'alerts.yml');
const ALERT_TESTS = join(ROOT, 'deploy', 'prometheus', 'alerts.test.yml');
const DASHBOARD = join(ROOT, 'deploy', 'grafana', 'countersign.json');
const PROMTOOL = ['/usr/bin/promtool', '/usr/local/bin/promtool'].find((path) => existsSync(path));
const METRICS_TOKEN = 'scrape-secret-for-the-monitoring-test';

/** The metric names a rules or dashboard file uses (a histogram's series named by the histogram). */
function metricsNamedIn(text: string): Set<string> {
  return new Set(
    [...text.matchAll(/\bcountersign_[a-z0-9_]+/g)].map(([name]) => name.replace(/_(bucket|sum|count)$/, '')),
  );
}

describe('the shipped Prometheus rules', () => {
  // CI installs Debian's `prometheus` package, which brings promtool (.ci/run); elsewhere it may be missing.
  it.runIf(PROMTOOL !== undefined || process.env.CI === 'true')(
    'pass promtool check rules and their rule tests',
    async () => {
      const check = await run(PROMTOOL ?? 'promtool', ['check', 'rules', ALERTS]);
      expect(check.stdout).toMatch(/SUCCESS: 9 rules found/);
      const tests = await run(PROMTOOL ?? 'promtool', ['test', 'rules', ALERT_TESTS]);
      expect(tests.stdout).toMatch(/SUCCESS/);
    },
  );
});

describe('a running server', () => {
  let dir: string;
  let server: RunningServer;
  const receiver = new SyslogReceiver();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'countersign-monitoring-'));
    await receiver.start();
    const config = parseServeConfig(
      {
        db: join(dir, 'cs.db'),
        port: '0',
        dryRun: 'true',
        auditStream: `sys=syslog+tcp://127.0.0.1:${receiver.port}`,
        // The gateway's instruments join the server's /metrics when it runs the gateway.
        gatewayListen: '127.0.0.1:0',
      },
      { COUNTERSIGN_METRICS_TOKEN: METRICS_TOKEN },
    );
    server = await startCountersign(config, { logger: pino({ level: 'silent' }) });
  });
  afterAll(async () => {
    await server?.close();
    await receiver.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function scrape(): Promise<string> {
    const response = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(response.status).toBe(200);
    return response.text();
  }

  it('streams its audit log to the configured sink, in order, from seq 1', async () => {
    const head = await server.app.database.db
      .selectFrom('audit_events')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .executeTakeFirstOrThrow();
    const headSeq = Number(head.seq);
    expect(headSeq).toBeGreaterThan(0);
    await receiver.waitFor(headSeq);
    expect(seqsOf(receiver.messages).slice(0, headSeq)).toEqual(oneTo(headSeq));
    expect(await verifyLines(receiver.messages)).toMatchObject({ ok: true });
  });

  it('exports every metric the alerts and the Grafana dashboard name, with the lag of each sink', async () => {
    // The lag gauges are fed every few seconds: wait for the first sample of the sink's.
    let text = await scrape();
    for (let wait = 0; wait < 100 && !/countersign_audit_stream_lag_events\{sink="sys"\}/.test(text); wait += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      text = await scrape();
    }
    const exported = new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map(([, name]) => name));
    const named = new Set([
      ...metricsNamedIn(readFileSync(ALERTS, 'utf8')),
      ...metricsNamedIn(readFileSync(DASHBOARD, 'utf8')),
    ]);
    expect(named.size).toBeGreaterThan(10);
    expect([...named].filter((name) => !exported.has(name))).toEqual([]);
    expect(text).toMatch(/countersign_audit_stream_lag_events\{sink="sys"\} \d+/);
    expect(text).toMatch(/countersign_audit_stream_lag_seconds\{sink="sys"\} [\d.]+/);
    expect(text).toMatch(/^countersign_audit_append_failures_total 0$/m);
  });

  it('refuses to start when a sink names a secret variable that is not set, naming the variable only', async () => {
    const config = parseServeConfig(
      {
        db: join(dir, 'other.db'),
        port: '0',
        dryRun: 'true',
        auditStream: 'splunk=hec+https://splunk.example?tokenEnv=HEC_TOKEN_UNSET',
      },
      {},
    );
    await expect(startCountersign(config, { logger: pino({ level: 'silent' }) })).rejects.toMatchObject({
      code: 'invalid',
      message: expect.stringContaining("audit stream 'splunk': the environment variable HEC_TOKEN_UNSET is not set"),
    });
  });

  it('lists every problem of a bad stream configuration at start', () => {
    expect(() => parseServeConfig({ auditStream: 'a=nats://h b=ftp://h' }, {})).toThrow(
      /auditStream \(--audit-stream or COUNTERSIGN_AUDIT_STREAMS\): sink 'a': 'subject' is required[\s\S]*unknown scheme 'ftp:'/,
    );
  });
});
