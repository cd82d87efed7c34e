/**
 * `countersign gateway --metrics-listen`, as built: the gateway process has no HTTP API, so it serves its
 * Prometheus metrics on a listener of its own, behind the scrape secret `serve` uses (COUNTERSIGN_METRICS_TOKEN),
 * with an open `/healthz`. Without the secret it refuses to start (exit 2) before opening the database.
 */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, spawnBuiltCli, untilPrinted } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'countersign-gateway-metrics-'));
const TOKEN = 'scrape-secret-for-the-gateway-metrics-test';
const children: ChildProcessWithoutNullStreams[] = [];

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** Starts the built CLI and resolves with the first match of `ready` in what it prints. */
function started(args: readonly string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<RegExpExecArray> {
  const child = spawnBuiltCli(args, { ...env, NO_COLOR: '1' });
  children.push(child);
  return untilPrinted(child, ready, 30_000);
}

function stopAll(): Promise<void> {
  return Promise.all(
    children.splice(0).map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        }),
    ),
  ).then(() => undefined);
}

describe('countersign gateway --metrics-listen', () => {
  it('refuses to start without the scrape secret, before opening the database', async () => {
    const db = join(dir, 'no-secret.db');
    const run = await runCli(['gateway', '--db', db, '--listen', '127.0.0.1:0', '--metrics-listen', '127.0.0.1:0'], {
      COUNTERSIGN_METRICS_TOKEN: '',
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--metrics-listen needs the scrape secret in COUNTERSIGN_METRICS_TOKEN');
    expect(existsSync(db)).toBe(false);
  });

  it('serves the gateway metrics behind the scrape secret, and an open health check', async () => {
    const db = join(dir, 'installation.db');
    const env = { ...process.env, COUNTERSIGN_METRICS_TOKEN: TOKEN };
    // The gateway process needs an installation: serve migrates it and loads the policy, then stops.
    await started(['serve', '--db', db, '--port', '0', '--log-level', 'warn'], env, /listening on http/);
    await stopAll();
    const [, url] = await started(
      ['gateway', '--db', db, '--listen', '127.0.0.1:0', '--metrics-listen', '127.0.0.1:0', '--log-level', 'warn'],
      env,
      /metrics:\s+(http:\/\/127\.0\.0\.1:\d+)\/metrics/,
    );
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const anonymous = await fetch(`${url}/metrics`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toBe('application/problem+json');
    expect((await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    const scraped = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(scraped.status).toBe(200);
    const text = await scraped.text();
    expect(text).toContain('countersign_gateway_sessions_open 0');
    expect(text).toContain('countersign_gateway_unshipped_records 0');
    expect(text).toContain('countersign_process_resident_memory_bytes');
    await stopAll();
  });
});
