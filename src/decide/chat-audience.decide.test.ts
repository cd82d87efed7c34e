import { describe, expect, it } from 'vitest';
import type { Identity } from '../policy/model.js';
import { matchChatUser } from './chat-audience.decide.js';

function person(name: string, extra: Partial<Identity> = {}): Identity {
  return { name, kind: 'human', groups: [], attributes: {}, disabled: false, ...extra };
}

const erin = person('erin', { slack: 'UERIN', email: 'erin@acmepay.example' });
const grace = person('grace', { email: 'Grace@AcmePay.example' });
const bot = person('deploy-bot', { kind: 'pipeline', owner: 'erin', slack: 'UBOT' });
const mallory = person('mallory', { slack: 'UMALLORY', disabled: true });
const twinA = person('twin-a', { email: 'shared@acmepay.example' });
const twinB = person('twin-b', { email: 'shared@acmepay.example' });
const everyone = [erin, grace, bot, mallory, twinA, twinB];

describe('matchChatUser', () => {
  it('a declared Slack id is the identity', () => {
    expect(matchChatUser(everyone, { slackId: 'UERIN' })).toEqual({ identity: erin, via: 'slack_id' });
  });

  it('an e-mail Slack confirmed finds the one identity with it, whatever its case', () => {
    expect(
      matchChatUser(everyone, { slackId: 'UGRACE', email: 'grace@acmepay.example', emailConfirmed: true }),
    ).toEqual({ identity: grace, via: 'email' });
  });

  it.each([
    ['an unconfirmed e-mail', { slackId: 'UX', email: 'grace@acmepay.example', emailConfirmed: false }],
    ['no e-mail', { slackId: 'UX' }],
    ['an e-mail two identities share', { slackId: 'UX', email: 'shared@acmepay.example', emailConfirmed: true }],
    ['an e-mail no identity has', { slackId: 'UX', email: 'nobody@acmepay.example', emailConfirmed: true }],
  ])('%s is no identity', (_what, user) => {
    expect(matchChatUser(everyone, user)).toMatchObject({ refused: { code: 'chat.unknown_user' } });
  });

  it('a declared id wins over an e-mail that names someone else', () => {
    expect(
      matchChatUser(everyone, { slackId: 'UERIN', email: 'grace@acmepay.example', emailConfirmed: true }),
    ).toMatchObject({ identity: { name: 'erin' } });
  });

  it('an NHI never acts through chat, and a disabled identity is refused', () => {
    expect(matchChatUser(everyone, { slackId: 'UBOT' })).toMatchObject({ refused: { code: 'chat.not_human' } });
    expect(matchChatUser(everyone, { slackId: 'UMALLORY' })).toMatchObject({ refused: { code: 'chat.disabled' } });
  });
});
