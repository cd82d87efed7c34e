/** Loading a policy into the store (`syncPolicyToStore`, `loadPolicy`) and rebuilding it at start (`restorePolicy`). */
import { expect, it } from 'vitest';
import { loadPolicy, restorePolicy } from '../../../src/features/governance/policy-sync.js';
import type { PolicySource } from '../../../src/policy/load.js';
import { parsePolicySources } from '../../../src/policy/load.js';
import { readPolicyDirectory } from '../../../src/policy/policy-files.js';
import { describeEachDialect } from '../../store/dialects.js';
import { createTestApp, EXAMPLE_POLICY_DIR } from '../../app/harness.js';

async function exampleSources(): Promise<PolicySource[]> {
  return [...(await readPolicyDirectory(EXAMPLE_POLICY_DIR)).sources];
}

/** The example sources with one profile file edited. */
async function withEditedProfile(edit: (text: string) => string): Promise<PolicySource[]> {
  const sources = await exampleSources();
  return sources.map((source) =>
    source.path.endsWith('processor-console.yaml') ? { path: source.path, text: edit(source.text) } : source,
  );
}

function parsed(sources: readonly PolicySource[]) {
  const result = parsePolicySources(sources);
  if (!result.policy) throw new Error(result.problems.map((p) => p.message).join('\n'));
  return result.policy;
}

describeEachDialect('loading a policy into the store', (ctx) => {
  it('writes identities, memberships, roles, assignments, profiles and resources, and audits the load', async () => {
    const { app, load } = await createTestApp(ctx);
    const db = app.database.db;
    const policy = app.policy.loaded;
    expect(load.counts.identities).toBe(policy.identities.size);
    const identities = await db.selectFrom('identities').select(['name', 'disabled_at']).execute();
    expect(identities.map((row) => row.name)).toEqual(expect.arrayContaining([...policy.identities.keys()]));
    expect(identities.find((row) => row.name === 'mallory')?.disabled_at).not.toBeNull();
    const bob = await db.selectFrom('group_memberships').selectAll().where('identity', '=', 'bob').execute();
    expect(bob.map((row) => row.group_name)).toEqual(['payments']);
    const assignments = await db
      .selectFrom('role_assignments')
      .selectAll()
      .where('source', '=', 'policy')
      .where('removed_at', 'is', null)
      .execute();
    expect(assignments).toHaveLength(policy.assignments.length);
    const versions = await db.selectFrom('profile_versions').select(['profile', 'version']).execute();
    for (const profile of policy.profiles.values()) {
      expect(versions).toContainEqual({ profile: profile.name, version: profile.version });
    }
    const resources = await db.selectFrom('resources').select('name').where('removed_at', 'is', null).execute();
    expect(resources.map((row) => row.name)).toEqual(expect.arrayContaining([...policy.resources.keys()]));
    const [event] = await db.selectFrom('audit_events').selectAll().where('action', '=', 'policy.load').execute();
    expect(event?.actor).toBe('system:policy');
    expect(JSON.parse(event?.details ?? '{}')).toMatchObject({
      policyHash: load.policyHash,
      location: EXAMPLE_POLICY_DIR,
    });
  });

  it('a changed profile gets a new version beside the old one, and the load names old and new version', async () => {
    const { app, clock, auditEvents } = await createTestApp(ctx);
    const before = app.policy.loaded.profiles.get('processor-console');
    const documents = await withEditedProfile((text) =>
      text.replace('classification: confidential', 'classification: restricted'),
    );
    const policy = parsed(documents);
    const after = policy.profiles.get('processor-console');
    expect(after?.version).not.toBe(before?.version);
    clock.advance(1000);
    const summary = await loadPolicy({ app, actor: 'peggy', input: { policy, documents, location: 'edited' } });

    expect(summary.changedProfiles).toEqual([{ name: 'processor-console', from: before?.version, to: after?.version }]);
    expect(app.policy.loaded).toBe(policy);
    const versions = await app.database.db
      .selectFrom('profile_versions')
      .select('version')
      .where('profile', '=', 'processor-console')
      .execute();
    expect(versions.map((row) => row.version)).toEqual(expect.arrayContaining([before?.version, after?.version]));
    const events = await auditEvents();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actor: 'peggy',
      action: 'policy.load',
      details: { changedProfiles: [{ name: 'processor-console', from: before?.version, to: after?.version }] },
    });
  });

  it('reloading the same policy changes no profile and keeps policy assignments in place', async () => {
    const { app, clock } = await createTestApp(ctx);
    const live = () =>
      app.database.db
        .selectFrom('role_assignments')
        .select('id')
        .where('source', '=', 'policy')
        .where('removed_at', 'is', null)
        .orderBy('id')
        .execute();
    const documents = await exampleSources();
    const policy = parsed(documents);
    clock.advance(1000);
    const first = await loadPolicy({ app, actor: 'system:policy', input: { policy, documents } });
    const ids = await live();
    clock.advance(1000);
    const second = await loadPolicy({ app, actor: 'system:policy', input: { policy, documents } });
    expect(second.changedProfiles).toEqual([]);
    expect(second.removedAssignments).toEqual([]);
    expect(second.policyHash).toBe(first.policyHash);
    expect(await live()).toEqual(ids);
  });

  it('a role subject dropped from the policy ends its assignment instead of deleting it', async () => {
    const { app, clock } = await createTestApp(ctx);
    const sources = await exampleSources();
    const documents = sources.map((source) =>
      source.path.endsWith('roles.yaml')
        ? { path: source.path, text: source.text.replace('subjects: [identity:quinn]', 'subjects: []') }
        : source,
    );
    clock.advance(1000);
    const summary = await loadPolicy({ app, actor: 'peggy', input: { policy: parsed(documents), documents } });
    expect(summary.removedAssignments).toEqual(['warehouse-migration/identity:quinn']);
    const rows = await app.database.db
      .selectFrom('role_assignments')
      .select(['removed_at', 'removed_by'])
      .where('role', '=', 'warehouse-migration')
      .where('subject_name', '=', 'quinn')
      .execute();
    expect(rows.some((row) => row.removed_at === clock.now() && row.removed_by === 'peggy')).toBe(true);
  });

  it('an identity disabled in the store stays disabled when the policy is loaded again', async () => {
    const { app, clock } = await createTestApp(ctx);
    await app.database.db
      .updateTable('identities')
      .set({ disabled_at: clock.now(), disabled_by: 'peggy' })
      .where('name', '=', 'ken')
      .execute();
    const documents = await exampleSources();
    clock.advance(1000);
    await loadPolicy({ app, actor: 'system:policy', input: { policy: parsed(documents), documents } });
    const ken = await app.database.db.selectFrom('identities').selectAll().where('name', '=', 'ken').executeTakeFirst();
    expect(ken?.disabled_by).toBe('peggy');
  });

  it('restorePolicy rebuilds the latest loaded policy from its stored documents', async () => {
    const { app, clock } = await createTestApp(ctx);
    const documents = await withEditedProfile((text) =>
      text.replace('classification: confidential', 'classification: internal'),
    );
    const policy = parsed(documents);
    clock.advance(60_000);
    const summary = await loadPolicy({ app, actor: 'system:policy', input: { policy, documents } });
    const restored = await restorePolicy(app.database);
    expect(restored?.loadId).toBe(summary.loadId);
    expect(restored?.policy.profiles.get('processor-console')?.version).toBe(
      policy.profiles.get('processor-console')?.version,
    );
    expect(restored?.documents).toEqual(documents);
  });
});
