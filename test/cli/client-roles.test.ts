import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clientRunner, postAs, startClientServer, type ClientServer } from './client-harness.js';
import type { CliRun } from './run-cli.js';

/** Each step spawns the CLI once; a loaded machine may need more than the default 30 s for it. */
const SPAWN_TIMEOUT = 90_000;

describe('the client CLI over a real listening server: activating an eligible role', () => {
  let server: ClientServer;
  let as: (identity: string, args: readonly string[]) => Promise<CliRun>;

  // Each test has a server of its own, so none relies on another having run first.
  beforeEach(async () => {
    server = await startClientServer();
    as = clientRunner(() => server);
  });
  afterEach(async () => {
    await server.close();
  });

  /** erin's pending activation of the eligible dba-admin role, asked for through the API. */
  async function pendingActivation(): Promise<string> {
    const body = { role: 'dba-admin', duration: '1h', justification: 'INC-7' };
    return (await postAs<{ id: string }>(server, 'erin', '/v1/role-activations', body)).id;
  }

  it(
    'role activate asks for the eligible role by name and waits for an approval of that role',
    async () => {
      const args = ['role', 'activate', 'dba-admin', '--duration', '1h', '--justification', 'INC-7', '--json'];
      const asked = await as('erin', args);
      expect(asked.stderr).toBe('');
      const view = JSON.parse(asked.stdout) as { id: string; status: string; rule: string };
      expect(view).toMatchObject({ status: 'pending', rule: 'another-dba-or-security' });
    },
    SPAWN_TIMEOUT,
  );

  it(
    'the requester may not approve her own role activation (exit 1)',
    async () => {
      const id = await pendingActivation();
      const self = await as('erin', ['role', 'approve', id]);
      expect(self.code).toBe(1);
      expect(self.stderr).toContain(`'erin' requested role activation '${id}' and may not decide it`);
    },
    SPAWN_TIMEOUT,
  );

  it(
    'another DBA approves it and the role is active; role activations lists it',
    async () => {
      const id = await pendingActivation();
      const approved = await as('frank', ['role', 'approve', id]);
      expect(approved.code).toBe(0);
      expect(approved.stdout).toContain(`role activation ${id} of role 'dba-admin' for 'erin' is active until`);
      const listed = await as('erin', ['role', 'activations', '--status', 'active']);
      expect(listed.stdout).toMatch(new RegExp(`${id}\\s+dba-admin\\s+erin\\s+active`));
    },
    2 * SPAWN_TIMEOUT,
  );
});
