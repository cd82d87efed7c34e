import { describe, expect, it } from 'vitest';
import { EXAMPLE_NOW, examplePolicy } from '../../test/factories/policy.factory.js';
import { makeResource } from '../../test/factories/profile.factory.js';
import { DutyIndex } from './duties.js';
import { requestableActions } from './requestable.decide.js';

const policy = examplePolicy();
const ctx = { policy, duties: new DutyIndex(policy, EXAMPLE_NOW), now: EXAMPLE_NOW };
const resource = makeResource();

function offered(requester: string): string[] {
  return requestableActions(ctx, requester, resource).map(
    (entry) => `${entry.action.name}:${entry.request ? 'request' : '-'}:${entry.breakGlass ? 'break-glass' : '-'}`,
  );
}

describe('what an identity may ask for on a resource', () => {
  it.each([
    ['alice', ['read:request:-', 'run-sql:request:-'], 'a payments engineer requests every action, breaks no glass'],
    ['olivia', ['read:-:break-glass', 'run-sql:-:break-glass'], 'on-call breaks glass without the request duty'],
    ['deploy-bot', ['read:request:-', 'run-sql:request:-'], 'a pipeline holding request asks like a person'],
    ['erin', [], 'an eligible role that is not active gives nothing'],
    ['mallory', [], 'a disabled identity asks for nothing'],
    ['bob', [], 'an approver is not a requester'],
    ['nobody', [], 'an unknown identity asks for nothing'],
  ])('%s: %j (%s)', (requester, expected) => {
    expect(offered(requester)).toEqual(expected);
  });

  it('a resource whose profile is gone offers nothing', () => {
    expect(requestableActions(ctx, 'alice', makeResource({ profile: 'gone' }))).toEqual([]);
  });
});
