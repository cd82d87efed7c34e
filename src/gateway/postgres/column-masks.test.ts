import { describe, expect, it } from 'vitest';
import { maskDataRow, maskValue, planRowDescription, strongerMask, type ResolvedMasks } from './column-masks.js';
import { catalogQuery, matchMasks } from './mask-resolution.js';

interface Field {
  name: string;
  table: number;
  attnum: number;
  type: number;
  format?: 0 | 1;
}

function rowDescription(fields: readonly Field[]): Buffer {
  const parts = [Buffer.from([0, fields.length])];
  for (const field of fields) {
    const fixed = Buffer.alloc(18);
    fixed.writeUInt32BE(field.table, 0);
    fixed.writeInt16BE(field.attnum, 4);
    fixed.writeUInt32BE(field.type, 6);
    fixed.writeInt16BE(field.type === 23 ? 4 : -1, 10);
    fixed.writeInt32BE(-1, 12);
    fixed.writeInt16BE(field.format ?? 0, 16);
    parts.push(Buffer.from(`${field.name}\0`), fixed);
  }
  return Buffer.concat(parts);
}

function dataRow(values: readonly (string | null)[]): Buffer {
  const parts = [Buffer.from([0, values.length])];
  for (const value of values) {
    const length = Buffer.alloc(4);
    length.writeInt32BE(value === null ? -1 : Buffer.byteLength(value), 0);
    parts.push(length, value === null ? Buffer.alloc(0) : Buffer.from(value));
  }
  return Buffer.concat(parts);
}

const MASKS: ResolvedMasks = {
  columns: new Map([
    ['16384:2', 'hash'],
    ['16384:3', 'last4'],
  ]),
  names: new Map([['email', 'hash']]),
};
const KEY = Buffer.alloc(32, 1);

describe('column masks', () => {
  it('a RowDescription field is masked by its table and column number, whatever its name, and retyped as text', () => {
    const body = rowDescription([
      { name: 'id', table: 16384, attnum: 1, type: 23 },
      { name: 'contact', table: 16384, attnum: 2, type: 1043 },
      { name: 'card', table: 16384, attnum: 3, type: 23, format: 1 },
    ]);
    const { plan, rewritten } = planRowDescription(body, MASKS);
    expect(plan).toEqual([undefined, { kind: 'hash', opaque: false }, { kind: 'last4', opaque: true }]);
    const retyped = planRowDescription(rewritten!, { columns: new Map(), names: new Map() });
    expect(retyped.rewritten).toBeUndefined();
    // The second field's type is now text (25) with no length or modifier; the first is untouched.
    expect(rewritten!.readUInt32BE(2 + 3 + 6)).toBe(23);
    const second = 2 + 3 + 18 + 8;
    expect(rewritten!.readUInt32BE(second + 6)).toBe(25);
    expect(rewritten!.readInt16BE(second + 10)).toBe(-1);
  });

  it('a field with no table behind it is masked by its name; one of another table is not', () => {
    const body = rowDescription([
      { name: 'EMAIL', table: 0, attnum: 0, type: 25 },
      { name: 'email', table: 99999, attnum: 2, type: 25 },
    ]);
    expect(planRowDescription(body, MASKS).plan).toEqual([{ kind: 'hash', opaque: false }, undefined]);
  });

  it('a DataRow keeps NULLs and unmasked fields as they are and masks the others', () => {
    const plan = [undefined, { kind: 'last4', opaque: false }, { kind: 'redact', opaque: false }] as const;
    const masked = maskDataRow(dataRow(['1', '4111111111111111', null]), plan, KEY);
    expect(masked[0]).toBe(0x44);
    expect(masked.subarray(5)).toEqual(dataRow(['1', '****1111', null]));
  });

  it('a row whose field count differs from its description is a protocol error, as is a truncated one', () => {
    expect(() => maskDataRow(dataRow(['1']), [undefined, undefined], KEY)).toThrow(/2/);
    expect(() => maskDataRow(dataRow(['abcdef']).subarray(0, 8), [undefined], KEY)).toThrow(/truncated/);
    expect(() => planRowDescription(Buffer.from([0, 1, 0x61]), MASKS)).toThrow(/truncated/);
  });

  it('last4 counts characters, not bytes, and never shows a short value', () => {
    const last4 = { kind: 'last4', opaque: false } as const;
    expect(maskValue(last4, Buffer.from('zürich-Ünïcode'), KEY).toString()).toBe('****code');
    expect(maskValue(last4, Buffer.from('日本語のテキスト'), KEY).toString()).toBe('****テキスト');
    expect(maskValue(last4, Buffer.from('1234'), KEY).toString()).toBe('****');
    expect(maskValue({ kind: 'last4', opaque: true }, Buffer.from([0, 0, 4, 210]), KEY).toString()).toBe('****');
  });

  it('hash is keyed and stable: equal values match, other keys or values do not', () => {
    const hash = { kind: 'hash', opaque: false } as const;
    const a = maskValue(hash, Buffer.from('ada@example.com'), KEY).toString();
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(maskValue(hash, Buffer.from('ada@example.com'), KEY).toString()).toBe(a);
    expect(maskValue(hash, Buffer.from('ada@example.com'), Buffer.alloc(32, 2)).toString()).not.toBe(a);
    expect(maskValue(hash, Buffer.from('bob@example.com'), KEY).toString()).not.toBe(a);
  });

  it('the stronger of two masks on one column wins', () => {
    expect(strongerMask('last4', 'hash')).toBe('hash');
    expect(strongerMask('redact', 'last4')).toBe('redact');
    expect(strongerMask(undefined, 'last4')).toBe('last4');
  });
});

describe('mask resolution', () => {
  // [relid, attnum, column, relation, schema, ancestors as JSON]
  const ROWS = [
    ['100', '2', 'email', 'users', 'public', '[]'],
    ['200', '3', 'email', 'users', 'audit', '[]'],
    ['300', '2', 'email', 'users_2024', 'public', '[["public","users"]]'],
    ['400', '4', 'email', 'orders', 'public', '[]'],
  ];

  it('a mask with a table names that relation in any schema and its partitions; a qualified one its schema only', () => {
    expect([...matchMasks([{ table: 'Users', column: 'EMAIL', mask: 'hash' }], ROWS).columns.keys()]).toEqual([
      '100:2',
      '200:3',
      '300:2',
    ]);
    expect([...matchMasks([{ table: 'audit.users', column: 'email', mask: 'hash' }], ROWS).columns.keys()]).toEqual([
      '200:3',
    ]);
  });

  it('a mask without a table names every relation with the column, and its name covers expressions', () => {
    const resolved = matchMasks([{ column: 'email', mask: 'redact' }], ROWS);
    expect(resolved.columns.size).toBe(4);
    expect(resolved.names.get('email')).toBe('redact');
  });

  it("the catalog query quotes the masks' names as literals", () => {
    expect(catalogQuery([{ column: "e'); drop table x; --", mask: 'hash' }])).toContain(
      "IN ('e''); drop table x; --')",
    );
  });
});
