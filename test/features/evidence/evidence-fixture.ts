/** A small, self-contained evidence bundle for tests that need no database: 8 chained events, a checkpoint. */
import { generateKeyPairSync } from 'node:crypto';
import { AuditChain, EMPTY_HEAD, type StoredAuditEvent } from '../../../src/audit/audit-event.js';
import { signCheckpoint } from '../../../src/audit/checkpoint.js';
import { merkleRoot } from '../../../src/audit/merkle.js';
import { CONTROL_MAPPING } from '../../../src/features/evidence/control-mapping.js';
import { sealEvidence, type EvidenceSections } from '../../../src/features/evidence/evidence-bundle.js';

export const keys = generateKeyPairSync('ed25519');
export const T0 = Date.UTC(2026, 0, 15);

/** A log of 8 events with a signed checkpoint at size 5; the bundle carries events 3–8. */
export function sections(): EvidenceSections {
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
    gatewaySessions: [],
    controls: CONTROL_MAPPING,
  };
}

export function seal(content: EvidenceSections) {
  return sealEvidence({
    sections: content,
    period: { from: T0, to: T0 + 100 },
    generatedAt: T0 + 200,
    generatedBy: 'olivia',
    privateKey: keys.privateKey,
  });
}
