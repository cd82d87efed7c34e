/**
 * Issue #9, item 13, the reader's side: a provider's error text (which can carry row data) is kept in the log as
 * an HMAC plus an encrypted copy bound to its event (src/audit/seal.ts). Only an `audit` holder can have it opened
 * (`GET /v1/audit/events?open=true`, `audit tail --open`), every opening is itself audited without the value, the
 * stored rows never hold it in clear, a copy moved into another event does not open, and the chain and evidence
 * bundles verify as before (where the data key is absent, the value stays sealed and says so).
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { createRequest } from '../../src/features/requests/request-create.verb.js';
import { executeRequest } from '../../src/features/requests/request-execute.verb.js';
import { exportEvidence } from '../../src/features/evidence/evidence.verbs.js';
import { verifyStoredAuditLog } from '../../src/audit/store/audit-store.js';
import { openSealedValues } from '../../src/audit/seal.js';
import { verifyEvidenceBundle } from '../../src/features/evidence/evidence-verify.js';
import { toJsonText } from '../../src/store/columns.js';
import type { PolicySet } from '../../src/policy/model.js';
import { TEST_START } from '../app/harness.js';
import { as, everyType, refusal } from '../app/requests-fixtures.js';
import { runClient } from '../cli/client-harness.js';
import { human, makePolicy } from '../factories/policy.factory.js';
import { makeResource } from '../factories/profile.factory.js';
import { createHttpTestApp, type HttpTestApp } from '../http/http-fixtures.js';
import { dropAppendOnlyTriggers } from '../audit/audit-attacks.js';
import { describeEachDialect } from '../store/dialects.js';
import { dbProfile, LEAKY_MESSAGE, LeakyProvider, ROW_DATA } from './execute-fixtures.js';

/** `alice` (team `eng`) runs statements on `db-1`; `olga` holds `audit` over everything; `carol` approves. */
function auditedPolicy(): PolicySet {
  return makePolicy({
    identities: [human('alice', ['eng']), human('carol', ['dba']), human('olga', ['auditors'])],
    roles: [
      { name: 'engineers', duties: ['request'], subjects: ['group:eng'] },
      { name: 'dbas', duties: ['approve'], subjects: ['group:dba'] },
      { name: 'auditors', duties: ['audit'], subjects: ['group:auditors'] },
    ],
    profiles: [dbProfile()],
    resources: [makeResource({ name: 'db-1', profile: 'db' })],
  });
}

interface OpenedPage {
  events: {
    seq: number;
    action: string;
    subject: string;
    details: Record<string, unknown>;
    opened?: Record<string, { value?: unknown; sealed?: string; message?: string }>;
  }[];
}

async function appWithLeakyProvider(ctx: Parameters<Parameters<typeof describeEachDialect>[1]>[0]) {
  return createHttpTestApp(ctx, { policy: auditedPolicy(), providers: everyType(new LeakyProvider()) });
}

/** An execution whose provider fails with row data in its error; the request's id. */
async function failedExecution(t: HttpTestApp): Promise<string> {
  const run = await createRequest(as(t.app, 'alice')({ resource: 'db-1', action: 'run', duration: '10m' }));
  expect((await refusal(executeRequest(as(t.app, 'alice')({ id: run.id })))).code).toBe('provider_failed');
  return run.id;
}

function failureUrl(requestId: string, open: boolean): string {
  return `/v1/audit/events?action=request.execute_failed&subject=request:${requestId}${open ? '&open=true' : ''}`;
}

async function storedLog(t: HttpTestApp): Promise<string> {
  return JSON.stringify(await t.app.database.db.selectFrom('audit_events').selectAll().execute());
}

describeEachDialect('reading sealed provider errors', (ctx) => {
  it('an audit holder reads the provider error back through the API, and the opening is audited without it', async () => {
    const t = await appWithLeakyProvider(ctx);
    const id = await failedExecution(t);
    expect(await storedLog(t)).not.toContain(ROW_DATA);
    const olga = await t.tokenFor('olga');

    const plain = await t.call('GET', failureUrl(id, false), olga);
    expect(plain.statusCode).toBe(200);
    expect(plain.body).not.toContain(ROW_DATA);

    const opened = await t.call('GET', failureUrl(id, true), olga);
    expect(opened.statusCode).toBe(200);
    const [event] = opened.json<OpenedPage>().events;
    expect(event?.details.providerError).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
    expect(event?.opened).toEqual({ '/providerError': { value: `Error: ${LEAKY_MESSAGE}` } });

    const openings = (await t.auditEvents()).filter((e) => e.action === 'audit.opened');
    expect(openings).toEqual([
      expect.objectContaining({
        actor: 'olga',
        subject: 'audit:events',
        details: expect.objectContaining({ opened: [{ seq: event?.seq, pointers: ['/providerError'] }], values: 1 }),
      }),
    ]);
    expect(await storedLog(t)).not.toContain(ROW_DATA);
  });

  it('a caller without audit who asks to open is refused with a 403 problem and nothing is opened', async () => {
    const t = await appWithLeakyProvider(ctx);
    const id = await failedExecution(t);
    const refused = await t.call('GET', failureUrl(id, true), await t.tokenFor('alice'));
    expect(refused.statusCode).toBe(403);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.json()).toMatchObject({ code: 'forbidden', details: { duty: 'audit' } });
    expect(refused.body).not.toContain(ROW_DATA);
    expect((await t.auditEvents()).filter((e) => e.action === 'audit.opened')).toEqual([]);
  });

  it('the log still verifies, and an evidence bundle of it verifies and keeps the value sealed without the key', async () => {
    const t = await appWithLeakyProvider(ctx);
    await failedExecution(t);
    expect(await verifyStoredAuditLog(t.app.database.db)).toMatchObject({ ok: true });

    const signing = generateKeyPairSync('ed25519');
    const app = { ...t.app, auditSigningKey: signing.privateKey };
    const period = { from: TEST_START - 3_600_000, to: TEST_START + 3_600_000 };
    const bundle = JSON.parse(JSON.stringify(await exportEvidence({ app, actor: 'olga', input: period }))) as Awaited<
      ReturnType<typeof exportEvidence>
    >;
    expect(verifyEvidenceBundle(bundle, signing.publicKey)).toMatchObject({ ok: true });
    expect(JSON.stringify(bundle)).not.toContain(ROW_DATA);
    const failure = bundle.sections.auditEvents.events.find((e) => e.action === 'request.execute_failed');
    if (failure === undefined) throw new Error('the bundle lacks the failed execution');
    const elsewhere = { hmacKey: randomBytes(32) }; // a verifier with the public key only: no data key
    expect(
      openSealedValues({ ...failure, details: JSON.parse(failure.detailsJson) as Record<string, unknown> }, elsewhere),
    ).toEqual({
      '/providerError': { sealed: 'no_key', message: expect.stringContaining('audit-data.key') },
    });
  });

  it('audit tail --open prints the provider error to an auditor; without --open it stays sealed', async () => {
    const t = await appWithLeakyProvider(ctx);
    await failedExecution(t);
    await t.http.listen({ port: 0, host: '127.0.0.1' });
    try {
      const server = `http://127.0.0.1:${(t.http.server.address() as AddressInfo).port}`;
      const token = await t.tokenFor('olga');
      const sealed = await runClient(['audit', 'tail', '--limit', '3'], { server, token });
      expect(sealed.code).toBe(0);
      expect(sealed.stdout).not.toContain(ROW_DATA);
      const opened = await runClient(['audit', 'tail', '--limit', '3', '--open'], { server, token });
      expect(opened.code).toBe(0);
      expect(opened.stdout).toMatch(/request\.execute_failed .*\/providerError = ".*secret\.person@example\.org/);
      const json = await runClient(['audit', 'tail', '--limit', '3', '--open', '--json'], { server, token });
      const failure = (JSON.parse(json.stdout) as OpenedPage).events.find((e) => e.action === 'request.execute_failed');
      expect(failure?.opened).toEqual({ '/providerError': { value: `Error: ${LEAKY_MESSAGE}` } });
      const refused = await runClient(['audit', 'tail', '--open'], { server, token: await t.tokenFor('alice') });
      expect(refused.code).toBe(1);
      expect(refused.stdout + refused.stderr).not.toContain(ROW_DATA);
    } finally {
      await t.http.close();
    }
  });
  // Last: it drops the append-only triggers of this suite's database to tamper with it.
  it('an encrypted copy moved into another event does not open there', async () => {
    const t = await appWithLeakyProvider(ctx);
    const [first, second] = [await failedExecution(t), await failedExecution(t)];
    const olga = await t.tokenFor('olga');
    const eventOf = async (id: string) => (await t.call('GET', failureUrl(id, false), olga)).json<OpenedPage>().events;
    const [source] = await eventOf(first);
    const [target] = await eventOf(second);
    if (source === undefined || target === undefined) throw new Error('both executions must be audited');
    const original = await t.app.database.db
      .selectFrom('audit_events')
      .select('details')
      .where('seq', '=', target.seq)
      .executeTakeFirstOrThrow();
    // Someone with write access to the table copies the whole sealed member (and the equal HMAC) across.
    await dropAppendOnlyTriggers(t.app.database.db, ctx.dialect);
    const setDetails = (text: string) =>
      sql`update audit_events set details = ${text} where seq = ${target.seq}`.execute(t.app.database.db);
    await setDetails(toJsonText(source.details));
    try {
      const moved = (await t.call('GET', failureUrl(second, true), olga)).json<OpenedPage>().events[0];
      expect(moved?.opened).toEqual({
        '/providerError': { sealed: 'not_authentic', message: expect.stringContaining('not sealed for this value') },
      });
      const kept = (await t.call('GET', failureUrl(first, true), olga)).json<OpenedPage>().events[0];
      expect(kept?.opened?.['/providerError']).toEqual({ value: `Error: ${LEAKY_MESSAGE}` });
      expect(await verifyStoredAuditLog(t.app.database.db)).toMatchObject({ ok: false, firstBadSeq: target.seq });
    } finally {
      await setDetails(original.details);
    }
  });
});
