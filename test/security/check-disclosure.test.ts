/**
 * Issue #9 (low): `check` disclosed resources, profiles and actions to callers who may not read them. Quinn (a
 * contractor who holds duties on the staging profile only) probes production names by asking `check` about
 * herself; a console provisioner probes the database by asking about someone else. Unknown and invisible must
 * give the identical answer. On both dialects, over HTTP.
 */
import { expect, it } from 'vitest';
import { createHttpTestApp } from '../http/http-fixtures.js';
import { describeEachDialect } from '../store/dialects.js';

interface Answer {
  readonly status: number;
  readonly body: unknown;
}

describeEachDialect('what check discloses', (ctx) => {
  it('asking check about oneself answers an invisible resource, its profile and its actions exactly as an unknown resource', async () => {
    const t = await createHttpTestApp(ctx);
    const quinn = await t.tokenFor('quinn');
    const ask = async (resource: string, action: string): Promise<Answer> => {
      const response = await t.call('POST', '/v1/check', quinn, { identity: 'quinn', resource, action });
      // The caller's own words are the only thing allowed to differ: put them back to compare the rest.
      return { status: response.statusCode, body: JSON.parse(response.body.replaceAll(resource, 'R')) as unknown };
    };
    const unknown = await ask('no-such-db', 'read');
    expect(unknown).toEqual({
      status: 200,
      body: { allowed: false, reason: { code: 'check.unknown_resource', message: "resource 'R' is not known" } },
    });
    expect(await ask('payments-db', 'read')).toEqual(unknown); // exists, on postgres-prod: no duty of quinn's
    expect(await ask('payments-db', 'no-such-action')).toEqual(unknown);
    expect(await ask('merchant-console', 'view')).toEqual(unknown);
    // Where quinn holds a duty, the answer is the real one.
    const visible = await ask('analytics-db', 'no-such-action');
    expect(visible.body).toMatchObject({ allowed: false, reason: { code: 'check.unknown_action' } });
  });

  it('a provision holder asking about another identity cannot tell an invisible resource from an unknown one', async () => {
    const t = await createHttpTestApp(ctx);
    const peggy = await t.tokenFor('peggy'); // provision on processor-console only
    const ask = async (resource: string): Promise<Answer> => {
      const response = await t.call('POST', '/v1/check', peggy, { identity: 'alice', resource, action: 'read' });
      return { status: response.statusCode, body: JSON.parse(response.body.replaceAll(resource, 'R')) as unknown };
    };
    const unknown = await ask('no-such-db');
    expect(unknown.status).toBe(403);
    expect(JSON.stringify(unknown.body)).not.toContain('postgres-prod');
    const invisible = await ask('payments-db');
    expect(invisible).toEqual(unknown);
    expect((await ask('merchant-console')).status).toBe(200);
  });

  it('the audit log keeps the true reason of a hidden denial', async () => {
    const t = await createHttpTestApp(ctx, { build: {} });
    await t.call('POST', '/v1/check', await t.tokenFor('quinn'), {
      identity: 'quinn',
      resource: 'payments-db',
      action: 'read',
    });
    await t.http.close(); // flushes the aggregated denials
    const denied = (await t.auditEvents()).filter((e) => e.action === 'check.denied');
    expect(denied).toEqual([
      expect.objectContaining({
        actor: 'quinn',
        details: expect.objectContaining({ reason: expect.objectContaining({ code: 'check.no_grant' }) }),
      }),
    ]);
  });
});
