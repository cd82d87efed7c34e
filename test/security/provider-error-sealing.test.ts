/**
 * Issue #9, item 13: a provider's error text can carry row data (PostgreSQL's unique-violation message quotes
 * the duplicate key). It is sealed like command output — HMAC'd in the append-only log — and never appears in
 * clear in the log, in a request's `statusReason`, in an API answer or in the server's logs.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { expect, it } from 'vitest';
import { activateRequest } from '../../src/features/requests/request-activate.verb.js';
import { createRequest } from '../../src/features/requests/request-create.verb.js';
import { executeRequest } from '../../src/features/requests/request-execute.verb.js';
import { completeRequest } from '../../src/features/requests/request-end.verb.js';
import { AppError } from '../../src/core/errors.js';
import { NoopProvider } from '../../src/providers/noop/noop-provider.js';
import { createTestApp } from '../app/harness.js';
import { as, everyType, refusal } from '../app/requests-fixtures.js';
import { createHttpTestApp } from '../http/http-fixtures.js';
import { describeEachDialect } from '../store/dialects.js';
import type { Database } from '../../src/store/database.js';
import { executePolicy, LEAKY_MESSAGE, LeakyProvider, ROW_DATA } from './execute-fixtures.js';

/** Grants, then fails every revoke with the kind of message the postgres provider builds from the server's text. */
class LeakyRevokeProvider extends NoopProvider {
  override async revoke(): Promise<void> {
    throw new AppError(
      'provider_failed',
      `resource 'db-1': revoking role 'r' failed: ${LEAKY_MESSAGE} (SQLSTATE 23505)`,
    );
  }
}

async function everythingStored(database: Database): Promise<string> {
  const db = database.db;
  const [events, requests, grants] = await Promise.all([
    db.selectFrom('audit_events').selectAll().execute(),
    db.selectFrom('requests').selectAll().execute(),
    db.selectFrom('grants').selectAll().execute(),
  ]);
  return JSON.stringify({ events, requests, grants });
}

describeEachDialect('provider error text', (ctx) => {
  it('a failed execution and a failed grant keep the provider error out of the log and statusReason in clear', async () => {
    const t = await createTestApp(ctx, { policy: executePolicy(), providers: everyType(new LeakyProvider()) });
    const run = await createRequest(as(t.app, 'alice')({ resource: 'db-1', action: 'run', duration: '10m' }));
    const failed = await refusal(executeRequest(as(t.app, 'alice')({ id: run.id })));
    expect(failed.code).toBe('provider_failed');
    const read = await createRequest(as(t.app, 'alice')({ resource: 'db-1', action: 'read', duration: '10m' }));
    const refused = await refusal(activateRequest(as(t.app, 'alice')({ id: read.id })));
    expect(refused.code).toBe('provider_failed');

    for (const error of [failed, refused]) {
      expect(JSON.stringify({ message: error.message, details: error.details })).not.toContain(ROW_DATA);
      expect(String((error as { cause?: unknown }).cause ?? '')).not.toContain(ROW_DATA);
    }
    expect(await everythingStored(t.app.database)).not.toContain(ROW_DATA);
    const events = await t.auditEvents();
    const sealed = events.filter((event) => event.details.providerError !== undefined);
    expect(sealed.map((event) => event.action).sort()).toEqual(['request.execute_failed', 'request.provision_failed']);
    for (const event of sealed) expect(event.details.providerError).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
    const stored = await t.app.database.db
      .selectFrom('requests')
      .select('status_reason')
      .where('id', '=', run.id)
      .executeTakeFirstOrThrow();
    expect(stored.status_reason).toMatch(/sealed in the audit log/);
  });

  it('the API answer and the server log of a failed execution do not carry the provider error', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const t = await createHttpTestApp(ctx, {
      policy: executePolicy(),
      providers: everyType(new LeakyProvider()),
      build: { logger: pino({ level: 'trace' }, sink) },
    });
    const token = await t.tokenFor('alice');
    const created = await t.call('POST', '/v1/requests', token, { resource: 'db-1', action: 'run', duration: '10m' });
    expect(created.statusCode).toBe(201);
    const { id } = created.json<{ id: string }>();
    const answer = await t.call('POST', `/v1/requests/${id}/execute`, token, {});
    expect(answer.statusCode).toBe(502);
    expect(answer.body).not.toContain(ROW_DATA);
    const shown = await t.call('GET', `/v1/requests/${id}`, token);
    expect(shown.body).not.toContain(ROW_DATA);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('')).not.toContain(ROW_DATA);
    await t.http.close();
  });

  it('a failed revoke keeps the provider error out of the grant, the request, the answer and the log in clear', async () => {
    const t = await createTestApp(ctx, { policy: executePolicy(), providers: everyType(new LeakyRevokeProvider()) });
    const read = await createRequest(as(t.app, 'alice')({ resource: 'db-1', action: 'read', duration: '10m' }));
    await activateRequest(as(t.app, 'alice')({ id: read.id }));
    const answered = await completeRequest(as(t.app, 'alice')({ id: read.id }));
    expect(JSON.stringify(answered)).not.toContain(ROW_DATA);
    expect(await everythingStored(t.app.database)).not.toContain(ROW_DATA);
    const failed = (await t.auditEvents()).filter((event) => event.action === 'grant.revoke_failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]?.details.providerError).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
    expect(String(failed[0]?.details.error)).toContain('its error is sealed in the audit log');
  });
});
