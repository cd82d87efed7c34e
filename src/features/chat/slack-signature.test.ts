import { describe, expect, it } from 'vitest';
import { slackSignature, verifySlackSignature } from './slack-signature.js';

const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const now = Date.UTC(2026, 0, 15, 9, 0, 0);
const timestamp = String(Math.floor(now / 1000));
const body = 'payload=%7B%22type%22%3A%22block_actions%22%7D';

function check(overrides: Partial<Parameters<typeof verifySlackSignature>[0]> = {}) {
  return verifySlackSignature({
    rawBody: body,
    timestamp,
    signature: slackSignature(SECRET, timestamp, body),
    secrets: [SECRET],
    nowMs: now,
    ...overrides,
  });
}

describe('verifySlackSignature', () => {
  it("matches Slack's documented example", () => {
    // https://api.slack.com/authentication/verifying-requests-from-slack (the example request of that page).
    const raw =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    expect(slackSignature(SECRET, '1531420618', raw)).toBe(
      'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
    );
  });

  it('a request signed with the signing secret over the raw body within five minutes is genuine', () => {
    expect(check()).toEqual({ ok: true, timestampMs: Number(timestamp) * 1000 });
    expect(check({ nowMs: now + 5 * 60_000 }).ok).toBe(true);
  });

  it('one of several secrets (several Slack apps) may sign', () => {
    expect(check({ secrets: ['other-secret', SECRET] }).ok).toBe(true);
  });

  it.each([
    ['another secret', { secrets: ['not-the-secret'] }, 'mismatch'],
    ['no secret configured', { secrets: [] }, 'mismatch'],
    ['a changed body', { rawBody: `${body}x` }, 'mismatch'],
    ['a timestamp six minutes old', { nowMs: now + 6 * 60_000 }, 'stale'],
    ['a timestamp six minutes ahead', { nowMs: now - 6 * 60_000 }, 'stale'],
    ['no signature', { signature: undefined }, 'missing'],
    ['no timestamp', { timestamp: undefined }, 'missing'],
    ['a signature of another scheme', { signature: 'v1=abc' }, 'mismatch'],
  ] as const)('%s is refused', (_what, overrides, reason) => {
    expect(check(overrides)).toEqual({ ok: false, reason });
  });

  it('a signature for another timestamp does not verify under the new one', () => {
    const old = String(Number(timestamp) - 60);
    expect(check({ signature: slackSignature(SECRET, old, body) }).ok).toBe(false);
  });
});
