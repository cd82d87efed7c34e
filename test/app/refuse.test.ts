/**
 * The one refusal helper (`app/refuse.ts`): a refusal is recorded in the decision log in a transaction of its own
 * and answered with the error its kind picks, carrying its reasons; a refusal that cannot be recorded is never
 * silent. A provider failure is recorded the same way and answered `provider_failed`. On both dialects.
 */
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { ERROR_CODE_OF_REFUSAL, recordFailure, refuse } from '../../src/app/refuse.js';
import { reason, refusalAs, refusalOf, type ReasonCode, type RefusalKind } from '../../src/core/decision.js';
import type { ErrorCode } from '../../src/core/errors.js';
import { describeEachDialect } from '../store/dialects.js';
import { createTestApp } from './harness.js';

const entry = { actor: 'alice', action: 'request.approve_refused', subject: 'request:req_1', otherwise: 'no' };

describeEachDialect('refusing', (ctx) => {
  it.each<[RefusalKind, ReasonCode, ErrorCode]>([
    ['invalid', 'duration.invalid', 'invalid'],
    ['not_found', 'admin.unknown_identity', 'not_found'],
    ['conflict', 'request.not_pending', 'conflict'],
    ['sod', 'sod.own_request', 'sod_violation'],
    ['policy', 'rule.now_denies', 'policy_denied'],
    ['forbidden', 'approver.no_approve_duty', 'forbidden'],
  ])('a refusal of kind %s (%s) is recorded with its reasons and answered %s', async (kind, code, errorCode) => {
    const t = await createTestApp(ctx);
    const reasons = [reason(code, `refused for ${code}`)];
    const error = await refuse(t.app, { ...entry, refusal: refusalOf(reasons), details: { step: 1 } });
    expect(ERROR_CODE_OF_REFUSAL[kind]).toBe(errorCode);
    expect(error).toMatchObject({ code: errorCode, message: `refused for ${code}`, details: { reasons } });
    expect(await t.auditEvents()).toMatchObject([
      {
        actor: 'alice',
        action: 'request.approve_refused',
        subject: 'request:req_1',
        details: { step: 1, code: errorCode, reasons: [{ code, message: `refused for ${code}` }] },
      },
    ]);
  });

  it('the kind a decision judged its refusal to be picks the error, not what its reasons say alone', async () => {
    const t = await createTestApp(ctx);
    const reasons = [reason('sod.self_administration', "'alice' may not disable their own identity")];
    await expect(refuse(t.app, { ...entry, refusal: refusalAs('forbidden', reasons) })).resolves.toMatchObject({
      code: 'forbidden',
    });
    await expect(refuse(t.app, { ...entry, refusal: refusalOf(reasons) })).resolves.toMatchObject({
      code: 'sod_violation',
    });
  });

  it('the message is the first reason, one given instead, or the fallback when there is no reason', async () => {
    const t = await createTestApp(ctx);
    const reasons = [reason('request.not_pending', 'first'), reason('digest.mismatch', 'second')];
    await expect(refuse(t.app, { ...entry, refusal: refusalOf(reasons) })).resolves.toMatchObject({
      message: 'first',
    });
    await expect(refuse(t.app, { ...entry, refusal: refusalOf(reasons), message: 'said' })).resolves.toMatchObject({
      message: 'said',
    });
    await expect(refuse(t.app, { ...entry, refusal: refusalAs('invalid', []) })).resolves.toMatchObject({
      code: 'invalid',
      message: 'no',
    });
  });

  it('a provider failure is recorded and answered provider_failed', async () => {
    const t = await createTestApp(ctx);
    const reasons = [reason('provider.grant_failed', 'sealed')];
    const error = await recordFailure(t.app, { ...entry, action: 'request.provision_failed', message: 'x', reasons });
    expect(error).toMatchObject({ code: 'provider_failed', message: 'x' });
    expect((await t.auditEvents()).map((e) => [e.action, e.details['code']])).toEqual([
      ['request.provision_failed', 'provider_failed'],
    ]);
  });

  it('a refusal the decision log cannot take is answered audit_unavailable, never silently', async () => {
    const t = await createTestApp(ctx);
    const { db } = t.app.database;
    if (t.app.database.dialect === 'sqlite') {
      await sql`create trigger refusal_insert_fails before insert on audit_events
        begin select raise(abort, 'disk quota exceeded'); end`.execute(db);
    } else {
      await sql`create function refusal_insert_fails() returns trigger language plpgsql as $$
        begin raise exception 'disk quota exceeded'; end $$`.execute(db);
      await sql`create trigger refusal_insert_fails before insert on audit_events
        for each row execute function refusal_insert_fails()`.execute(db);
    }
    try {
      const refusing = refuse(t.app, { ...entry, refusal: refusalOf([reason('sod.own_request', 'own')]) });
      await expect(refusing).rejects.toMatchObject({ code: 'audit_unavailable' });
    } finally {
      if (t.app.database.dialect === 'sqlite') await sql`drop trigger refusal_insert_fails`.execute(db);
      else {
        await sql`drop trigger refusal_insert_fails on audit_events`.execute(db);
        await sql`drop function refusal_insert_fails()`.execute(db);
      }
    }
  });
});
