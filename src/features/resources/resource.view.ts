/**
 * The shapes of resources outside the application: a resource with its profile's version, latest observation
 * and open drift (`Resource`), what recording an observation did (`Observation`), an observation as a
 * resource's history lists it (`ObservationRecord`), and a drift finding (`DriftFinding`). `/v1/resources` and
 * `/v1/drift` answer them, the CLI prints them; times are ISO 8601.
 */
import { z } from 'zod';
import { SEVERITIES } from '../../policy/model.js';
import { iso, isoTime, text } from '../../app/view-fields.js';
import type { ObservationResult } from './resources.verbs.js';

const resourceName = z.string().min(1).max(63);
const short = text(500);
/** Open drift findings by severity. */
const countsBySeverity = z.object({
  low: z.number().int(),
  medium: z.number().int(),
  high: z.number().int(),
  critical: z.number().int(),
});

export const resourceViewSchema = z
  .object({
    name: resourceName,
    profile: resourceName,
    profileVersion: text(100).nullable(),
    classification: text(20).nullable(),
    environment: text(200).nullable(),
    labels: z.record(short, short),
    owner: text(220)
      .regex(/^(group|identity):.+$/, 'a reference written group:NAME or identity:NAME')
      .nullable(),
    attributes: z.record(short, z.union([short, z.number(), z.boolean()])),
    source: z.enum(['policy', 'api', 'discovery']),
    latestObservationAt: isoTime.nullable(),
    drift: countsBySeverity,
  })
  .meta({ id: 'Resource' });

export type ResourceView = z.infer<typeof resourceViewSchema>;

export const observationViewSchema = z
  .object({
    observationId: text(100),
    resource: resourceName,
    observedAt: isoTime,
    arrival: z.number().int().describe("its place in the resource's arrival order; the newest arrival is current"),
    profileVersion: text(100),
    results: z
      .array(
        z.object({
          check: text(200),
          severity: z.enum(SEVERITIES),
          status: text(30),
          message: text(2000),
        }),
      )
      .max(10_000)
      .readonly(),
    drift: countsBySeverity,
    newFindings: z.array(text(100)).max(10_000).readonly(),
    resolvedFindings: z.array(text(100)).max(10_000).readonly(),
  })
  .meta({ id: 'Observation' });

export type ObservationView = z.infer<typeof observationViewSchema>;

export function toObservationView(result: ObservationResult): ObservationView {
  return { ...result, observedAt: iso(result.observedAt) };
}

export const observationRecordViewSchema = z
  .object({
    id: text(100),
    arrival: z.number().int(),
    observedAt: isoTime.describe('when the sender says the configuration was seen'),
    receivedAt: isoTime.describe('when Countersign recorded it'),
    /** The authenticated identity, or `system:observer` for the background observer. */
    sender: text(200).nullable().describe('who sent it'),
    source: z.enum(['provider', 'api']),
  })
  .meta({ id: 'ObservationRecord' });

export type ObservationRecordView = z.infer<typeof observationRecordViewSchema>;

export const driftFindingViewSchema = z
  .object({
    id: text(100),
    resource: text(63),
    check: text(200),
    severity: z.enum(SEVERITIES),
    status: z.enum(['open', 'resolved']),
    message: text(2000),
    profileVersion: text(100).nullable(),
    firstSeen: isoTime,
    lastSeen: isoTime,
    resolvedAt: isoTime.nullable(),
  })
  .meta({ id: 'DriftFinding' });

export type DriftFindingView = z.infer<typeof driftFindingViewSchema>;
