import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../core/canonical-json.js';
import { EMPTY_HEAD, hashEvent, MAX_DETAILS_LENGTH, nextAuditEvent, type NewAuditEvent } from './audit-event.js';
import { assertNoClearSecrets, findClearSecrets, hmacValue, redactDetails } from './redact.js';
import { dataKeyId, decryptValue, encryptValue, openSealedValues, type SealBinding } from './seal.js';

const hmacKey = Buffer.alloc(32, 5);
const dataKey = Buffer.alloc(32, 9);
const ROW_DATA = 'secret.person@example.org';
const failed: NewAuditEvent = {
  time: 1_700_000_000_000,
  actor: 'alice',
  action: 'request.execute_failed',
  subject: 'request:req_1',
  details: { provider: 'postgres', providerError: `Key (email)=(${ROW_DATA}) already exists.` },
};
const binding: SealBinding = { seq: 1, prevHash: EMPTY_HEAD.hash, actor: 'a', action: 'x.y', subject: 's:1' };

describe('encrypting one value', () => {
  it('a value encrypted for an event and pointer decrypts for exactly those', () => {
    const copy = encryptValue(dataKey, binding, '/providerError', '"duplicate"');
    expect(copy).toMatch(new RegExp(`^aes-256-gcm:${dataKeyId(dataKey)}:[A-Za-z0-9_-]+$`));
    expect(decryptValue(dataKey, binding, '/providerError', copy)).toEqual({ plaintext: '"duplicate"' });
  });

  it('two encryptions of one value differ (random nonce), so equal values do not correlate', () => {
    const once = encryptValue(dataKey, binding, '/p', '"v"');
    expect(encryptValue(dataKey, binding, '/p', '"v"')).not.toBe(once);
  });

  it.each([
    ['another seq', { ...binding, seq: 2 }, '/providerError'],
    ['another previous hash', { ...binding, prevHash: 'f'.repeat(64) }, '/providerError'],
    ['another action', { ...binding, action: 'request.complete' }, '/providerError'],
    ['another subject', { ...binding, subject: 's:2' }, '/providerError'],
    ['another actor', { ...binding, actor: 'mallory' }, '/providerError'],
    ['another member of the event', binding, '/output'],
  ])('a copy read as if written for %s does not open', (_what, other, pointer) => {
    const copy = encryptValue(dataKey, binding, '/providerError', '"duplicate"');
    expect(decryptValue(dataKey, other, pointer, copy)).toMatchObject({ sealed: 'not_authentic' });
  });

  it('an altered copy does not open, and a copy under another key says which key it needs', () => {
    const copy = encryptValue(dataKey, binding, '/p', '"value"');
    const [prefix, keyId, encoded = ''] = copy.split(':');
    const bytes = Buffer.from(encoded, 'base64url');
    bytes[12] = (bytes[12] ?? 0) ^ 1; // the first ciphertext byte, after the nonce
    const flipped = `${prefix}:${keyId}:${bytes.toString('base64url')}`;
    expect(decryptValue(dataKey, binding, '/p', flipped)).toMatchObject({ sealed: 'not_authentic' });
    expect(decryptValue(dataKey, binding, '/p', 'aes-256-gcm:zz:abc')).toMatchObject({ sealed: 'not_authentic' });
    const other = Buffer.alloc(32, 1);
    expect(decryptValue(other, binding, '/p', copy)).toEqual({
      sealed: 'other_key',
      message: `sealed under audit data key '${dataKeyId(dataKey)}'; this reader holds '${dataKeyId(other)}'`,
    });
  });
});

describe('output values in audit events', () => {
  it('an event keeps the HMAC of a provider error and an encrypted copy that opens to it', () => {
    const event = nextAuditEvent(EMPTY_HEAD, failed, { hmacKey, dataKey });
    expect(event.detailsJson).not.toContain(ROW_DATA);
    expect(event.details.providerError).toBe(hmacValue(hmacKey, `Key (email)=(${ROW_DATA}) already exists.`));
    expect(Object.keys(event.details.sealed as object)).toEqual(['/providerError']);
    expect(event.hash).toBe(hashEvent(EMPTY_HEAD.hash, event));
    expect(findClearSecrets(event.details)).toEqual([]);
    expect(openSealedValues(event, { hmacKey, dataKey })).toEqual({
      '/providerError': { value: `Key (email)=(${ROW_DATA}) already exists.` },
    });
  });

  it('structured output opens to its JSON, wherever it is nested', () => {
    const output = { columns: ['email'], rows: [[ROW_DATA]] };
    const event = nextAuditEvent(
      EMPTY_HEAD,
      { ...failed, details: { steps: [{ name: 'a/b', output }], summary: { rowCount: 1 } } },
      { hmacKey, dataKey },
    );
    expect(event.detailsJson).not.toContain(ROW_DATA);
    expect(openSealedValues(event, { hmacKey, dataKey })).toEqual({ '/steps/0/output': { value: output } });
  });

  it('members whose names hold / or ~ are named by escaped JSON Pointers (RFC 6901)', () => {
    const event = nextAuditEvent(
      EMPTY_HEAD,
      { ...failed, details: { 'a/b~c': { stdout: 'hi' } } },
      { hmacKey, dataKey },
    );
    expect(openSealedValues(event, { hmacKey, dataKey })).toEqual({ '/a~1b~0c/stdout': { value: 'hi' } });
  });

  it('credentials get no copy, and output keeps its copy with each credential-looking part replaced by its HMAC', () => {
    const jwt = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2ln';
    const event = nextAuditEvent(
      EMPTY_HEAD,
      { ...failed, details: { password: 'hunter2', apiToken: 'tok', stdout: `Bearer ${jwt} ok`, stderr: null } },
      { hmacKey, dataKey },
    );
    expect(Object.keys(event.details.sealed as object)).toEqual(['/stdout']);
    const hidden = `[secret ${hmacValue(hmacKey, jwt).replace(':', ' ')}]`;
    expect(openSealedValues(event, { hmacKey, dataKey })).toEqual({ '/stdout': { value: `Bearer ${hidden} ok` } });
    expect(JSON.stringify(event)).not.toContain(jwt);
  });

  it('a secret inside structured output stays HMAC only inside the opened value', () => {
    const event = nextAuditEvent(
      EMPTY_HEAD,
      { ...failed, details: { output: { rows: [['postgres://app:pw@db/x']], password: 'hunter2' } } },
      { hmacKey, dataKey },
    );
    const opened = openSealedValues(event, { hmacKey, dataKey })['/output'];
    expect(JSON.stringify(opened)).not.toMatch(/hunter2|app:pw/);
    expect(opened).toEqual({
      value: { rows: [[hmacValue(hmacKey, 'postgres://app:pw@db/x')]], password: hmacValue(hmacKey, 'hunter2') },
    });
  });

  it('without the data key values stay sealed and say so; without a copy they say it is HMAC only', () => {
    const sealed = nextAuditEvent(EMPTY_HEAD, failed, { hmacKey, dataKey });
    expect(openSealedValues(sealed, { hmacKey })).toEqual({
      '/providerError': { sealed: 'no_key', message: expect.stringContaining('audit-data.key') },
    });
    const hmacOnly = nextAuditEvent(EMPTY_HEAD, failed, { hmacKey });
    expect(hmacOnly.details.sealed).toBeUndefined();
    expect(openSealedValues(hmacOnly, { hmacKey, dataKey })).toEqual({
      '/providerError': { sealed: 'hmac_only', message: expect.any(String) },
    });
  });

  it('a copy moved into another event, or onto another value, does not open', () => {
    const first = nextAuditEvent(EMPTY_HEAD, failed, { hmacKey, dataKey });
    const second = nextAuditEvent(first, failed, { hmacKey, dataKey });
    const moved = { ...second, details: { ...second.details, sealed: first.details.sealed ?? null } };
    expect(openSealedValues(moved, { hmacKey, dataKey })['/providerError']).toMatchObject({ sealed: 'not_authentic' });
    const copy = (first.details.sealed as Record<string, string>)['/providerError'];
    const swapped = {
      ...first,
      details: { ...first.details, stderr: first.details.providerError ?? null, sealed: { '/stderr': copy ?? '' } },
    };
    expect(openSealedValues(swapped, { hmacKey, dataKey })['/stderr']).toMatchObject({ sealed: 'not_authentic' });
  });

  it('an opened value must match the HMAC the chain holds for it', () => {
    const event = nextAuditEvent(EMPTY_HEAD, failed, { hmacKey, dataKey });
    const relabelled = { ...event, details: { ...event.details, providerError: hmacValue(hmacKey, 'other text') } };
    expect(openSealedValues(relabelled, { hmacKey, dataKey })['/providerError']).toEqual({
      sealed: 'not_authentic',
      message: expect.stringContaining('does not match the HMAC'),
    });
  });

  it('a copy that would not fit the event is left out, and the event is still written', () => {
    const big = 'x'.repeat(Math.floor(MAX_DETAILS_LENGTH * 0.8));
    const event = nextAuditEvent(EMPTY_HEAD, { ...failed, details: { stdout: big } }, { hmacKey, dataKey });
    expect(event.details).toEqual({ stdout: hmacValue(hmacKey, big) });
  });

  it('when copies do not all fit, the largest are left out first and the others stay readable', () => {
    const large = 'p'.repeat(Math.floor(MAX_DETAILS_LENGTH * 0.6));
    const text = 'select $1 /* ' + 't'.repeat(Math.floor(MAX_DETAILS_LENGTH * 0.2)) + ' */';
    const event = nextAuditEvent(
      EMPTY_HEAD,
      { ...failed, details: { statementText: text, statementParams: [large] } },
      { hmacKey, dataKey },
    );
    expect(openSealedValues(event, { hmacKey, dataKey })).toEqual({
      '/statementText': { value: text },
      '/statementParams': { sealed: 'hmac_only', message: expect.any(String) },
    });
  });

  it('details may not bring a sealed member of their own, and the guard refuses clear text under it', () => {
    expect(() => redactDetails({ sealed: { '/x': 'text' } }, hmacKey)).toThrow(/may not carry 'sealed'/);
    expect(() => assertNoClearSecrets({ sealed: { '/providerError': ROW_DATA } })).toThrow(/not encrypted copies/);
    expect(() => assertNoClearSecrets({ sealed: ROW_DATA })).toThrow(/not encrypted copies/);
    const copy = encryptValue(dataKey, binding, '/p', canonicalJson('v'));
    expect(findClearSecrets({ sealed: { '/p': copy } })).toEqual([]);
    expect(findClearSecrets({ sealed: { p: copy } })).toHaveLength(1);
    expect(findClearSecrets({ nested: { sealed: ROW_DATA } })).toEqual([]);
  });
});
