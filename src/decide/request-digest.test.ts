import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { requestDigest } from './request-digest.js';

const base = {
  resource: 'payments-db',
  action: 'run-sql',
  params: { sql: 'select 1', limit: 10 },
  durationSeconds: 600,
};

describe('requestDigest', () => {
  it('is a SHA-256 hex string', () => {
    expect(requestDigest(base)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('does not depend on the order of parameter keys', () => {
    expect(requestDigest({ ...base, params: { limit: 10, sql: 'select 1' } })).toBe(requestDigest(base));
  });

  it('treats absent parameters like empty ones', () => {
    expect(requestDigest({ resource: 'r', action: 'a', durationSeconds: 1 })).toBe(
      requestDigest({ resource: 'r', action: 'a', params: {}, durationSeconds: 1 }),
    );
  });

  it('ignores justification and ticket, which are context rather than content', () => {
    const withContext = { ...base, justification: 'because', ticket: 'CHG-1', requester: 'alice' };
    expect(requestDigest(withContext)).toBe(requestDigest(base));
  });

  it.each([
    { name: 'resource', change: { resource: 'other-db' } },
    { name: 'action', change: { action: 'read' } },
    { name: 'duration', change: { durationSeconds: 601 } },
    { name: 'a parameter value', change: { params: { sql: 'drop table x', limit: 10 } } },
    { name: 'a parameter type', change: { params: { sql: 'select 1', limit: '10' } } },
  ])('changes when the $name changes', ({ change }) => {
    expect(requestDigest({ ...base, ...change })).not.toBe(requestDigest(base));
  });

  it('never collides for distinct contents with field values shifted between fields', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), fc.string(), (a, b, c, d) => {
        fc.pre(a !== c || b !== d);
        expect(requestDigest({ resource: a, action: b, durationSeconds: 1 })).not.toBe(
          requestDigest({ resource: c, action: d, durationSeconds: 1 }),
        );
      }),
    );
  });
});
