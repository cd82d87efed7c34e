/**
 * Evidence export (SPEC §2.10): an `audit` holder who does not hold `administer` writes a signed bundle of a
 * period (see `src/features/evidence/evidence-bundle.ts`). The bundle is read and signed in one transaction, together
 * with the `evidence.export` audit event naming its manifest digest, so the log records every bundle issued.
 */
import { z } from 'zod';
import { canonicalDigest } from '../../core/canonical-json.js';
import { refusalOf, type Reason } from '../../core/decision.js';
import { AppError } from '../../core/errors.js';
import { checkEvidenceExporter, scanSod } from '../../decide/sod.decide.js';
import { CONTROL_MAPPING } from './control-mapping.js';
import { collectEvidence } from './evidence-collect.js';
import { sealEvidence, type EvidenceBundle } from './evidence-bundle.js';
import type { VerbCall } from '../../app/context.js';
import { parseInput } from '../../app/verb-support.js';
import { refuse } from '../../app/refuse.js';
import { inTransaction } from '../../app/transaction.js';
import { timestampSchema } from '../../policy/schema-primitives.js';

const DAY_MS = 86_400_000;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** An instant: epoch milliseconds, an ISO date (`2026-01-31`, midnight UTC) or an ISO date-time. */
// Only whole ISO 8601 dates and times: `Date.parse` alone would read '0' as the year 2000.
const instant = z.union([
  z.number().int().min(0),
  z.string().regex(DATE_ONLY, 'a date such as 2026-01-31'),
  timestampSchema,
]);

export const exportEvidenceSchema = z.strictObject({ from: instant, to: instant });
export type ExportEvidenceInput = z.input<typeof exportEvidenceSchema>;

/**
 * Parses a period bound. A date-only `to` means the end of that day, so `--from 2026-01-01 --to 2026-01-31`
 * covers all of January.
 */
function toEpochMs(value: number | string, field: 'from' | 'to'): number {
  if (typeof value === 'number') return value;
  const parsed = Date.parse(DATE_ONLY.test(value) ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(parsed)) throw new AppError('invalid', `'${field}' is not a date: '${value}'`);
  return DATE_ONLY.test(value) && field === 'to' ? parsed + DAY_MS : parsed;
}

type Outcome = { readonly bundle: EvidenceBundle } | { readonly refused: readonly Reason[] };

/**
 * Exports the signed evidence bundle of `[from, to)`. Invariants: only an identity holding `audit` and not
 * `administer` (not even eligibly) exports (`checkEvidenceExporter`, built in); every export is in the audit
 * log with the digest of the manifest it signed, and every refusal is in the decision log.
 */
export async function exportEvidence({ app, actor, input }: VerbCall<ExportEvidenceInput>): Promise<EvidenceBundle> {
  const parsed = parseInput(exportEvidenceSchema, input);
  const period = { from: toEpochMs(parsed.from, 'from'), to: toEpochMs(parsed.to, 'to') };
  if (period.to <= period.from) throw new AppError('invalid', "the period's 'to' must come after its 'from'");
  const privateKey = app.auditSigningKey;
  if (privateKey === undefined) {
    throw new AppError('internal', 'no audit signing key is configured, so evidence cannot be signed');
  }
  const { value } = await inTransaction(app, async ({ trx, now, audit }): Promise<Outcome> => {
    const snapshot = await app.policy.snapshot(trx, now);
    const exporter = checkEvidenceExporter(snapshot.duties, actor);
    if (!exporter.allowed) return { refused: exporter.reasons };
    const collected = await collectEvidence(trx, period);
    const scan = scanSod({ policy: snapshot.policy, duties: snapshot.duties, exceptions: snapshot.exceptions, now });
    const bundle = sealEvidence({
      sections: {
        ...collected,
        sodScan: JSON.parse(JSON.stringify(scan)) as Record<string, unknown>,
        controls: CONTROL_MAPPING,
      },
      period,
      generatedAt: now,
      generatedBy: actor,
      privateKey,
    });
    audit({
      actor,
      action: 'evidence.export',
      subject: `evidence:${period.from}-${period.to}`,
      details: {
        from: period.from,
        to: period.to,
        manifestSha256: canonicalDigest(bundle.manifest),
        keyId: bundle.manifest.keyId,
        events: bundle.manifest.sections.auditEvents.entries,
        reasons: exporter.reasons.map((r) => ({ ...r })),
      },
    });
    return { bundle };
  });
  if ('bundle' in value) return value.bundle;
  throw await refuse(app, {
    actor,
    action: 'evidence.export_refused',
    subject: `evidence:${period.from}-${period.to}`,
    refusal: refusalOf(value.refused),
    otherwise: `'${actor}' may not export evidence`,
    details: { from: period.from, to: period.to },
  });
}
