/**
 * The audit stream record (SPEC §2.10, issue 13): what every sink receives for one audit event, and what
 * `countersign audit verify --from-stream` reads back from a consumer's copy. One JSON object per event:
 *
 *   {"type":"countersign.audit.event","v":1,"installation":"…","seq":42,"time":1733490000000,
 *    "actor":"alice","action":"request.approve","subject":"request:req_…","details":{…},
 *    "prevHash":"<64 hex>","hash":"<64 hex>"}
 *
 * `time` is epoch milliseconds and `details` the event's (already redacted and sealed) details, so that
 * `hash = SHA-256(prevHash ‖ canonical JSON of {action, actor, details, seq, subject, time})` can be recomputed
 * from the record alone (audit-event.ts): a consumer checks continuity with `seq` and `prevHash`. `installation`
 * names the Countersign installation, whose `installation:seq` is the message id sinks deduplicate on.
 *
 * A line of a consumer's copy may be the record itself, a Splunk HEC envelope holding it as `event`, or a
 * syslog message whose MSG is the record (everything before the first `{` is the syslog header).
 */
import { canonicalJson } from '../core/canonical-json.js';
import type { StoredAuditEvent, AuditEvent, JsonObject } from './audit-event.js';

export const STREAM_RECORD_TYPE = 'countersign.audit.event';
export const STREAM_RECORD_VERSION = 1;

export interface AuditStreamRecord {
  readonly type: typeof STREAM_RECORD_TYPE;
  readonly v: typeof STREAM_RECORD_VERSION;
  readonly installation: string;
  readonly seq: number;
  readonly time: number;
  readonly actor: string;
  readonly action: string;
  readonly subject: string;
  readonly details: JsonObject;
  readonly prevHash: string;
  readonly hash: string;
}

/** The record of a stored event: its details parsed from the canonical text the hash commits to. */
export function toStreamRecord(installation: string, event: StoredAuditEvent): AuditStreamRecord {
  return {
    type: STREAM_RECORD_TYPE,
    v: STREAM_RECORD_VERSION,
    installation,
    seq: Number(event.seq),
    time: Number(event.time),
    actor: event.actor,
    action: event.action,
    subject: event.subject,
    details: JSON.parse(event.detailsJson) as JsonObject,
    prevHash: event.prevHash,
    hash: event.hash,
  };
}

/** The record as one line of JSON (what NATS, RabbitMQ and syslog carry, and one line of a JSONL copy). */
export function streamRecordJson(record: AuditStreamRecord): string {
  return canonicalJson(record);
}

/** The message id sinks deduplicate on: `installation:seq`. */
export function streamMessageId(record: Pick<AuditStreamRecord, 'installation' | 'seq'>): string {
  return `${record.installation}:${record.seq}`;
}

export type ParsedStreamLine =
  | { readonly ok: true; readonly event: AuditEvent; readonly installation: string }
  | { readonly ok: false; readonly message: string };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads one line of a consumer's copy (see the module comment) into an event to verify. A line that is not a
 * record at all is reported, not thrown: `verify --from-stream` names it as a bad line.
 */
export function parseStreamLine(line: string): ParsedStreamLine {
  const start = line.indexOf('{');
  if (start === -1) return { ok: false, message: 'no JSON object on the line' };
  let value: unknown;
  try {
    value = JSON.parse(line.slice(start));
  } catch {
    return { ok: false, message: 'the line is not valid JSON' };
  }
  const record = isObject(value) && isObject(value.event) && value.type === undefined ? value.event : value;
  if (!isObject(record) || record.type !== STREAM_RECORD_TYPE) {
    return { ok: false, message: `the line is not a '${STREAM_RECORD_TYPE}' record` };
  }
  const { seq, time, actor, action, subject, details, prevHash, hash, installation } = record;
  if (
    typeof seq !== 'number' ||
    typeof time !== 'number' ||
    typeof actor !== 'string' ||
    typeof action !== 'string' ||
    typeof subject !== 'string' ||
    !isObject(details) ||
    typeof prevHash !== 'string' ||
    typeof hash !== 'string'
  ) {
    return {
      ok: false,
      message:
        'the record lacks a field of the right type (seq, time, actor, action, subject, details, prevHash, hash)',
    };
  }
  return {
    ok: true,
    installation: typeof installation === 'string' ? installation : '',
    event: { seq, time, actor, action, subject, details: details as JsonObject, prevHash, hash },
  };
}
