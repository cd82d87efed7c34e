/**
 * `countersign changes list|show|approve|reject` over a real listening server: a role assignment proposed by one
 * administrator is listed as pending, refused to its author, approved by a second administrator, and applied.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { proposeRoleAssignment } from '../../src/features/access/assignments.verbs.js';
import { clientRunner, startClientServer, type ClientServer } from './client-harness.js';

// Four runs of the CLI, each a process of its own on a busy machine.

describe('the client CLI over a real listening server: administrative changes', () => {
  let server: ClientServer;
  const as = clientRunner(() => server);

  beforeAll(async () => {
    server = await startClientServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('changes list shows a pending assignment; its author cannot approve it; a second administrator applies it', async () => {
    const change = await proposeRoleAssignment({
      app: server.t.app,
      actor: 'victor',
      input: { role: 'sre', subject: { type: 'identity', name: 'carol' } },
    });
    const listed = await as('peggy', ['changes', 'list', '--status', 'pending']);
    expect(listed.stderr).toBe('');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^ID\s+STATUS\s+AUTHOR\s+CREATED\s+EXPIRES\s+CHANGE/);
    expect(listed.stdout).toContain(`${change.id}  pending`);
    expect(listed.stdout).toContain("assign role 'sre' to identity:carol (standing)");

    const own = await as('victor', ['changes', 'approve', change.id]);
    expect(own.code).toBe(1);
    expect(own.stderr).toContain("'victor' proposed assigning role 'sre' to identity 'carol' and may not approve it");

    const shown = await as('olivia', ['changes', 'show', change.id, '--json']);
    expect(JSON.parse(shown.stdout)).toMatchObject({ id: change.id, status: 'pending', digest: change.digest });

    const approved = await as('peggy', ['changes', 'approve', change.id, '--digest', change.digest]);
    expect(approved.stderr).toBe('');
    expect(approved.code).toBe(0);
    expect(approved.stdout).toContain(`administrative change ${change.id} is applied by peggy`);
    const assignments = await server.t.app.database.db
      .selectFrom('role_assignments')
      .select(['role', 'created_by'])
      .where('subject_name', '=', 'carol')
      .where('source', '=', 'api')
      .execute();
    expect(assignments).toEqual([{ role: 'sre', created_by: 'victor' }]);
  }, 120_000);

  it('changes reject by its author withdraws the change', async () => {
    const change = await proposeRoleAssignment({
      app: server.t.app,
      actor: 'victor',
      input: { role: 'sre', subject: { type: 'identity', name: 'dan' } },
    });
    const run = await as('victor', ['changes', 'reject', change.id, '--reason', 'wrong person', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'cancelled', decidedBy: 'victor', reason: 'wrong person' });
  });
});
