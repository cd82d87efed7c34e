/**
 * Signed evidence bundles (SPEC §2.10): one canonical-JSON document for a period, tar-free, that an auditor can
 * check offline with the audit public key (`evidence-verify.ts`).
 *
 * Layout: `{ format, manifest, signature, sections }`.
 * - `sections` holds the evidence, one member per {@link EVIDENCE_SECTIONS} name.
 * - `manifest` names the period, the exporter and, for every section, the SHA-256 of its canonical JSON and
 *   the number of entries it holds.
 * - `signature` is a base64 Ed25519 signature, by the audit signing key, over the UTF-8 bytes of
 *   `countersign.dev/evidence-manifest/v1\n` followed by the canonical JSON of `manifest`. The prefix keeps a
 *   manifest signature from ever being mistaken for a checkpoint signature made with the same key.
 * Audit events keep `details` as the exact canonical text their hash commits to (`detailsJson`).
 */
import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { canonicalDigest, canonicalJson } from '../../core/canonical-json.js';
import { AppError } from '../../core/errors.js';
import type { StoredAuditEvent } from '../../audit/audit-event.js';
import { auditKeyId, type SignedCheckpoint } from '../../audit/checkpoint.js';
import type { ControlMapping } from './control-mapping.js';

export const EVIDENCE_FORMAT = 'countersign.dev/evidence-bundle/v1';
export const MANIFEST_SIGNING_PREFIX = 'countersign.dev/evidence-manifest/v1\n';

export const EVIDENCE_SECTIONS = [
  'auditEvents',
  'checkpoints',
  'profileVersions',
  'sodScan',
  'driftFindings',
  'certifications',
  'sodExceptions',
  'breakGlass',
  'approvals',
  'gatewaySessions',
  'controls',
] as const;

/**
 * Sections added to the format after bundles were first made: a bundle whose signed manifest does not list one
 * was made before it existed, and verifies without it.
 */
export const LATER_SECTIONS: readonly EvidenceSectionName[] = ['gatewaySessions'];
export type EvidenceSectionName = (typeof EVIDENCE_SECTIONS)[number];

/** The audit events of the period with what is needed to check their chain: the hash the first one follows. */
export interface AuditEventsSection {
  /** `prevHash` of the first event (the genesis hash when the period starts the log). */
  readonly chainStart: { readonly seq: number; readonly hash: string };
  readonly events: readonly StoredAuditEvent[];
}

export interface EvidenceSections {
  readonly auditEvents: AuditEventsSection;
  /** Signed checkpoints at or inside the period's events, and the first one after them. */
  readonly checkpoints: readonly SignedCheckpoint[];
  readonly profileVersions: readonly Readonly<Record<string, unknown>>[];
  readonly sodScan: Readonly<Record<string, unknown>>;
  readonly driftFindings: readonly Readonly<Record<string, unknown>>[];
  readonly certifications: {
    readonly campaigns: readonly Readonly<Record<string, unknown>>[];
    readonly items: readonly Readonly<Record<string, unknown>>[];
  };
  readonly sodExceptions: readonly Readonly<Record<string, unknown>>[];
  readonly breakGlass: readonly Readonly<Record<string, unknown>>[];
  readonly approvals: {
    readonly requests: readonly Readonly<Record<string, unknown>>[];
    readonly policyChanges: readonly Readonly<Record<string, unknown>>[];
  };
  /** Sessions through the gateway in the period (evidence of `use`): who, which grant, statements and refusals. */
  readonly gatewaySessions: readonly Readonly<Record<string, unknown>>[];
  readonly controls: readonly ControlMapping[];
}

export interface ManifestSection {
  readonly sha256: string;
  /** Entries in the section (events, checkpoints, findings, …), for a reader's orientation. */
  readonly entries: number;
}

export interface EvidenceManifest {
  readonly format: typeof EVIDENCE_FORMAT;
  /** The period, epoch milliseconds: `from` inclusive, `to` exclusive. */
  readonly period: { readonly from: number; readonly to: number };
  readonly generatedAt: number;
  readonly generatedBy: string;
  /** The signing key's id (see `auditKeyId`). */
  readonly keyId: string;
  readonly sections: Readonly<Record<EvidenceSectionName, ManifestSection>>;
}

export interface EvidenceBundle {
  readonly format: typeof EVIDENCE_FORMAT;
  readonly manifest: EvidenceManifest;
  readonly signature: string;
  readonly sections: EvidenceSections;
}

/** The SHA-256 recorded for a section: over its canonical JSON. */
export function sectionDigest(section: unknown): string {
  return canonicalDigest(section);
}

function entriesOf(name: EvidenceSectionName, sections: EvidenceSections): number {
  switch (name) {
    case 'auditEvents':
      return sections.auditEvents.events.length;
    case 'sodScan':
      return Array.isArray(sections.sodScan.conflicts) ? sections.sodScan.conflicts.length : 0;
    case 'certifications':
      return sections.certifications.items.length;
    case 'approvals':
      return sections.approvals.requests.length + sections.approvals.policyChanges.length;
    default:
      return sections[name].length;
  }
}

/** The exact bytes the manifest signature covers. */
export function manifestBytes(manifest: unknown): Buffer {
  return Buffer.from(MANIFEST_SIGNING_PREFIX + canonicalJson(manifest), 'utf8');
}

export interface SealInput {
  readonly sections: EvidenceSections;
  readonly period: { readonly from: number; readonly to: number };
  readonly generatedAt: number;
  readonly generatedBy: string;
  /** The audit Ed25519 private key. */
  readonly privateKey: KeyObject;
}

/**
 * Builds the manifest over `sections` and signs it. Invariant: `verifyEvidenceBundle(sealEvidence(x), pub)` finds
 * no problem with the signature or the digests when `pub` is the public half of `x.privateKey`.
 */
export function sealEvidence(input: SealInput): EvidenceBundle {
  const { privateKey } = input;
  if (privateKey.asymmetricKeyType !== 'ed25519' || privateKey.type !== 'private') {
    throw new AppError('invalid', 'evidence bundles are signed with the Ed25519 audit signing key');
  }
  const sections = Object.fromEntries(
    EVIDENCE_SECTIONS.map((name) => [
      name,
      { sha256: sectionDigest(input.sections[name]), entries: entriesOf(name, input.sections) },
    ]),
  ) as Record<EvidenceSectionName, ManifestSection>;
  const manifest: EvidenceManifest = {
    format: EVIDENCE_FORMAT,
    period: input.period,
    generatedAt: input.generatedAt,
    generatedBy: input.generatedBy,
    keyId: auditKeyId(createPublicKey(privateKey)),
    sections,
  };
  const signature = sign(null, manifestBytes(manifest), privateKey).toString('base64');
  return { format: EVIDENCE_FORMAT, manifest, signature, sections: input.sections };
}

/** Whether `publicKey` signed exactly this manifest (any malformed signature is simply not valid). */
export function manifestSignatureValid(manifest: unknown, signature: string, publicKey: KeyObject): boolean {
  try {
    return verify(null, manifestBytes(manifest), publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
