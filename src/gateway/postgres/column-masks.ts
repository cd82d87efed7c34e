/**
 * Column masking for the gateway (issue 14): a profile's `masks` name columns (`email`, or `users.email`) whose
 * values a session must never see in clear. The gateway learns, when the session starts, which catalog columns
 * (`table OID`, `attnum`) the masks name (`resolveMasks` in mask-resolution.ts); a result's RowDescription then
 * says which of its fields are such columns, even renamed by an alias, and each DataRow is rewritten with those
 * fields masked. Masked fields are announced to the client as `text`, so the masked value always decodes, in
 * either format. A field with no table behind it (an expression) is masked when its name is a masked column's:
 * statements that could launder a masked column through an expression are refused before that (sql-mask-check).
 * Pure: no I/O.
 */
import { createHmac } from 'node:crypto';
import type { ColumnMaskKind } from '../../policy/model.js';
import type { MaskCatalog } from '../backend.js';
import { Backend, frame } from './protocol/backend-messages.js';
import { ProtocolError } from './protocol/protocol-error.js';

/** Which catalog columns are masked, and how. */
export interface ResolvedMasks {
  /** `tableOid:attnum` → mask. */
  readonly columns: ReadonlyMap<string, ColumnMaskKind>;
  /** Lower-cased column name → mask, for fields no table stands behind. */
  readonly names: ReadonlyMap<string, ColumnMaskKind>;
  /** What the catalog adds for the statement check (mask-dependents.ts); without it every statement is refused. */
  readonly catalog?: MaskCatalog;
}

/** What to do with each field of a result: its mask, or undefined to pass it as it is. */
export type RowPlan = readonly (FieldMask | undefined)[];

export interface FieldMask {
  readonly kind: ColumnMaskKind;
  /** The value arrives in binary and its type is not text-like: only a mask that ignores the text can apply. */
  readonly opaque: boolean;
}

/** Stronger masks win when two name the same column: redact shows nothing, hash equality, last4 a suffix. */
const STRENGTH: Readonly<Record<ColumnMaskKind, number>> = { redact: 3, hash: 2, last4: 1 };

export function strongerMask(a: ColumnMaskKind | undefined, b: ColumnMaskKind): ColumnMaskKind {
  return a === undefined || STRENGTH[b] > STRENGTH[a] ? b : a;
}

const TEXT_OID = 25;
/** Types whose binary form is their text in UTF-8 (text, varchar, bpchar, name, unknown, "char"). */
const TEXT_LIKE_OIDS: ReadonlySet<number> = new Set([25, 1043, 1042, 19, 705, 18]);

/**
 * Reads a RowDescription body: the fields to mask, and the body to send the client instead (masked fields
 * announced as `text`), or undefined when no field is masked.
 */
export function planRowDescription(
  body: Buffer,
  masks: ResolvedMasks,
): { readonly plan: RowPlan; readonly rewritten: Buffer | undefined } {
  if (body.length < 2) throw new ProtocolError('the upstream server sent a truncated RowDescription');
  const count = body.readInt16BE(0);
  const plan: (FieldMask | undefined)[] = [];
  let rewritten: Buffer | undefined;
  let offset = 2;
  for (let i = 0; i < count; i++) {
    const nameEnd = body.indexOf(0, offset);
    if (nameEnd < 0 || nameEnd + 19 > body.length) {
      throw new ProtocolError('the upstream server sent a truncated RowDescription');
    }
    const name = body.toString('utf8', offset, nameEnd);
    const fixed = nameEnd + 1;
    const tableOid = body.readUInt32BE(fixed);
    const attnum = body.readInt16BE(fixed + 4);
    const typeOid = body.readUInt32BE(fixed + 6);
    const format = body.readInt16BE(fixed + 16);
    const kind = tableOid === 0 ? masks.names.get(name.toLowerCase()) : masks.columns.get(`${tableOid}:${attnum}`);
    if (kind === undefined) {
      plan.push(undefined);
    } else {
      plan.push({ kind, opaque: format === 1 && !TEXT_LIKE_OIDS.has(typeOid) });
      rewritten ??= Buffer.from(body);
      rewritten.writeUInt32BE(TEXT_OID, fixed + 6);
      rewritten.writeInt16BE(-1, fixed + 10);
      rewritten.writeInt32BE(-1, fixed + 12);
    }
    offset = fixed + 18;
  }
  return { plan, rewritten };
}

/** Whether any field of `plan` is masked (rows of other results stream through untouched). */
export function masksAny(plan: RowPlan): boolean {
  return plan.some((field) => field !== undefined);
}

/** The DataRow message to send instead of one whose body is `body`, masked by `plan`. */
export function maskDataRow(body: Buffer, plan: RowPlan, hashKey: Uint8Array): Buffer {
  if (body.length < 2) throw new ProtocolError('the upstream server sent a truncated DataRow');
  const count = body.readInt16BE(0);
  if (count !== plan.length) {
    throw new ProtocolError(`the upstream server sent a row of ${count} fields for a result of ${plan.length}`);
  }
  const parts: Buffer[] = [body.subarray(0, 2)];
  let offset = 2;
  for (let i = 0; i < count; i++) {
    if (offset + 4 > body.length) throw new ProtocolError('the upstream server sent a truncated DataRow');
    const length = body.readInt32BE(offset);
    const end = offset + 4 + Math.max(length, 0);
    if (end > body.length) throw new ProtocolError('the upstream server sent a truncated DataRow');
    const field = plan[i];
    if (field === undefined || length < 0) {
      parts.push(body.subarray(offset, end));
    } else {
      const masked = maskValue(field, body.subarray(offset + 4, end), hashKey);
      const header = Buffer.allocUnsafe(4);
      header.writeInt32BE(masked.length, 0);
      parts.push(header, masked);
    }
    offset = end;
  }
  return frame(Backend.dataRow, Buffer.concat(parts));
}

const REDACTED = '****';

/** One value masked: `redact` → `****`; `last4` → `****` and its last four characters; `hash` → keyed digest. */
export function maskValue(field: FieldMask, value: Buffer, hashKey: Uint8Array): Buffer {
  switch (field.kind) {
    case 'redact':
      return Buffer.from(REDACTED);
    case 'last4': {
      if (field.opaque) return Buffer.from(REDACTED);
      const characters = [...value.toString('utf8')];
      return Buffer.from(characters.length <= 4 ? REDACTED : `${REDACTED}${characters.slice(-4).join('')}`, 'utf8');
    }
    case 'hash':
      // Keyed, so a guessable value (an e-mail address) cannot be found by hashing candidates; stable across
      // sessions and gateways sharing the key, so masked values can still be joined and counted.
      return Buffer.from(createHmac('sha256', hashKey).update(value).digest('hex').slice(0, 16), 'utf8');
  }
}
