/** `countersign deliveries list|retry` over a real listening server: failed deliveries stay visible and can be retried. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedFailedAndDeliveredDeliveries } from '../store/factories.js';
import { clientRunner, startClientServer, type ClientServer } from './client-harness.js';

describe('the client CLI over a real listening server: notification deliveries', () => {
  let server: ClientServer;
  let as: ReturnType<typeof clientRunner>;

  // Each test has a server of its own with one failed and one delivered delivery: a retry in one test does not
  // change what another sees.
  beforeEach(async () => {
    server = await startClientServer();
    as = clientRunner(() => server);
    const at = server.t.clock.now() - 60_000;
    await seedFailedAndDeliveredDeliveries(server.t.app.database.db, at);
  });
  afterEach(async () => {
    await server.close();
  });

  it('deliveries list --status failed shows the failed delivery with its last error', async () => {
    const run = await as('peggy', ['deliveries', 'list', '--status', 'failed']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ID\s+STATUS\s+EVENT\s+NOTIFIER\s+ATTEMPTS/);
    expect(run.stdout).toMatch(
      /dlv_failed\s+failed \(urgent\)\s+break_glass\.used\s+security-webhook\s+8\s+.*HTTP 502 from the receiver/,
    );
    expect(run.stdout).not.toContain('dlv_done');
    const json = await as('peggy', ['deliveries', 'list', '--limit', '10', '--json']);
    const { deliveries } = JSON.parse(json.stdout) as { deliveries: { id: string; status: string }[] };
    expect(deliveries.map((d) => [d.id, d.status]).sort()).toEqual([
      ['dlv_done', 'delivered'],
      ['dlv_failed', 'failed'],
    ]);
  });

  it('deliveries retry puts a failed delivery back in the queue, audited', async () => {
    const run = await as('peggy', ['deliveries', 'retry', 'dlv_failed']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("delivery dlv_failed (break_glass.used to 'security-webhook') is pending again");
    const failed = await as('peggy', ['deliveries', 'list', '--status', 'failed']);
    expect(failed.stdout.trim()).toBe('no failed deliveries');
    const events = (await server.t.auditEvents()).filter((e) => e.action === 'notification.retry');
    expect(events).toEqual([expect.objectContaining({ actor: 'peggy', subject: 'delivery:dlv_failed' })]);
  });

  it('retrying a delivery that has not failed exits 1 with a clear message', async () => {
    const run = await as('peggy', ['deliveries', 'retry', 'dlv_done']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim()).toBe("error: delivery 'dlv_done' is delivered, not failed");
    const missing = await as('peggy', ['deliveries', 'retry', 'dlv_nope']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("delivery 'dlv_nope' does not exist");
  });

  it('an identity without administer is refused with exit 1; a bad --status is a usage error', async () => {
    const refused = await as('alice', ['deliveries', 'list']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^error: .*administer/);
    const usage = await as('peggy', ['deliveries', 'list', '--status', 'lost']);
    expect(usage.code).toBe(2);
  });
});
