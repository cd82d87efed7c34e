/**
 * The gateway's liveness settings on the built CLI: a lease shorter than two heartbeats, or a scheduler grace
 * shorter than the lease, is a configuration error (exit 2) that names the flags, and nothing is started — not
 * even the database file is created.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'countersign-liveness-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the gateway liveness settings on the command line', () => {
  it('countersign gateway refuses a lease shorter than twice the heartbeat, with exit 2, before opening the database', async () => {
    const db = join(dir, 'gateway.db');
    const run = await runCli([
      'gateway',
      '--db',
      db,
      '--listen',
      '127.0.0.1:0',
      '--heartbeat',
      '10s',
      '--lease',
      '15s',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--lease (15s) must be at least twice --heartbeat (10s)');
    expect(run.stdout).toBe('');
    expect(existsSync(db)).toBe(false);
  });

  it('countersign gateway reads the lease from the environment and refuses a malformed one', async () => {
    const db = join(dir, 'gateway-env.db');
    const run = await runCli(['gateway', '--db', db, '--listen', '127.0.0.1:0'], {
      COUNTERSIGN_GATEWAY_LEASE: '5000',
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--lease (or COUNTERSIGN_GATEWAY_LEASE): '5000' is not a duration from 2s to 1h");
    expect(existsSync(db)).toBe(false);
  });

  it('serve refuses a lease shorter than twice the heartbeat and a grace shorter than the lease, with exit 2, starting nothing', async () => {
    const db = join(dir, 'serve.db');
    const run = await runCli(
      ['serve', '--db', db, '--port', '0', '--gateway-heartbeat', '10s', '--gateway-abandon-grace', '10s'],
      { COUNTERSIGN_GATEWAY_LEASE: '15s' },
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--gateway-lease (15s) must be at least twice --gateway-heartbeat (10s)');
    expect(run.stderr).toContain('--gateway-abandon-grace (10s) must be at least --gateway-lease (15s)');
    expect(run.stderr).not.toContain('listening');
    expect(existsSync(db)).toBe(false);
  });
});
