import { describe, expect, it } from 'vitest';
import { matchesScimFilter, parseScimFilter, ScimFilterError } from './scim-filter.js';
import { applyScimPatch, type ScimDocument } from './scim-patch.js';

const user: ScimDocument = {
  userName: 'bjensen',
  name: { givenName: 'Barbara', familyName: 'Jensen' },
  emails: [
    { value: 'bjensen@example.com', type: 'work', primary: true },
    { value: 'babs@jensen.org', type: 'home' },
  ],
  active: true,
};

describe('SCIM PATCH (RFC 7644 §3.5.2)', () => {
  it.each([
    ['replace of a simple attribute', [{ op: 'replace', path: 'userName', value: 'babs' }], { userName: 'babs' }],
    [
      'an Entra ID "Replace" with a URN path',
      [{ op: 'Replace', path: 'urn:ietf:params:scim:schemas:core:2.0:User:userName', value: 'babs' }],
      { userName: 'babs' },
    ],
    [
      'a replace without a path, dotted keys included',
      [{ op: 'replace', value: { active: false, 'name.givenName': 'Babs' } }],
      { active: false, name: { givenName: 'Babs', familyName: 'Jensen' } },
    ],
    [
      'a sub-attribute of a complex attribute',
      [{ op: 'replace', path: 'name.familyName', value: 'Smith' }],
      { name: { givenName: 'Barbara', familyName: 'Smith' } },
    ],
    [
      'a value filter with a sub-attribute',
      [{ op: 'replace', path: 'emails[type eq "work"].value', value: 'b@example.com' }],
      {
        emails: [
          { value: 'b@example.com', type: 'work', primary: true },
          { value: 'babs@jensen.org', type: 'home' },
        ],
      },
    ],
    [
      'a remove by value filter',
      [{ op: 'remove', path: 'emails[type eq "home"]' }],
      { emails: [{ value: 'bjensen@example.com', type: 'work', primary: true }] },
    ],
    [
      'an add to a multi-valued attribute, without duplicates',
      [
        {
          op: 'add',
          path: 'emails',
          value: [
            { value: 'babs@jensen.org', type: 'home' },
            { value: 'x@y.z', type: 'other' },
          ],
        },
      ],
      { emails: [...(user.emails as object[]), { value: 'x@y.z', type: 'other' }] },
    ],
    [
      'a remove of an absent member (idempotent)',
      [{ op: 'remove', path: 'members[value eq "nobody"]' }],
      { members: [] },
    ],
  ])('applies %s', (_name, operations, expected) => {
    const result = applyScimPatch(user, operations);
    expect(result).toMatchObject({ ok: true, document: expected });
  });

  it('removes the members listed in the value (Entra ID) and the ones a filter names', () => {
    const group = { displayName: 'g', members: [{ value: 'a' }, { value: 'b' }, { value: 'c' }] };
    const listed = applyScimPatch(group, [{ op: 'Remove', path: 'members', value: [{ value: 'a' }, { value: 'c' }] }]);
    expect(listed).toEqual({ ok: true, document: { displayName: 'g', members: [{ value: 'b' }] } });
    const filtered = applyScimPatch(group, [{ op: 'remove', path: 'members[value eq "b"]' }]);
    expect(filtered).toMatchObject({ ok: true, document: { members: [{ value: 'a' }, { value: 'c' }] } });
  });

  it.each([
    [{ op: 'replace', path: 'id', value: 'x' }, 'mutability'],
    [{ op: 'remove' }, 'noTarget'],
    [{ op: 'copy', path: 'userName' }, 'invalidSyntax'],
    [{ op: 'replace', value: 'not an object' }, 'invalidValue'],
    [{ op: 'remove', path: 'emails[type eq]' }, 'invalidFilter'],
  ])('refuses %j with %s', (operation, scimType) => {
    expect(applyScimPatch(user, [operation])).toMatchObject({ ok: false, scimType });
  });

  it('leaves the document it was given unchanged', () => {
    const before = structuredClone(user);
    applyScimPatch(user, [{ op: 'replace', path: 'name.givenName', value: 'Changed' }]);
    expect(user).toEqual(before);
  });
});

describe('SCIM filters (RFC 7644 §3.4.2.2)', () => {
  it.each([
    ['userName eq "BJENSEN"', true],
    ['userName ne "bjensen"', false],
    ['name.familyName co "ense"', true],
    ['userName sw "bj" and active eq true', true],
    ['emails co "jensen.org"', true],
    ['emails[type eq "work" and value ew "example.com"]', true],
    ['title pr', false],
    ['not (active eq false) or title pr', true],
    ['active eq "True"', true],
  ])('%s is %s for Barbara', (filter, expected) => {
    expect(matchesScimFilter(user, parseScimFilter(filter))).toBe(expected);
  });

  it('compares externalId case-exactly', () => {
    expect(matchesScimFilter({ externalId: 'AbC' }, parseScimFilter('externalId eq "abc"'))).toBe(false);
  });

  it('refuses what is not a filter', () => {
    expect(() => parseScimFilter('userName eq')).toThrow(ScimFilterError);
    expect(() => parseScimFilter('x'.repeat(3000))).toThrow(ScimFilterError);
  });
});
