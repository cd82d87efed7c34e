/**
 * The audit event and its hash chain (SPEC §2.10). Pure: the store reads the head, calls
 * {@link nextAuditEvent} and inserts the result in the same transaction as the state change.
 *
 * Hashed bytes of an event: the UTF-8 of `prevHash` (64 lowercase hex characters) immediately followed by the
 * canonical JSON of `{ action, actor, details, seq, subject, time }` (keys in that order, which is code-point
 * order; `details` is its canonical JSON text). `hash` is the lowercase hex SHA-256 of those bytes. The first
 * event has `seq` 1 and `prevHash` {@link GENESIS_HASH}; a log of size N ends with the event whose `seq` is N.
 *
 * The store keeps `details` as its canonical JSON text ({@link StoredAuditEvent.detailsJson}); the hash
 * commits to exactly that text, so verification never re-serialises objects.
 */
import { hash as oneShotHash } from 'node:crypto';
import { canonicalJson, type JsonValue } from '../core/canonical-json.js';
import { AppError } from '../core/errors.js';
import { assertNoClearSecrets, redactDetails, SEALED_MEMBER, type JsonObject } from './redact.js';
import { encryptorFor } from './seal.js';

export type { JsonObject } from './redact.js';

export const GENESIS_HASH = '0'.repeat(64);

/** Longest canonical `details` text accepted, in UTF-16 code units. */
export const MAX_DETAILS_LENGTH = 256 * 1024;
const MAX_ACTOR_LENGTH = 256;
const MAX_SUBJECT_LENGTH = 512;
const MAX_ACTION_LENGTH = 100;
const ACTION_PATTERN = /^[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)+$/;

interface AuditEventFields {
  /** 1-based position in the log; a safe integer. */
  readonly seq: number;
  /** Epoch milliseconds. */
  readonly time: number;
  /** Identity that acted (`alice`, `system:executor`, `system:policy`). */
  readonly actor: string;
  /** `entity.verb`, e.g. `request.approve`, `grant.revoke`. */
  readonly action: string;
  /** What was acted on, e.g. `request:req_123`. */
  readonly subject: string;
  readonly prevHash: string;
  readonly hash: string;
}

/** An event as applications read it. */
export interface AuditEvent extends AuditEventFields {
  readonly details: JsonObject;
}

/** An event as the store keeps it: `details` as the canonical JSON text the hash commits to. */
export interface StoredAuditEvent extends AuditEventFields {
  readonly detailsJson: string;
}

/** What {@link nextAuditEvent} builds: both forms of `details`, which agree by construction. */
export type AuditRecord = AuditEvent & StoredAuditEvent;

/** Anything verification accepts: either form of `details`. */
export type VerifiableAuditEvent = AuditEvent | StoredAuditEvent;

type UnhashedAuditEvent = Omit<AuditEvent, 'hash' | 'prevHash'> | Omit<StoredAuditEvent, 'hash' | 'prevHash'>;

/** The end of a log: `seq` 0 and {@link GENESIS_HASH} when it is empty. */
export interface AuditHead {
  readonly seq: number;
  readonly hash: string;
}

export const EMPTY_HEAD: AuditHead = { seq: 0, hash: GENESIS_HASH };

/** What a verb records; the chain supplies `seq`, `prevHash` and `hash`. */
export interface NewAuditEvent {
  readonly time: number;
  readonly actor: string;
  readonly action: string;
  readonly subject: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

export interface AuditEventOptions {
  /** The audit HMAC key (`audit-hmac.key`); sensitive values in `details` are sealed with it. */
  readonly hmacKey: Uint8Array;
  /** The audit data key (`audit-data.key`); output values are also kept encrypted with it (seal.ts). */
  readonly dataKey?: Uint8Array;
}

/** The canonical `details` text of either event form. */
export function detailsJsonOf(event: Pick<AuditEvent, 'details'> | Pick<StoredAuditEvent, 'detailsJson'>): string {
  return 'detailsJson' in event ? event.detailsJson : canonicalJson(event.details);
}

/**
 * Canonical JSON of the hashed fields, built by hand for speed; it equals
 * `canonicalJson({ action, actor, details, seq, subject, time })` (a test holds it to that).
 */
export function canonicalEventBody(event: UnhashedAuditEvent): string {
  return (
    `{"action":${quote(event.action)},"actor":${quote(event.actor)},` +
    `"details":${detailsJsonOf(event)},"seq":${event.seq},"subject":${quote(event.subject)},` +
    `"time":${event.time}}`
  );
}

// Characters JSON.stringify escapes (quote, backslash, controls, lone surrogates); most strings have none.
// eslint-disable-next-line no-control-regex -- control characters are exactly what must be found
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** JSON string literal, as `JSON.stringify` writes it, without its cost for the common plain string. */
function quote(value: string): string {
  return NEEDS_ESCAPE.test(value) ? JSON.stringify(value) : `"${value}"`;
}

// Scratch space for the hashed bytes: writing the two parts into it spares flattening a concatenated string.
const hashInput = Buffer.alloc(1 << 20);

/** SHA-256 hex over `prevHash` followed by the canonical event; the chain link every verifier recomputes. */
export function hashEvent(prevHash: string, event: UnhashedAuditEvent): string {
  const body = canonicalEventBody(event);
  // A UTF-16 code unit takes at most 3 bytes in UTF-8, so this bound guarantees nothing is cut off.
  if (prevHash.length * 3 + body.length * 3 > hashInput.length) return oneShotHash('sha256', prevHash + body, 'hex');
  const prefix = hashInput.write(prevHash, 0, 'utf8');
  const length = prefix + hashInput.write(body, prefix, 'utf8');
  return oneShotHash('sha256', hashInput.subarray(0, length), 'hex');
}

function validate(input: NewAuditEvent, seq: number): void {
  const problems: string[] = [];
  if (!Number.isSafeInteger(seq) || seq < 1) problems.push(`seq ${seq} is not a positive safe integer`);
  if (!Number.isSafeInteger(input.time) || input.time < 0)
    problems.push(`time ${input.time} is not epoch milliseconds`);
  if (input.actor.length === 0 || input.actor.length > MAX_ACTOR_LENGTH) {
    problems.push(`actor must be 1 to ${MAX_ACTOR_LENGTH} characters`);
  }
  if (input.subject.length === 0 || input.subject.length > MAX_SUBJECT_LENGTH) {
    problems.push(`subject must be 1 to ${MAX_SUBJECT_LENGTH} characters`);
  }
  if (input.action.length > MAX_ACTION_LENGTH || !ACTION_PATTERN.test(input.action)) {
    problems.push(`action '${input.action.slice(0, MAX_ACTION_LENGTH)}' is not of the form 'entity.verb'`);
  }
  if (problems.length > 0) throw new AppError('invalid', `audit event is malformed: ${problems.join('; ')}`);
}

/**
 * `details` with its largest encrypted copies dropped until it fits. A copy is a convenience for readers and never
 * costs the event itself; dropping the largest first keeps the others readable (a large parameter does not take
 * the statement's text with it). A dropped copy opens as HMAC only.
 */
function withoutLargestCopies(details: JsonObject): JsonObject {
  const copies = { ...(details[SEALED_MEMBER] as Record<string, JsonValue>) };
  const { [SEALED_MEMBER]: _all, ...rest } = details;
  const largestFirst = Object.keys(copies).sort((a, b) => String(copies[b]).length - String(copies[a]).length);
  let fitted: JsonObject = details;
  for (const pointer of largestFirst) {
    if (canonicalJson(fitted).length <= MAX_DETAILS_LENGTH) break;
    delete copies[pointer];
    fitted = Object.keys(copies).length === 0 ? rest : { ...rest, [SEALED_MEMBER]: { ...copies } };
  }
  return fitted;
}

/**
 * Builds the event that follows `head`: details redacted (see redact.ts; with a data key, output values also
 * kept encrypted, bound to this event, see seal.ts) and guarded against clear secrets, then chained.
 * Invariant: `result.prevHash === head.hash`, `result.seq === head.seq + 1`, and
 * `result.hash === hashEvent(head.hash, result)`. Throws `invalid` for a malformed event.
 */
export function nextAuditEvent(head: AuditHead, input: NewAuditEvent, options: AuditEventOptions): AuditRecord {
  const seq = head.seq + 1;
  validate(input, seq);
  const binding = { seq, prevHash: head.hash, actor: input.actor, action: input.action, subject: input.subject };
  const encrypt = options.dataKey === undefined ? undefined : encryptorFor(options.dataKey, binding);
  let details = redactDetails(input.details ?? {}, options.hmacKey, encrypt);
  assertNoClearSecrets(details);
  let detailsJson = canonicalJson(details);
  if (detailsJson.length > MAX_DETAILS_LENGTH && details[SEALED_MEMBER] !== undefined) {
    details = withoutLargestCopies(details);
    detailsJson = canonicalJson(details);
  }
  if (detailsJson.length > MAX_DETAILS_LENGTH) {
    throw new AppError('invalid', `audit details of '${input.action}' exceed ${MAX_DETAILS_LENGTH} characters`);
  }
  const unhashed = {
    seq,
    time: input.time,
    actor: input.actor,
    action: input.action,
    subject: input.subject,
    details,
    detailsJson,
  };
  return { ...unhashed, prevHash: head.hash, hash: hashEvent(head.hash, unhashed) };
}

/**
 * A log's growing end held in memory: builds successive events from a known head. Use one per transaction
 * (read the head inside it), since other writers may append between transactions.
 */
export class AuditChain {
  #head: AuditHead;

  constructor(
    head: AuditHead,
    private readonly options: AuditEventOptions,
  ) {
    this.#head = head;
  }

  get head(): AuditHead {
    return this.#head;
  }

  /** Builds the next event and moves the head to it. */
  append(input: NewAuditEvent): AuditRecord {
    const event = nextAuditEvent(this.#head, input, this.options);
    this.#head = { seq: event.seq, hash: event.hash };
    return event;
  }

  /** Builds several events in order; the head moves only if all of them are valid. */
  appendAll(inputs: readonly NewAuditEvent[]): AuditRecord[] {
    const events: AuditRecord[] = [];
    let head = this.#head;
    for (const input of inputs) {
      const event = nextAuditEvent(head, input, this.options);
      events.push(event);
      head = { seq: event.seq, hash: event.hash };
    }
    this.#head = head;
    return events;
  }
}
