import { describe, expect, it } from 'vitest';
import { kindOf, reason, refusalAs, refusalOf, type ReasonCode, type RefusalKind } from './decision.js';

const because = (...codes: ReasonCode[]) => codes.map((code) => reason(code, `because of ${code}`));

describe('the kind of a refusal read off its reasons', () => {
  it.each<[string, ReasonCode[], RefusalKind]>([
    ['a malformed input', ['duration.invalid'], 'invalid'],
    ['a missing subject', ['admin.unknown_identity'], 'not_found'],
    ['a wrong state', ['request.not_pending'], 'conflict'],
    ['a separation-of-duties rule', ['sod.own_request'], 'sod'],
    ['a policy that no longer allows it', ['rule.now_denies'], 'policy'],
    ['a missing duty', ['approver.no_approve_duty'], 'forbidden'],
    ['a wrong state over separation of duties', ['sod.own_request', 'digest.content_changed'], 'conflict'],
    ['separation of duties over a missing duty', ['approver.no_approve_duty', 'sod.own_request'], 'sod'],
    [
      'the policy over the duties of approvals it no longer counts',
      ['approver.disabled', 'approval.no_longer_satisfied'],
      'policy',
    ],
    [
      'a malformed input over everything',
      ['sod.rule_conflict', 'request.wrong_status', 'action.wrong_kind'],
      'invalid',
    ],
    ['not the requester, which is not a rule of separation of duties', ['sod.not_requester'], 'forbidden'],
  ])('%s', (_title, codes, kind) => {
    expect(refusalOf(because(...codes))).toEqual({ kind, reasons: because(...codes) });
  });

  it('reasons that only explain never decide the kind', () => {
    expect(refusalOf(because('requester.holds_request', 'rule.now_denies', 'profile.version_changed')).kind).toBe(
      'policy',
    );
  });

  it('a refusal without a refusing reason is forbidden: what is not allowed is refused', () => {
    expect(refusalOf([]).kind).toBe('forbidden');
    expect(refusalOf(because('sod.lifecycle_ok')).kind).toBe('forbidden');
  });
});

describe('a refusal its decision judges as a whole', () => {
  it.each<[string, RefusalKind, ReasonCode[], RefusalKind]>([
    ['a new request with a content problem is invalid', 'invalid', ['duration.too_long'], 'invalid'],
    ['a new request its requester may not make is forbidden', 'forbidden', ['requester.no_request_duty'], 'forbidden'],
    ['disabling oneself is forbidden, not a violation', 'forbidden', ['sod.self_administration'], 'forbidden'],
    ['removing the last holder is a conflict', 'conflict', ['admin.last_holder'], 'conflict'],
    ['an unknown subject stays not found', 'forbidden', ['admin.unknown_identity'], 'not_found'],
    ['a wrong state stays a conflict', 'policy', ['rule.now_denies', 'request.wrong_status'], 'conflict'],
  ])('%s', (_title, judged, codes, kind) => {
    expect(refusalAs(judged, because(...codes))).toEqual({ kind, reasons: because(...codes) });
  });
});

describe('what a reason means on its own', () => {
  it.each<[ReasonCode, string]>([
    ['sod.own_request', 'sod'],
    ['sod.exporter_administers', 'forbidden'],
    ['step.satisfied', 'note'],
    ['provider.grant_failed', 'failure'],
  ])("'%s' is %s", (code, kind) => {
    expect(kindOf({ code })).toBe(kind);
  });
});
