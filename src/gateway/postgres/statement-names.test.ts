import { describe, expect, it } from 'vitest';
import { refusalPortal } from './protocol/frontend-builders.js';
import { MAX_NAME_BYTES, nameRefusal, PreparedNames } from './statement-names.js';

describe('the names a client gives statements and portals', () => {
  it('are used as given up to the 63 bytes the server keeps', () => {
    expect(nameRefusal('statement', '')).toBeUndefined();
    expect(nameRefusal('statement', `stmtcache_${'0'.repeat(48)}`)).toBeUndefined();
    expect(nameRefusal('portal', 'p'.repeat(MAX_NAME_BYTES))).toBeUndefined();
  });

  it('are refused past 63 bytes, counted in UTF-8, since the server would cut them to another name', () => {
    expect(nameRefusal('statement', 'a'.repeat(64))?.code).toBe('42622');
    expect(nameRefusal('portal', 'é'.repeat(32))?.code).toBe('42622');
  });

  it('are refused for portals in the gateway’s name space, in any case, but not for statements', () => {
    expect(nameRefusal('portal', 'countersign.refused-statement')?.code).toBe('42P03');
    expect(nameRefusal('portal', 'COUNTERSIGN.x')?.code).toBe('42P03');
    expect(nameRefusal('statement', 'countersign.x')).toBeUndefined();
  });

  it('leave the stand-in portal its own: random per session, reserved, and short enough to be kept whole', () => {
    const [one, two] = [refusalPortal(), refusalPortal()];
    expect(one).not.toBe(two);
    expect(nameRefusal('portal', one)?.code).toBe('42P03');
    expect(Buffer.byteLength(one)).toBeLessThanOrEqual(MAX_NAME_BYTES);
  });
});

describe('the prepared statements the server holds, as its answers tell', () => {
  it('takes a Parse to have worked within its batch, and only its answer settles it for later batches', () => {
    const names = new PreparedNames<string>();
    const parsed = names.parse('s1', 'insert');
    expect(names.bindable('s1')).toBe('insert');
    names.batchEnded();
    expect(names.bindable('s1')).toBe('insert'); // worked, or nothing: either way a Bind runs no other text
    parsed('done');
    expect(names.mayExist('s1')).toBe(true);
  });

  it('keeps a statement whose Close the server skipped, and cannot tell which one is bound until it answers', () => {
    const names = new PreparedNames<string>();
    names.parse('s1', 'insert')('done');
    names.batchEnded();
    const closed = names.drop('s1');
    names.batchEnded();
    expect(names.mayExist('s1')).toBe(true);
    closed('skipped');
    expect(names.bindable('s1')).toBe('insert');
  });

  it('cannot tell the unnamed statement while a Parse of it in an earlier batch is not answered', () => {
    const names = new PreparedNames<string>();
    names.parse('', 'insert')('done');
    names.batchEnded();
    const reparsed = names.parse('', 'select');
    names.batchEnded();
    expect(names.bindable('')).toBe('ambiguous');
    reparsed('skipped');
    expect(names.bindable('')).toBe('insert');
  });

  it('forgets the unnamed statement whose own Parse failed, once its batch ended', () => {
    const names = new PreparedNames<string>();
    names.parse('', 'insert')('done');
    names.batchEnded();
    names.parse('', 'select * from missing')('failed');
    expect(names.bindable('')).toBe('select * from missing'); // the rest of the batch is skipped anyway
    names.batchEnded();
    expect(names.bindable('')).toBeUndefined();
  });
});
