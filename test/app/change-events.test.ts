/**
 * The after-commit event sink (issue 11, "verbs announce what changed"): `inTransaction` publishes on
 * `app.changes` what a transaction announced, once and only after it committed; a transaction that rolls back,
 * for whatever reason, publishes nothing. On both dialects.
 */
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import type { ChangeEvent } from '../../src/app/change-events.js';
import { inTransaction } from '../../src/app/transaction.js';
import type { Database } from '../../src/store/database.js';
import { describeEachDialect } from '../store/dialects.js';
import { requestRow } from '../store/factories.js';
import { createTestApp, type TestApp } from './harness.js';

/** Every publication the app's feed makes from now on, in order. */
function listen(t: TestApp): ChangeEvent[][] {
  const heard: ChangeEvent[][] = [];
  t.app.changes.subscribe((changes) => heard.push([...changes]));
  return heard;
}

/** Makes every insert into `audit_events` fail for real (as a full disk would) until the returned repair runs. */
async function breakAuditInserts(database: Database): Promise<() => Promise<void>> {
  if (database.dialect === 'sqlite') {
    await sql`create trigger audit_insert_fails before insert on audit_events
      begin select raise(abort, 'disk quota exceeded'); end`.execute(database.db);
    return async () => {
      await sql`drop trigger audit_insert_fails`.execute(database.db);
    };
  }
  await sql`create function audit_insert_fails() returns trigger language plpgsql as $$
    begin raise exception 'disk quota exceeded'; end $$`.execute(database.db);
  await sql`create trigger audit_insert_fails before insert on audit_events
    for each row execute function audit_insert_fails()`.execute(database.db);
  return async () => {
    await sql`drop trigger audit_insert_fails on audit_events`.execute(database.db);
    await sql`drop function audit_insert_fails()`.execute(database.db);
  };
}

describeEachDialect('after-commit change events', (ctx) => {
  it('a committed transaction publishes what it announced once, after the commit and before its after-commit tasks', async () => {
    const t = await createTestApp(ctx);
    const heard = listen(t);
    let heardInside = -1;
    let heardByAfterCommit = -1;
    await inTransaction(t.app, async ({ trx, audit, announce, afterCommit }) => {
      const request = requestRow();
      await trx.insertInto('requests').values(request).execute();
      announce({ kind: 'grant', requestId: request.id });
      announce({ kind: 'grant', requestId: request.id });
      announce({ kind: 'token_revoked', tokenId: 'tok_1' });
      audit({ actor: 'alice', action: 'request.create', subject: `request:${request.id}`, details: {} });
      heardInside = heard.length;
      afterCommit(() => {
        heardByAfterCommit = heard.length;
      });
    });
    expect(heardInside).toBe(0);
    expect(heardByAfterCommit).toBe(1);
    expect(heard).toHaveLength(1);
    // The audit event it appended is announced too, with the new head of the log (the audit streams wake on it).
    expect(heard[0]).toEqual([
      { kind: 'grant', requestId: expect.any(String) as string },
      { kind: 'token_revoked', tokenId: 'tok_1' },
      { kind: 'audit_appended', headSeq: expect.any(Number) as number },
    ]);
  });

  it('a transaction that audits nothing announces no audit append', async () => {
    const t = await createTestApp(ctx);
    const heard = listen(t);
    await inTransaction(t.app, async ({ announce }) => announce({ kind: 'duties' }));
    expect(heard).toEqual([[{ kind: 'duties' }]]);
  });

  it('a transaction whose work throws publishes nothing', async () => {
    const t = await createTestApp(ctx);
    const heard = listen(t);
    const failing = inTransaction(t.app, async ({ announce }) => {
      announce({ kind: 'identity_disabled', identity: 'alice' });
      throw new Error('the verb changed its mind');
    });
    await expect(failing).rejects.toThrow();
    expect(heard).toEqual([]);
  });

  it('a transaction the database refuses publishes nothing', async () => {
    const t = await createTestApp(ctx);
    const heard = listen(t);
    const failing = inTransaction(t.app, async ({ trx, announce }) => {
      announce({ kind: 'duties' });
      await sql`select * from no_such_table`.execute(trx);
    });
    await expect(failing).rejects.toMatchObject({ code: expect.any(String) as string });
    expect(heard).toEqual([]);
  });

  it('a transaction rolled back because its audit events cannot be written publishes nothing', async () => {
    const t = await createTestApp(ctx);
    const heard = listen(t);
    const repair = await breakAuditInserts(t.app.database);
    try {
      const failing = inTransaction(t.app, async ({ audit, announce }) => {
        announce({ kind: 'token_revoked', tokenId: 'tok_2' });
        audit({ actor: 'alice', action: 'token.revoke', subject: 'identity:alice', details: { tokenId: 'tok_2' } });
      });
      await expect(failing).rejects.toMatchObject({ code: 'audit_unavailable' });
    } finally {
      await repair();
    }
    expect(heard).toEqual([]);
  });

  it('queuing an urgent notification announces it without the verb saying so; one nobody hears announces nothing', async () => {
    const t = await createTestApp(ctx);
    const heard = listen(t);
    // The example policy's security-webhook hears break_glass.used; no notifier hears 'nobody.listens'.
    await inTransaction(t.app, async ({ notify }) => {
      notify('break_glass.used', { requestId: 'req_1' }, { urgent: true });
    });
    await inTransaction(t.app, async ({ notify }) => {
      notify('nobody.listens', { requestId: 'req_1' }, { urgent: true });
    });
    expect(heard).toEqual([[{ kind: 'notifications_queued', urgent: true }]]);
  });

  it('a listener that throws neither fails the committed transaction nor keeps the others from hearing', async () => {
    const t = await createTestApp(ctx);
    t.app.changes.subscribe(() => {
      throw new Error('a broken cache');
    });
    const heard = listen(t);
    const { value } = await inTransaction(t.app, async ({ announce }) => {
      announce({ kind: 'duties' });
      return 'done';
    });
    expect(value).toBe('done');
    expect(heard).toEqual([[{ kind: 'duties' }]]);
  });
});
