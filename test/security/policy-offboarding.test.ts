/**
 * Attack on offboarding through policy files (issue #9 item 8): an identity marked `disabled: true` in YAML —
 * through a change set or a directory load (`serve --policy`) — must lose exactly what
 * `POST /v1/identities/{name}/disable` takes away: active grants (provider credentials included), open requests,
 * API tokens, and its NHIs are flagged, in one audited step. On both dialects.
 */
import { expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.js';
import { disableIdentity } from '../../src/features/access/identities.verbs.js';
import { approvePolicyChange, submitPolicyChange } from '../../src/features/governance/policy-changes.verbs.js';
import { loadPolicy } from '../../src/features/governance/policy-sync.js';
import { parsePolicySources, type PolicySource } from '../../src/policy/load.js';
import { readPolicyDirectory } from '../../src/policy/policy-files.js';
import { createTestApp, EXAMPLE_POLICY_DIR, type AuditRow } from '../app/harness.js';
import { describeEachDialect } from '../store/dialects.js';
import { grantRow, newId, requestRow } from '../store/factories.js';

/** erin (a DBA who owns backup-service) with a pending request, an active grant and an API token. */
async function erinHoldsAccess(app: AppContext, now: number) {
  const db = app.database.db;
  // The suite shares one database: erin starts each test enabled, and backup-service unflagged.
  await db.updateTable('identities').set({ disabled_at: null, disabled_by: null }).where('name', '=', 'erin').execute();
  await db.updateTable('identities').set({ flagged_at: null }).where('name', '=', 'backup-service').execute();
  const pending = requestRow({ requester: 'erin', status: 'pending', created_at: now, updated_at: now });
  const active = requestRow({ requester: 'erin', status: 'active', created_at: now, updated_at: now });
  await db.insertInto('requests').values([pending, active]).execute();
  const grant = grantRow(active.id, {
    identity: 'erin',
    created_at: now,
    updated_at: now,
    expires_at: now + 3_600_000,
  });
  await db.insertInto('grants').values(grant).execute();
  await db
    .insertInto('api_tokens')
    .values({
      id: newId('tok'),
      identity: 'erin',
      hash: newId('h'),
      prefix: 'cs_',
      expires_at: now + 86_400_000,
      created_at: now,
      created_by: 'erin',
    })
    .execute();
  return { pending, active, grant };
}

async function erinDisabledInYaml(): Promise<PolicySource[]> {
  const { sources } = await readPolicyDirectory(EXAMPLE_POLICY_DIR);
  const edited = sources.map((s) =>
    s.path.endsWith('identities.yaml')
      ? {
          path: s.path,
          text: s.text.replace(/^(spec: \{ kind: human,.*email: erin@acmepay\.example.*) \}$/m, '$1, disabled: true }'),
        }
      : s,
  );
  expect(edited.find((s) => s.path.endsWith('identities.yaml'))?.text).toMatch(/erin@acmepay\.example.*disabled: true/);
  return edited;
}

async function expectErinOffboarded(
  app: AppContext,
  setup: Awaited<ReturnType<typeof erinHoldsAccess>>,
  events: readonly AuditRow[],
): Promise<AuditRow> {
  const db = app.database.db;
  const grant = await db.selectFrom('grants').selectAll().where('id', '=', setup.grant.id).executeTakeFirstOrThrow();
  expect(grant.status).toBe('revoked');
  const requests = await db
    .selectFrom('requests')
    .select(['id', 'status'])
    .where('id', 'in', [setup.pending.id, setup.active.id])
    .execute();
  expect(new Map(requests.map((r) => [r.id, r.status]))).toEqual(
    new Map([
      [setup.pending.id, 'cancelled'],
      [setup.active.id, 'revoked'],
    ]),
  );
  const live = await db
    .selectFrom('api_tokens')
    .select('id')
    .where('identity', '=', 'erin')
    .where('revoked_at', 'is', null)
    .execute();
  expect(live).toEqual([]);
  const bot = await db.selectFrom('identities').selectAll().where('name', '=', 'backup-service').executeTakeFirst();
  expect(bot?.flagged_at).not.toBeNull();
  const disable = events.filter((e) => e.action === 'identity.disable');
  expect(disable).toHaveLength(1);
  expect(disable[0]).toMatchObject({
    subject: 'identity:erin',
    details: {
      identity: 'erin',
      cancelledRequests: [setup.pending.id],
      revokedGrants: [setup.grant.id],
      flaggedIdentities: ['backup-service'],
    },
  });
  return disable[0] as AuditRow;
}

describeEachDialect('offboarding through policy files', (ctx) => {
  it('an identity disabled in YAML through a change set loses its grant, requests and token, as the API disable does', async () => {
    const { app, clock, auditEvents } = await createTestApp(ctx);
    const setup = await erinHoldsAccess(app, clock.now());
    const change = await submitPolicyChange({ app, actor: 'peggy', input: { documents: await erinDisabledInYaml() } });
    const approved = await approvePolicyChange({
      app,
      actor: 'victor',
      input: { id: change.id, digest: change.digest },
    });
    expect(approved.change.status).toBe('applied');
    const event = await expectErinOffboarded(app, setup, await auditEvents());
    expect(event.actor).toBe('victor');
    expect(event.details).toMatchObject({ loadId: approved.applied?.loadId });
  });

  it('an identity disabled in a loaded directory (serve --policy) is offboarded in the same way', async () => {
    const { app, clock, auditEvents } = await createTestApp(ctx);
    const setup = await erinHoldsAccess(app, clock.now());
    const documents = await erinDisabledInYaml();
    const policy = parsePolicySources(documents).policy;
    if (!policy) throw new Error('the edited example policy does not load');
    const summary = await loadPolicy({ app, actor: 'system:operator', input: { policy, documents, location: 'x' } });
    const event = await expectErinOffboarded(app, setup, await auditEvents());
    expect(event.details).toMatchObject({ loadId: summary.loadId });
  });

  it('the policy path records the same offboarding event as the API disable, plus the policy load', async () => {
    const { app, clock, auditEvents } = await createTestApp(ctx);
    await erinHoldsAccess(app, clock.now());
    await disableIdentity({ app, actor: 'peggy', input: { identity: 'erin' } });
    const api = (await auditEvents()).find((e) => e.action === 'identity.disable');

    const other = await createTestApp(ctx, { policyDir: EXAMPLE_POLICY_DIR });
    await other.app.database.db
      .updateTable('identities')
      .set({ disabled_at: null })
      .where('name', '=', 'erin')
      .execute();
    await erinHoldsAccess(other.app, other.clock.now());
    const documents = await erinDisabledInYaml();
    const policy = parsePolicySources(documents).policy;
    if (!policy) throw new Error('the edited example policy does not load');
    await loadPolicy({ app: other.app, actor: 'system:operator', input: { policy, documents } });
    const viaPolicy = (await other.auditEvents()).find((e) => e.action === 'identity.disable');
    expect(Object.keys(viaPolicy?.details ?? {}).sort()).toEqual([...Object.keys(api?.details ?? {}), 'loadId'].sort());
  });
});
