import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../core/canonical-json.js';
import { AppError } from '../core/errors.js';
import {
  AuditChain,
  canonicalEventBody,
  EMPTY_HEAD,
  GENESIS_HASH,
  hashEvent,
  MAX_DETAILS_LENGTH,
  nextAuditEvent,
  type NewAuditEvent,
} from './audit-event.js';

const hmacKey = Buffer.alloc(32, 7);
const approve: NewAuditEvent = {
  time: 1_700_000_000_000,
  actor: 'bob',
  action: 'request.approve',
  subject: 'request:req_1',
  details: { step: 0, justification: 'ticket OPS-12: rotate keys', reasons: [{ code: 'step_satisfied' }] },
};

describe('audit events', () => {
  it('the first event has seq 1 and chains from the genesis hash', () => {
    const event = nextAuditEvent(EMPTY_HEAD, approve, { hmacKey });
    expect(event.seq).toBe(1);
    expect(event.prevHash).toBe(GENESIS_HASH);
    expect(event.hash).toBe(hashEvent(GENESIS_HASH, event));
  });

  it('the hash is SHA-256 over the previous hash followed by the canonical event without links', () => {
    const event = nextAuditEvent({ seq: 41, hash: 'ab'.repeat(32) }, approve, { hmacKey });
    const body = canonicalJson({
      action: event.action,
      actor: event.actor,
      details: event.details,
      seq: 42,
      subject: event.subject,
      time: event.time,
    });
    expect(event.hash).toBe(
      createHash('sha256')
        .update('ab'.repeat(32) + body)
        .digest('hex'),
    );
    expect(event.detailsJson).toBe(canonicalJson(event.details));
  });

  it('the hashed bytes of an event stay the same from release to release', () => {
    const event = nextAuditEvent(EMPTY_HEAD, approve, { hmacKey });
    expect(canonicalEventBody(event)).toBe(
      '{"action":"request.approve","actor":"bob","details":{"justification":"ticket OPS-12: rotate keys",' +
        '"reasons":[{"code":"step_satisfied"}],"step":0},"seq":1,"subject":"request:req_1","time":1700000000000}',
    );
    expect(event.hash).toBe('04c15920f5d5b0768e97ac04f7a2d8b4c510ebc42158f1d1d9450ce2a6eb3075');
  });

  it('the hand-built canonical body equals canonical JSON for any strings and numbers', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary' }),
        fc.string({ unit: 'grapheme' }),
        fc.dictionary(
          fc.string(),
          fc.oneof(fc.string({ unit: 'binary' }), fc.double({ noNaN: true, noDefaultInfinity: true })),
        ),
        fc.nat(),
        (actor, subject, details, time) => {
          const event = { seq: 3, time, actor, action: 'grant.revoke', subject, details };
          expect(canonicalEventBody(event)).toBe(canonicalJson(event));
        },
      ),
    );
  });

  it('an event read back with its details as an object hashes like the stored text', () => {
    const event = nextAuditEvent(EMPTY_HEAD, approve, { hmacKey });
    const { detailsJson: _text, ...asObject } = event;
    const { details: _object, ...asText } = event;
    expect(hashEvent(GENESIS_HASH, asObject)).toBe(hashEvent(GENESIS_HASH, asText));
  });

  it('sensitive details are sealed before they are hashed', () => {
    const event = nextAuditEvent(
      EMPTY_HEAD,
      { ...approve, details: { password: 'hunter2', user: 'cs_alice' } },
      { hmacKey },
    );
    expect(event.detailsJson).not.toContain('hunter2');
    expect(event.details.password).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
    expect(event.details.user).toBe('cs_alice');
  });

  it.each<[string, Partial<NewAuditEvent>, RegExp]>([
    ['an action without a verb', { action: 'approve' }, /entity\.verb/],
    ['an action in capitals', { action: 'Request.Approve' }, /entity\.verb/],
    ['an empty actor', { actor: '' }, /actor/],
    ['an overlong subject', { subject: 'x'.repeat(513) }, /subject/],
    ['a negative time', { time: -1 }, /time/],
    ['a fractional time', { time: 1.5 }, /time/],
    ['a non-finite number in details', { details: { n: Number.POSITIVE_INFINITY } }, /non-finite/],
    ['a function in details', { details: { f: () => 1 } }, /function/],
    ['oversized details', { details: { blob: 'x'.repeat(MAX_DETAILS_LENGTH) } }, /exceed/],
  ])('%s is refused as invalid', (_name, change, message) => {
    const build = () => nextAuditEvent(EMPTY_HEAD, { ...approve, ...change }, { hmacKey });
    expect(build).toThrow(AppError);
    expect(build).toThrow(message);
  });

  it('a chain links each event to the one before', () => {
    const chain = new AuditChain(EMPTY_HEAD, { hmacKey });
    const events = chain.appendAll([approve, { ...approve, action: 'request.activate' }, approve]);
    expect(events.map((event) => event.seq)).toEqual([1, 2, 3]);
    events.slice(1).forEach((event, index) => expect(event.prevHash).toBe(events[index]?.hash));
    expect(chain.head).toEqual({ seq: 3, hash: events[2]?.hash });
    expect(chain.append(approve).prevHash).toBe(events[2]?.hash);
  });

  it('a batch with one malformed event leaves the chain head where it was', () => {
    const chain = new AuditChain(EMPTY_HEAD, { hmacKey });
    chain.append(approve);
    const before = chain.head;
    expect(() => chain.appendAll([approve, { ...approve, action: 'bad' }])).toThrow(AppError);
    expect(chain.head).toBe(before);
  });
});

describe('hashing very large events', () => {
  it('an event too large for the scratch buffer hashes over the same bytes', () => {
    const detailsJson = JSON.stringify({ blob: '€'.repeat(400_000) });
    const event = { seq: 1, time: 0, actor: 'a', action: 'x.y', subject: 's', detailsJson };
    const expected = createHash('sha256')
      .update(GENESIS_HASH + canonicalEventBody(event), 'utf8')
      .digest('hex');
    expect(hashEvent(GENESIS_HASH, event)).toBe(expected);
    expect(hashEvent(GENESIS_HASH, { ...event, detailsJson: '{"s":"€"}' })).toBe(
      createHash('sha256')
        .update(`${GENESIS_HASH}{"action":"x.y","actor":"a","details":{"s":"€"},"seq":1,"subject":"s","time":0}`)
        .digest('hex'),
    );
  });
});
