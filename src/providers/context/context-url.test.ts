import { describe, expect, it } from 'vitest';
import { readJsonPath } from './context-clients.js';
import { pathSegment, urlUnder } from './context-get.js';

describe('values from a request going into a context source URL', () => {
  it.each([
    ['OPS-1', 'OPS-1'],
    ['OPS-9/../OPS-1', 'OPS-9%2F..%2FOPS-1'],
    ['a?b#c', 'a%3Fb%23c'],
    ['x y', 'x%20y'],
  ])('%s becomes one encoded path segment', (value, encoded) => {
    expect(pathSegment(value)).toBe(encoded);
  });

  it.each(['', '.', '..', '%2e', '%2E%2e'])('%j is never a path segment (the URL parser would resolve it)', (value) => {
    expect(pathSegment(value)).toBeUndefined();
  });

  it('a URL must stay on the base URL’s origin and under its path', () => {
    expect(urlUnder('https://cmdb.example/api', '/services/x')?.toString()).toBe('https://cmdb.example/api/services/x');
    expect(urlUnder('https://cmdb.example/api', '/../admin')).toBeUndefined();
    expect(urlUnder('https://cmdb.example/api', '/%2e%2e/admin')).toBeUndefined();
    expect(urlUnder('https://cmdb.example/api', '@evil.example/')).toBeUndefined();
    expect(urlUnder('https://cmdb.example', '/x')?.origin).toBe('https://cmdb.example');
  });
});

describe('JSON paths of an http source', () => {
  const body = { data: { owner: 'alice', items: [{ id: 7 }], __proto__x: 1 } };
  it('read dotted names and list indices', () => {
    expect(readJsonPath(body, '$.data.owner')).toBe('alice');
    expect(readJsonPath(body, '$.data.items[0].id')).toBe(7);
    expect(readJsonPath(body, '$')).toBe(body);
  });
  it('give undefined for anything missing, and never read inherited properties', () => {
    expect(readJsonPath(body, '$.data.team')).toBeUndefined();
    expect(readJsonPath(body, '$.data.items[3].id')).toBeUndefined();
    expect(readJsonPath(body, '$.data.constructor')).toBeUndefined();
  });
});
