import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../core/canonical-json.js';
import { AppError } from '../core/errors.js';
import {
  assertNoClearSecrets,
  findClearSecrets,
  hmacValue,
  isSensitiveKey,
  redactDetails,
  secretLookalike,
  withoutSecrets,
} from './redact.js';

const key = Buffer.alloc(32, 1);
const sealed = (value: string) => `hmac-sha256:${createHmac('sha256', key).update(value).digest('hex')}`;

describe('sensitive keys', () => {
  it.each([
    ['password', true],
    ['db_password', true],
    ['DB-PASSWORD', true],
    ['clientSecret', true],
    ['accessToken', true],
    ['credential', true],
    ['apiKey', true],
    ['dsn', true],
    ['connectionString', true],
    ['Authorization', true],
    ['rows', true],
    ['stdout', true],
    ['sqlResult', true],
    ['tokenId', false],
    ['secretEnv', false],
    ['dsnEnv', false],
    ['credentialExpiresAt', false],
    ['passwordFile', false],
    ['rowCount', false],
    ['justification', false],
    ['ticket', false],
    ['approver', false],
  ])('%s is sensitive: %s', (name, sensitive) => {
    expect(isSensitiveKey(name)).toBe(sensitive);
  });
});

describe('redacting audit details', () => {
  it('values under sensitive keys become HMACs, anywhere in the tree', () => {
    const details = redactDetails(
      { grant: { role: 'cs_tmp_1', password: 'hunter2' }, attempts: [{ token: 'abc' }], justification: 'incident 42' },
      key,
    );
    expect(details).toEqual({
      grant: { role: 'cs_tmp_1', password: sealed('hunter2') },
      attempts: [{ token: sealed('abc') }],
      justification: 'incident 42',
    });
  });

  it('a structured sensitive value is sealed whole, as its canonical JSON', () => {
    const rows = [{ id: 1, email: 'a@example.com' }];
    expect(redactDetails({ rows, rowCount: 1 }, key)).toEqual({ rows: sealed(canonicalJson(rows)), rowCount: 1 });
  });

  it('null stays null, undefined members are dropped, and sealed values are not sealed twice', () => {
    const once = redactDetails({ secret: 'x', token: null, note: undefined }, key);
    expect(once).toEqual({ secret: sealed('x'), token: null });
    expect(redactDetails(once, key)).toEqual(once);
  });

  it.each([
    ['a URL with a password', 'connect with postgres://app:s3cret@db.internal/pay please'],
    ['a PEM private key', '-----BEGIN PRIVATE KEY-----\nMC4CAQ...'],
    ['a JWT', 'Bearer eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl'],
  ])('%s is sealed even under a harmless key', (_kind, value) => {
    expect(redactDetails({ justification: value }, key)).toEqual({ justification: sealed(value) });
  });

  it('the HMAC is deterministic under one key and differs under another', () => {
    expect(hmacValue(key, 'v')).toBe(hmacValue(key, 'v'));
    expect(hmacValue(key, 'v')).not.toBe(hmacValue(Buffer.alloc(32, 2), 'v'));
    expect(hmacValue(key, 'v')).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
  });

  it('details that are not a JSON object are refused', () => {
    expect(() => redactDetails([] as unknown as Record<string, unknown>, key)).toThrow(AppError);
    expect(() => redactDetails({ when: new Date(0) }, key)).toThrow(/object at 'details.when'/);
  });
});

describe('taking the credentials out of readable output', () => {
  const key = new Uint8Array(32).fill(7);
  const hidden = (secret: string) => `[secret ${hmacValue(key, secret).replace(':', ' ')}]`;

  it("replaces a URL's password, a JWT and a PEM private key by their HMAC and keeps the text around them", () => {
    const jwt = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2ln';
    const pem = '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----';
    const text = `select 1 -- postgres://app:pw@db/x ${jwt}\n${pem}\nend`;
    expect(withoutSecrets(key, text)).toBe(
      `select 1 -- postgres://app:${hidden('pw')}@db/x ${hidden(jwt)}\n${hidden(pem)}\nend`,
    );
  });

  it('hides the rest of the text after a private key with no END line', () => {
    const text = 'a -----BEGIN RSA PRIVATE KEY-----\nMIIE and more';
    expect(withoutSecrets(key, text)).toBe(`a ${hidden('-----BEGIN RSA PRIVATE KEY-----\nMIIE and more')}`);
  });

  it('never returns text that still looks like a credential, whatever the text around and between credentials', () => {
    const fragment = fc.constantFrom('x://a:b@c', 'p://u:v@', '@', ':', '//', 'eyJabcd.', 'eyJabcd', '.x', ' ', '\n');
    const pieces = fc.array(fc.oneof(fragment, fc.string({ maxLength: 6 })), { maxLength: 12 });
    fc.assert(
      fc.property(pieces, (parts) => {
        const cleaned = withoutSecrets(key, parts.join(''));
        return cleaned === undefined || secretLookalike(cleaned) === undefined;
      }),
      { numRuns: 2000 },
    );
  });

  it('never returns text that still looks like a credential', () => {
    for (const text of ['x://a:b@c', 'x://a:b@c://d:e@f', 'eyJabcd.eyJabcd.x eyJabcd.eyJabcd.y', 'p://u:v@w@z']) {
      const cleaned = withoutSecrets(key, text);
      expect(cleaned === undefined || secretLookalike(cleaned) === undefined).toBe(true);
      expect(cleaned ?? '').not.toMatch(/:b@|:e@|:v@/);
    }
  });
});

describe('the clear-secret guard', () => {
  it('names every path that carries a secret in clear, never the secret', () => {
    const found = findClearSecrets({
      password: 'hunter2',
      nested: { clientSecret: 'abc', ok: sealed('x') },
      notes: ['postgres://u:pw@h/db'],
      token: null,
    });
    expect(found.map((item) => item.message)).toEqual([
      "audit details carry 'details.password' in clear; it must be HMAC'd",
      "audit details carry 'details.nested.clientSecret' in clear; it must be HMAC'd",
      "audit details carry a URL with a password in clear at 'details.notes[0]'",
    ]);
    expect(JSON.stringify(found)).not.toMatch(/hunter2|abc|pw@/);
  });

  it('redacted details pass the guard, clear ones are refused', () => {
    const raw = { credential: { user: 'u', password: 'p' } };
    expect(() => assertNoClearSecrets(raw)).toThrow(AppError);
    expect(() => assertNoClearSecrets(redactDetails(raw, key))).not.toThrow();
  });
});
