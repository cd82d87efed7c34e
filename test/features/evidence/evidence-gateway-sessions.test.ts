/**
 * The `gatewaySessions` section (issue 14) came to the bundle format after bundles were first made: a bundle whose
 * signed manifest does not list it (made before it existed) still verifies, while one whose signed manifest lists
 * it cannot have it stripped or altered unseen.
 */
import { sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { auditKeyId } from '../../../src/audit/checkpoint.js';
import {
  EVIDENCE_FORMAT,
  manifestBytes,
  sectionDigest,
  type EvidenceSections,
} from '../../../src/features/evidence/evidence-bundle.js';
import { verifyEvidenceBundle } from '../../../src/features/evidence/evidence-verify.js';
import { keys, seal, sections, T0 } from './evidence-fixture.js';

/** A bundle as the format made it before the gateway: no `gatewaySessions`, in the sections or the manifest. */
function bundleBeforeGateway() {
  const { gatewaySessions: _dropped, ...older } = sections();
  const manifest = {
    format: EVIDENCE_FORMAT,
    period: { from: T0, to: T0 + 100 },
    generatedAt: T0 + 200,
    generatedBy: 'olivia',
    keyId: auditKeyId(keys.publicKey),
    sections: Object.fromEntries(
      Object.entries(older).map(([name, section]) => [name, { sha256: sectionDigest(section), entries: 0 }]),
    ),
  };
  const signature = sign(null, manifestBytes(manifest), keys.privateKey).toString('base64');
  return { format: EVIDENCE_FORMAT, manifest, signature, sections: older };
}

describe('the gateway sessions section of evidence bundles', () => {
  it('a bundle made before the section existed still verifies', () => {
    expect(verifyEvidenceBundle(bundleBeforeGateway(), keys.publicKey)).toMatchObject({
      ok: true,
      sectionsVerified: 10,
    });
  });

  it('a bundle that lists the section cannot lose or change it unseen', () => {
    const content: EvidenceSections = {
      ...sections(),
      gatewaySessions: [{ id: 'gws_1', identity: 'alice', statements: 3, refused: 1 }],
    };
    const bundle = seal(content);
    expect(verifyEvidenceBundle(bundle, keys.publicKey).ok).toBe(true);
    const { gatewaySessions: _stripped, ...rest } = bundle.sections;
    const stripped = verifyEvidenceBundle({ ...bundle, sections: rest }, keys.publicKey);
    expect(stripped.ok).toBe(false);
    expect(JSON.stringify(stripped)).toContain('section_missing');
    const edited = verifyEvidenceBundle(
      {
        ...bundle,
        sections: {
          ...bundle.sections,
          gatewaySessions: [{ id: 'gws_1', identity: 'alice', statements: 3, refused: 0 }],
        },
      },
      keys.publicKey,
    );
    expect(JSON.stringify(edited)).toContain('digest_mismatch');
  });
});
