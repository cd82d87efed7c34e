import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openLine, sealLine } from './journal-seal.js';
import type { JournalRecord } from './session-records.js';

const key = randomBytes(32);
const error = { message: 'duplicate key value', detail: 'Key (email)=(ann@example.com) already exists.', hint: 'h' };
const outcome: JournalRecord = { t: 'o', id: 'gws_1', seq: 3, rows: 0, bytes: 0, ms: 1, code: '23505', error };

describe('the journal seal of an outcome', () => {
  it("keeps a failed statement's error text sealed on disk and opens it back", () => {
    const sealed = sealLine(key, outcome);
    expect(JSON.stringify(sealed)).not.toContain('ann@example.com');
    expect(JSON.stringify(sealed)).not.toContain('duplicate key');
    expect(sealed).toMatchObject({ t: 'o', code: '23505', sealed: expect.any(String) });
    expect(openLine(key, JSON.parse(JSON.stringify(sealed)) as JournalRecord)).toEqual(outcome);
  });

  it('leaves an outcome with no error text as it is', () => {
    const plain: JournalRecord = { t: 'o', id: 'gws_1', seq: 4, rows: 1, bytes: 9, ms: 1, tag: 'SELECT 1' };
    expect(sealLine(key, plain)).toEqual(plain);
  });

  it('does not open an error moved to another statement, nor passed off as a statement text', () => {
    const sealed = sealLine(key, outcome) as Extract<JournalRecord, { t: 'o' }>;
    expect(() => openLine(key, { ...sealed, seq: 4 })).toThrow(/does not open/);
    const statement: JournalRecord = {
      t: 's',
      id: 'gws_1',
      seq: 3,
      at: 1,
      sql: '',
      facts: [],
      decision: { allowed: true, builtIn: false, message: 'allowed' },
      sealed: sealed.sealed!,
    };
    expect(() => openLine(key, statement)).toThrow(/does not open/);
    expect(() => openLine(randomBytes(32), sealed)).toThrow(/does not open/);
  });
});
