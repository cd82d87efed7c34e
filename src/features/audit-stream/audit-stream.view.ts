/**
 * The audit streams as `GET /v1/audit/streams` and `countersign audit streams` show them (`AuditStreams`): per
 * sink, the cursor (last `seq` the sink acknowledged), the lag behind the log's head in events and in seconds,
 * and the last failure. Targets never carry credentials. Times are ISO 8601.
 */
import { z } from 'zod';
import { isoTime, text } from '../../app/view-fields.js';

const seq = z.number().int().min(0);

export const auditStreamViewSchema = z
  .object({
    sink: text(100),
    kind: text(20),
    target: text(2000).describe('the sink URL without its password'),
    deliveredSeq: seq.describe('the last event the sink acknowledged'),
    deliveredAt: isoTime.nullable(),
    lagEvents: seq.describe('events appended but not yet acknowledged by the sink'),
    lagSeconds: z.number().min(0).describe('age of the oldest event not yet acknowledged (0 when caught up)'),
    consecutiveFailures: z.number().int().min(0),
    lastError: text(500).nullable(),
    lastErrorAt: isoTime.nullable(),
  })
  .meta({ id: 'AuditStream' });

export type AuditStreamView = z.infer<typeof auditStreamViewSchema>;

export const auditStreamsViewSchema = z
  .object({
    headSeq: seq.describe('the last event of the log'),
    streams: z.array(auditStreamViewSchema).max(100).readonly(),
  })
  .meta({ id: 'AuditStreams' });

export type AuditStreamsView = z.infer<typeof auditStreamsViewSchema>;
