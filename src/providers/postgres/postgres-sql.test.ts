import { describe, expect, it } from 'vitest';
import {
  MAX_IDENTIFIER_BYTES,
  installationIdProblem,
  managedComment,
  parseManagedComment,
  temporaryRoleName,
  temporaryRolePrefix,
} from './postgres-sql.js';

describe('temporary role names', () => {
  it.each([
    ['grant', 'req_01HZX9ABCDEF0123456789', /^cs_0123456789abcdef_ef0123456789_[0-9a-f]{10}$/],
    ['execute', 'req_01HZX9ABCDEF0123456789', /^csx_0123456789abcdef_ef0123456789_[0-9a-f]{10}$/],
    ['grant', '---', /^cs_0123456789abcdef_req_[0-9a-f]{10}$/],
  ] as const)('the %s role of %s carries the installation id and fits in an identifier', (kind, request, pattern) => {
    const name = temporaryRoleName('0123456789abcdef', request, kind);
    expect(name).toMatch(pattern);
    expect(name.startsWith(temporaryRolePrefix('0123456789abcdef', kind))).toBe(true);
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(MAX_IDENTIFIER_BYTES);
  });

  it('with an idempotency key the name is fixed by the key: the same key names the same role, another key another', () => {
    const named = (key: string) => temporaryRoleName('0123456789abcdef', 'req_01HZX9ABCDEF0123456789', 'grant', key);
    const key = 'grt_AbCdEfGhIjKlMnOpQrStUvWx';
    expect(named(key)).toMatch(/^cs_0123456789abcdef_ef0123456789_[0-9a-f]{10}$/);
    expect(named(key)).toBe(named(key));
    expect(named(key)).not.toBe(named('grt_another'));
    expect(Buffer.byteLength(named(key))).toBeLessThanOrEqual(MAX_IDENTIFIER_BYTES);
  });

  it('one installation’s grant prefix never starts another’s', () => {
    expect(temporaryRolePrefix('ab', 'grant').startsWith(temporaryRolePrefix('a', 'grant'))).toBe(false);
  });
});

describe('installation ids', () => {
  it.each([
    ['0123456789abcdef', undefined],
    ['a', undefined],
    ['', 'the installation id must be 1 to 16 lower-case letters or digits'],
    ['0123456789abcdef0', 'the installation id must be 1 to 16 lower-case letters or digits'],
    ['ABC', 'the installation id must be 1 to 16 lower-case letters or digits'],
    ['a_b', 'the installation id must be 1 to 16 lower-case letters or digits'],
    [undefined, 'the installation id must be 1 to 16 lower-case letters or digits'],
  ])('%j is %s', (id, problem) => {
    expect(installationIdProblem(id)).toBe(problem);
  });
});

describe('the managed comment', () => {
  it('round-trips the installation, request, resource and creation time', () => {
    const mark = { installation: 'abc', requestId: 'req_1', resource: 'db', createdAt: 42 };
    expect(parseManagedComment(managedComment(mark))).toEqual(mark);
  });

  it.each([
    [
      'a comment made before installation ids',
      'countersign:{"request":"r","resource":"db","created":1}',
      {
        requestId: 'r',
        resource: 'db',
        createdAt: 1,
      },
    ],
    [
      'an installation that is not a string',
      'countersign:{"installation":7,"request":"r","resource":"db","created":1}',
      undefined,
    ],
    ['another prefix', 'other:{"request":"r","resource":"db","created":1}', undefined],
    ['broken JSON', 'countersign:{', undefined],
    ['no comment', null, undefined],
  ])('%s reads as %j', (_name, comment, mark) => {
    expect(parseManagedComment(comment)).toEqual(mark);
  });
});
