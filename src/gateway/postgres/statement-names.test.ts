import { describe, expect, it } from 'vitest';
import { refusalPortal } from './protocol/frontend-builders.js';
import { MAX_NAME_BYTES, nameRefusal } from './statement-names.js';

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
