import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import type { AppContext } from '../../src/app/context.js';
import { StorePolicyRuntime } from '../../src/app/policy-runtime.js';
import { inTransaction } from '../../src/app/transaction.js';
import { AuditLog } from '../../src/audit/store/audit-log.js';
import { readAuditLinks, verifyStoredAuditLog } from '../../src/audit/store/audit-store.js';
import { AppError } from '../../src/core/errors.js';
import type { Database } from '../../src/store/database.js';
import { describeEachDialect } from '../store/dialects.js';
import { requestRow } from '../store/factories.js';
import { human, makePolicy } from '../factories/policy.factory.js';
import { appendEvents, T0 } from './audit-attacks.js';
import { ChangeFeed } from '../../src/app/change-events.js';

function minimalApp(database: Database): AppContext {
  return {
    database,
    clock: new ManualClock(T0),
    auditLog: new AuditLog(database.dialect, randomBytes(32)),
    policy: new StorePolicyRuntime(makePolicy({ identities: [human('alice')] })),
    providers: new Map(),
    changes: new ChangeFeed(),
  };
}

/** Makes every insert into `audit_events` fail for real, as a full disk or a revoked grant would. */
async function breakAuditInserts(database: Database): Promise<void> {
  if (database.dialect === 'sqlite') {
    await sql`create trigger audit_insert_fails before insert on audit_events
      begin select raise(abort, 'disk quota exceeded'); end`.execute(database.db);
    return;
  }
  await sql`create function audit_insert_fails() returns trigger language plpgsql as $$
    begin raise exception 'disk quota exceeded'; end $$`.execute(database.db);
  await sql`create trigger audit_insert_fails before insert on audit_events
    for each row execute function audit_insert_fails()`.execute(database.db);
}

async function repairAuditInserts(database: Database): Promise<void> {
  if (database.dialect === 'sqlite') await sql`drop trigger audit_insert_fails`.execute(database.db);
  else await sql`drop trigger audit_insert_fails on audit_events`.execute(database.db);
}

/** A state change with its audit event, the way every verb makes one. */
function createRequest(app: AppContext, id: string) {
  return inTransaction(app, async ({ trx, audit }) => {
    await trx.insertInto('requests').values(requestRow({ id })).execute();
    audit({ actor: 'alice', action: 'request.create', subject: `request:${id}`, details: { resource: 'payments-db' } });
    return id;
  });
}

async function requestExists(database: Database, id: string): Promise<boolean> {
  const row = await database.db.selectFrom('requests').select('id').where('id', '=', id).executeTakeFirst();
  return row !== undefined;
}

describeEachDialect('the audit log in the database', (ctx) => {
  it('rolls back the state change and answers audit_unavailable when the audit insert fails', async () => {
    const app = minimalApp(ctx.database);
    await breakAuditInserts(ctx.database);
    try {
      const failure = await createRequest(app, 'req_fail_closed').catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(AppError);
      expect(failure).toMatchObject({ code: 'audit_unavailable' });
      expect((failure as AppError).message).not.toContain('disk quota');
      expect(await requestExists(ctx.database, 'req_fail_closed')).toBe(false);
    } finally {
      await repairAuditInserts(ctx.database);
    }
    // The same change goes through once the log can be written, with its event.
    const done = await createRequest(app, 'req_fail_closed');
    expect(done.auditEvents).toHaveLength(1);
    expect(done.auditEvents[0]).toMatchObject({ action: 'request.create', subject: 'request:req_fail_closed' });
    expect(await requestExists(ctx.database, 'req_fail_closed')).toBe(true);
  });

  it('keeps one unforked chain when several replicas append at the same time', async () => {
    const replicas = ctx.dialect === 'postgres' ? await Promise.all([1, 2, 3, 4].map(() => ctx.open())) : [];
    // On SQLite one handle serves the whole process (the appends still interleave on it).
    const handles = replicas.length > 0 ? replicas : [ctx.database, ctx.database, ctx.database, ctx.database];
    const before = await verifyStoredAuditLog(ctx.database.db);
    const hmacKey = randomBytes(32);
    await Promise.all(
      handles.map((database, index) => appendEvents(database, new AuditLog(database.dialect, hmacKey), 40, T0 + index)),
    );
    const result = await verifyStoredAuditLog(ctx.database.db);
    expect(result).toMatchObject({ ok: true, eventsVerified: before.eventsVerified + 160 });
    const seqs: number[] = [];
    for await (const link of readAuditLinks(ctx.database.db)) seqs.push(link.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, index) => index + 1));
  });

  // SQLite has one writer and no lock to release early.
  it.runIf(ctx.dialect === 'postgres')(
    'releases the chain lock without waiting for the disk, and restores synchronous commits afterwards',
    async () => {
      const app = minimalApp(ctx.database);
      const within = await ctx.database.db.transaction().execute(async (trx) => {
        await app.auditLog.append(trx, [
          { actor: 'alice', action: 'request.create', subject: 'request:req_async_2', details: {}, time: T0 },
        ]);
        return sql<{ synchronous_commit: string }>`show synchronous_commit`.execute(trx);
      });
      expect(within.rows[0]?.synchronous_commit).toBe('off');
      const after = await sql<{ synchronous_commit: string }>`show synchronous_commit`.execute(ctx.database.db);
      expect(after.rows[0]?.synchronous_commit).toBe('on');
    },
  );

  it('runs no after-commit work, and answers audit_unavailable, when the commit cannot be confirmed durable', async () => {
    const app = minimalApp(ctx.database);
    const undurable: AppContext = {
      ...app,
      auditLog: Object.assign(Object.create(app.auditLog) as AuditLog, {
        awaitDurable: () => Promise.reject(new AppError('audit_unavailable', 'the database went away')),
      }),
    };
    let providerCalled = false;
    const attempt = inTransaction(undurable, async ({ audit, afterCommit }) => {
      audit({ actor: 'alice', action: 'request.activate', subject: 'request:req_undurable', details: {} });
      afterCommit(() => {
        providerCalled = true;
      });
    });
    await expect(attempt).rejects.toMatchObject({ code: 'audit_unavailable' });
    expect(providerCalled).toBe(false);
  });
});
