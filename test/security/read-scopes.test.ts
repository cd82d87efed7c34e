/**
 * Issue #9 (low): read scopes were wider than duties. An approver of the databases read every request of the
 * company (personal-data buckets included); an auditor of one profile read the whole audit log. Reads now
 * follow the duty's scope. On both dialects, over HTTP.
 */
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { expect, it } from 'vitest';
import { exportEvidence } from '../../src/features/evidence/evidence.verbs.js';
import { readPolicyDirectory } from '../../src/policy/policy-files.js';
import { EXAMPLE_POLICY_DIR, TEST_START } from '../app/harness.js';
import { createHttpTestApp, type HttpTestApp } from '../http/http-fixtures.js';
import { describeEachDialect } from '../store/dialects.js';

const KYC_READ = {
  resource: 'kyc-documents',
  action: 'read-object',
  duration: '1h',
  justification: 'customer asked for a copy of their documents',
  ticket: 'SUP-42',
  params: { prefix: 'customers/0b7c4a1e-5d2f-4c3b-9a8e-1f2d3c4b5a69/' },
};
const STAGING_READ = { resource: 'analytics-db', action: 'read', duration: '1h', justification: 'report' };

/** The example policy plus a second auditor, human, whose `audit` duty covers the personal-data bucket only. */
async function policyWithScopedAuditor(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'countersign-read-scopes-'));
  const { sources } = await readPolicyDirectory(EXAMPLE_POLICY_DIR);
  for (const source of sources) {
    const path = join(dir, relative(EXAMPLE_POLICY_DIR, source.path));
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, source.text);
  }
  writeFileSync(
    join(dir, 'pii-auditor.yaml'),
    [
      'apiVersion: countersign.dev/v1',
      'kind: Identity',
      'metadata: { name: paula }',
      'spec: { kind: human, email: paula@acmepay.example }',
      '---',
      'apiVersion: countersign.dev/v1',
      'kind: Role',
      'metadata: { name: pii-auditor }',
      'spec: { duties: [audit], profiles: [pii-bucket], subjects: [identity:paula] }',
      '',
    ].join('\n'),
  );
  return dir;
}

async function requestAs(t: HttpTestApp, identity: string, body: object): Promise<string> {
  const response = await t.call('POST', '/v1/requests', await t.tokenFor(identity), body);
  expect(response.statusCode).toBe(201);
  return response.json<{ id: string }>().id;
}

describeEachDialect('read scopes', (ctx) => {
  it('an approver of the databases cannot list or read requests on profiles it may not approve', async () => {
    const t = await createHttpTestApp(ctx);
    const kyc = await requestAs(t, 'alice', KYC_READ); // pii-bucket: dan holds no duty there
    const staging = await requestAs(t, 'quinn', STAGING_READ); // postgres-staging: dan approves
    const dan = await t.tokenFor('dan');
    const listed = (await t.call('GET', '/v1/requests?limit=100', dan)).json<{ requests: { id: string }[] }>();
    const ids = listed.requests.map((r) => r.id);
    expect(ids).toContain(staging);
    expect(ids).not.toContain(kyc);
    expect((await t.call('GET', `/v1/requests/${kyc}`, dan)).statusCode).toBe(404);
    expect((await t.call('GET', `/v1/requests/${staging}`, dan)).statusCode).toBe(200);
    // Asking for alice's requests by name gives only those dan may see: none here.
    const hers = (await t.call('GET', '/v1/requests?requester=alice', dan)).json<{ requests: { id: string }[] }>();
    expect(hers.requests.map((r) => r.id)).not.toContain(kyc);
    // An approver of every profile and the requester still see it.
    expect((await t.call('GET', `/v1/requests/${kyc}`, await t.tokenFor('heidi'))).statusCode).toBe(200);
    expect((await t.call('GET', `/v1/requests/${kyc}`, await t.tokenFor('alice'))).statusCode).toBe(200);
  });

  it('an auditor of one profile reads only that profile’s events', async () => {
    const t = await createHttpTestApp(ctx, { policyDir: await policyWithScopedAuditor() });
    const kyc = await requestAs(t, 'alice', KYC_READ);
    const staging = await requestAs(t, 'quinn', STAGING_READ);
    const read = async (identity: string) =>
      (await t.call('GET', '/v1/audit/events?limit=1000', await t.tokenFor(identity))).json<{
        events: { subject: string; action: string }[];
      }>().events;
    const paula = await read('paula');
    expect(paula.map((e) => e.subject)).toContain(`request:${kyc}`);
    expect(paula.map((e) => e.subject)).not.toContain(`request:${staging}`);
    // Nothing outside the profile: no policy loads, no tokens, no identities.
    for (const event of paula) expect(event.subject).toMatch(/^(request|grant|resource):/);
    const olivia = await read('olivia'); // audit on every profile
    expect(olivia.map((e) => e.subject)).toEqual(expect.arrayContaining([`request:${kyc}`, `request:${staging}`]));
    expect(olivia.some((e) => e.action === 'policy.load')).toBe(true);
  });

  it('an auditor of one profile cannot read the whole log by exporting it as evidence', async () => {
    const t = await createHttpTestApp(ctx, { policyDir: await policyWithScopedAuditor() });
    const app = { ...t.app, auditSigningKey: generateKeyPairSync('ed25519').privateKey };
    await requestAs(t, 'quinn', STAGING_READ);
    const period = { from: TEST_START - 3_600_000, to: TEST_START + 3_600_000 };
    const refused = await exportEvidence({ app, actor: 'paula', input: period }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toMatchObject({ code: 'forbidden', message: expect.stringContaining('every profile') });
    expect((await t.auditEvents()).filter((e) => e.action === 'evidence.export')).toEqual([]);
    // An auditor of every profile still exports.
    const bundle = await exportEvidence({ app, actor: 'olivia', input: period });
    expect(bundle.manifest.sections.auditEvents.entries).toBeGreaterThan(0);
  });
});
