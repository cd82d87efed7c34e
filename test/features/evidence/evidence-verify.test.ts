import { describe, expect, it } from 'vitest';
import { signCheckpoint } from '../../../src/audit/checkpoint.js';
import type { EvidenceSections } from '../../../src/features/evidence/evidence-bundle.js';
import { verifyEvidenceBundle } from '../../../src/features/evidence/evidence-verify.js';
import { keys, seal, sections, T0 } from './evidence-fixture.js';

describe('verifying an evidence bundle offline', () => {
  it('a bundle whose events and checkpoint agree verifies', () => {
    const result = verifyEvidenceBundle(seal(sections()), keys.publicKey);
    expect(result).toMatchObject({ ok: true, eventsVerified: 6, checkpointsVerified: 1, sectionsVerified: 11 });
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
