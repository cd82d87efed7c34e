import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AuditChain, EMPTY_HEAD, type StoredAuditEvent } from '../../src/audit/audit-event.js';
import { signCheckpoint } from '../../src/audit/checkpoint.js';
import { merkleRoot } from '../../src/audit/merkle.js';
import { CONTROL_MAPPING } from '../../src/evidence/control-mapping.js';
import { sealEvidence, type EvidenceSections } from '../../src/evidence/evidence-bundle.js';
import { verifyEvidenceBundle } from '../../src/evidence/evidence-verify.js';

const keys = generateKeyPairSync('ed25519');
const T0 = Date.UTC(2026, 0, 15);

/** A log of 8 events with a signed checkpoint at size 5; the bundle carries events 3–8. */
function sections(): EvidenceSections {
  const chain = new AuditChain(EMPTY_HEAD, { hmacKey: Buffer.alloc(32, 1) });
  const all = Array.from({ length: 8 }, (_, i) =>
    chain.append({ time: T0 + i, actor: 'alice', action: 'request.create', subject: `request:r${i}`, details: { i } }),
  );
  const stored: StoredAuditEvent[] = all.map(({ details: _details, ...event }) => event);
  const checkpoint = signCheckpoint(
    { size: 5, head: all[4]!.hash, root: merkleRoot(all.slice(0, 5).map((e) => e.hash)), time: T0 + 10 },
    keys.privateKey,
  );
  return {
    auditEvents: { chainStart: { seq: 2, hash: all[1]!.hash }, events: stored.slice(2) },
    checkpoints: [checkpoint],
    profileVersions: [],
    sodScan: { conflicts: [] },
    driftFindings: [],
    certifications: { campaigns: [], items: [] },
    sodExceptions: [],
    breakGlass: [],
    approvals: { requests: [], policyChanges: [] },
    controls: CONTROL_MAPPING,
  };
}

function seal(content: EvidenceSections) {
  return sealEvidence({
    sections: content,
    period: { from: T0, to: T0 + 100 },
    generatedAt: T0 + 200,
    generatedBy: 'olivia',
    privateKey: keys.privateKey,
  });
}

describe('verifying an evidence bundle offline', () => {
  it('a bundle whose events and checkpoint agree verifies', () => {
    const result = verifyEvidenceBundle(seal(sections()), keys.publicKey);
    expect(result).toMatchObject({ ok: true, eventsVerified: 6, checkpointsVerified: 1, sectionsVerified: 10 });
  });

  // The signer itself sealed bad content: the digests and signature hold, the content checks must not.
  const resealed: readonly [string, (s: EvidenceSections) => EvidenceSections, string][] = [
    [
      'an event edited before sealing',
      (s) => ({
        ...s,
        auditEvents: {
          ...s.auditEvents,
          events: s.auditEvents.events.map((e) => (e.seq === 4 ? { ...e, actor: 'mallory' } : e)),
        },
      }),
      'event_modified',
    ],
    [
      'an event left out before sealing',
      (s) => ({ ...s, auditEvents: { ...s.auditEvents, events: s.auditEvents.events.filter((e) => e.seq !== 6) } }),
      'chain_gap',
    ],
    [
      'a chain start that is not the first event’s predecessor',
      (s) => ({ ...s, auditEvents: { ...s.auditEvents, chainStart: { seq: 2, hash: 'f'.repeat(64) } } }),
      'chain_broken',
    ],
    [
      'a checkpoint whose head was altered',
      (s) => ({ ...s, checkpoints: s.checkpoints.map((c) => ({ ...c, head: 'a'.repeat(64) })) }),
      'bad_signature',
    ],
  ];

  it.each(resealed)('%s is caught even though the manifest is signed', (_name, change, code) => {
    const result = verifyEvidenceBundle(seal(change(sections())), keys.publicKey);
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => p.code)).toContain(code);
  });

  it('a validly signed checkpoint that disagrees with the events is named', () => {
    const content = sections();
    const forged = signCheckpoint({ size: 5, head: 'b'.repeat(64), root: 'c'.repeat(64), time: T0 }, keys.privateKey);
    const result = verifyEvidenceBundle(seal({ ...content, checkpoints: [forged] }), keys.publicKey);
    expect(result.problems).toEqual([expect.objectContaining({ where: 'checkpoints', code: 'checkpoint_mismatch' })]);
  });

  it('something that is not a bundle is refused without throwing', () => {
    for (const value of [null, 42, 'bundle', { format: 'other' }, []]) {
      expect(verifyEvidenceBundle(value, keys.publicKey)).toMatchObject({ ok: false });
    }
  });
});
