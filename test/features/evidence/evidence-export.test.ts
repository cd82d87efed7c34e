import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { beforeAll, beforeEach, expect, it } from 'vitest';
import type { AppContext } from '../../../src/app/context.js';
import { exportEvidence } from '../../../src/features/evidence/evidence.verbs.js';
import { approveRequest, breakGlass, createRequest } from '../../../src/features/requests/requests.verbs.js';
import { Checkpointer } from '../../../src/audit/store/checkpointer.js';
import { canonicalDigest } from '../../../src/core/canonical-json.js';
import type { EvidenceBundle } from '../../../src/features/evidence/evidence-bundle.js';
import { verifyEvidenceBundle } from '../../../src/features/evidence/evidence-verify.js';
import { describeEachDialect } from '../../store/dialects.js';
import { createTestApp, TEST_START, type TestApp } from '../../app/harness.js';
import { as, eventsOf, PROD_WRITE, refusal, SHORT_READ } from '../../app/requests-fixtures.js';

const HOUR = 3_600_000;
const PERIOD = { from: TEST_START - HOUR, to: TEST_START + 24 * HOUR };

describeEachDialect('exporting signed evidence', (ctx) => {
  let keys: { privateKey: KeyObject; publicKey: KeyObject };
  let t: TestApp;
  let app: AppContext;

  beforeAll(() => {
    keys = generateKeyPairSync('ed25519');
  });

  beforeEach(async () => {
    t = await createTestApp(ctx);
    app = { ...t.app, auditSigningKey: keys.privateKey };
  });

  /** Some lifecycle activity, a checkpoint in the middle of it, and more activity after it. */
  async function activity(): Promise<void> {
    await createRequest(as(app, 'alice')(SHORT_READ));
    const write = await createRequest(as(app, 'alice')(PROD_WRITE));
    t.clock.advance(60_000);
    await approveRequest(as(app, 'erin')({ id: write.id, digest: write.digest }));
    const checkpointer = new Checkpointer({
      database: ctx.database,
      keys,
      clock: t.clock,
      owner: 'evidence-test',
      policy: { everyEvents: 1, everySeconds: 1 },
    });
    await checkpointer.checkpointNow();
    await checkpointer.lease.release();
    t.clock.advance(60_000);
    await breakGlass(
      as(app, 'judy')({ resource: 'payments-db', action: 'read', duration: '30m', justification: 'INC-9 outage' }),
    );
  }

  async function exported(): Promise<EvidenceBundle> {
    await activity();
    return exportEvidence(as(app, 'olivia')(PERIOD));
  }

  it('an auditor exports a bundle that verifies offline, even after a trip through a file', async () => {
    const bundle = await exported();
    const reread: unknown = JSON.parse(JSON.stringify(bundle));
    const result = verifyEvidenceBundle(reread, keys.publicKey);
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.eventsVerified).toBe(bundle.sections.auditEvents.events.length);
    expect(result.eventsVerified).toBeGreaterThan(3);
    expect(result.checkpointsVerified).toBeGreaterThanOrEqual(1);
    expect(result.sectionsVerified).toBe(11);

    expect(bundle.sections.breakGlass).toEqual(
      expect.arrayContaining([expect.objectContaining({ requester: 'judy', resource: 'payments-db' })]),
    );
    expect(bundle.sections.approvals.requests).toEqual(
      expect.arrayContaining([expect.objectContaining({ approver: 'erin' })]),
    );
    expect(bundle.sections.profileVersions.length).toBeGreaterThan(0);
    expect(bundle.sections.controls.some((c) => c.controls.includes('NIST 800-53 AC-5'))).toBe(true);

    const [event] = eventsOf(await t.auditEvents(), 'evidence.export');
    expect(event).toMatchObject({
      actor: 'olivia',
      details: { manifestSha256: canonicalDigest(bundle.manifest), from: PERIOD.from, to: PERIOD.to },
    });
  });

  type Tamper = (bundle: Record<string, any>) => void; // eslint-disable-line @typescript-eslint/no-explicit-any
  const tampering: readonly [string, Tamper, string, string][] = [
    ['an edited event', (b) => (b.sections.auditEvents.events[0].actor = 'mallory'), 'auditEvents', 'digest_mismatch'],
    ['a dropped event', (b) => b.sections.auditEvents.events.splice(1, 1), 'auditEvents', 'digest_mismatch'],
    ['an edited break-glass use', (b) => (b.sections.breakGlass[0].requester = 'ken'), 'breakGlass', 'digest_mismatch'],
    ['an altered SoD scan', (b) => (b.sections.sodScan.unsuppressed = 99), 'sodScan', 'digest_mismatch'],
    ['a forged approval', (b) => b.sections.approvals.requests.push({ approver: 'x' }), 'approvals', 'digest_mismatch'],
    ['a removed section', (b) => delete b.sections.driftFindings, 'driftFindings', 'section_missing'],
    ['an added section', (b) => (b.sections.extra = []), 'extra', 'section_unknown'],
    ['a widened period in the manifest', (b) => (b.manifest.period.to += 1), 'signature', 'bad_signature'],
    [
      'a digest recomputed over an edited section',
      (b) => {
        b.sections.sodExceptions.push({ id: 'forged' });
        b.manifest.sections.sodExceptions.sha256 = canonicalDigest(b.sections.sodExceptions);
      },
      'signature',
      'bad_signature',
    ],
    [
      'a replaced signature',
      (b) => (b.signature = Buffer.alloc(64, 7).toString('base64')),
      'signature',
      'bad_signature',
    ],
    ['a stripped signature', (b) => delete b.signature, 'signature', 'bad_signature'],
  ];

  it.each(tampering)('%s is caught and named', async (_name, tamper, where, code) => {
    const bundle = JSON.parse(JSON.stringify(await exported())) as Record<string, unknown>;
    tamper(bundle);
    const result = verifyEvidenceBundle(bundle, keys.publicKey);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual(expect.arrayContaining([expect.objectContaining({ where, code })]));
  });

  it('a bundle checked with another public key is refused at its signature', async () => {
    const bundle = await exported();
    const other = generateKeyPairSync('ed25519').publicKey;
    const result = verifyEvidenceBundle(bundle, other);
    expect(result.ok).toBe(false);
    expect(result.problems[0]).toMatchObject({ where: 'signature', code: 'bad_signature' });
  });

  it('an administer holder may not export, and the refusal is in the log', async () => {
    const error = await refusal(exportEvidence(as(app, 'peggy')(PERIOD)));
    expect(error.code).toBe('forbidden');
    expect(error.message).toContain("holds 'administer'");
    const [event] = eventsOf(await t.auditEvents(), 'evidence.export_refused');
    expect(event).toMatchObject({ actor: 'peggy' });
    expect(eventsOf(await t.auditEvents(), 'evidence.export')).toEqual([]);
  });

  it('a non-human identity cannot export evidence', async () => {
    const error = await refusal(exportEvidence(as(app, 'deploy-bot')(PERIOD)));
    expect(error.code).toBe('forbidden');
    expect(eventsOf(await t.auditEvents(), 'evidence.export_refused')).toHaveLength(1);
  });

  it('a period that ends before it starts is invalid', async () => {
    const error = await refusal(exportEvidence(as(app, 'olivia')({ from: '2026-02-01', to: '2026-01-01' })));
    expect(error.code).toBe('invalid');
  });

  it('a date-only period covers the whole last day', async () => {
    await activity();
    const bundle = await exportEvidence(as(app, 'olivia')({ from: '2026-01-15', to: '2026-01-15' }));
    expect(bundle.manifest.period).toEqual({ from: Date.UTC(2026, 0, 15), to: Date.UTC(2026, 0, 16) });
    expect(bundle.sections.breakGlass.length).toBeGreaterThan(0);
  });
});
