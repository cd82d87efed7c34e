import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { AUDIT_APPEND_ONLY_MESSAGE, toStoreError } from '../../src/store/errors.js';
import { describeEachDialect } from './dialects.js';
import { auditEventRow, T0 } from './factories.js';

async function failureOf(action: () => Promise<unknown>): Promise<unknown> {
  try {
    await action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the database to refuse the statement');
}

describeEachDialect('the audit log', (context) => {
  it('accepts appended events', async () => {
    const { db } = context.database;
    await db
      .insertInto('audit_events')
      .values([auditEventRow(1), auditEventRow(2), auditEventRow(3)])
      .execute();
    const seqs = await db.selectFrom('audit_events').select('seq').orderBy('seq').execute();
    expect(seqs.map((row) => row.seq)).toEqual([1, 2, 3]);
  });

  it('refuses an UPDATE of an event, leaving it unchanged', async () => {
    const { db } = context.database;
    const error = await failureOf(() => sql`update audit_events set actor = 'mallory' where seq = 2`.execute(db));
    expect(String((error as Error).message)).toContain(AUDIT_APPEND_ONLY_MESSAGE);
    const row = await db.selectFrom('audit_events').select('actor').where('seq', '=', 2).executeTakeFirstOrThrow();
    expect(row.actor).toBe('alice');
  });

  it('refuses a DELETE of one event or of all of them', async () => {
    const { db } = context.database;
    for (const statement of [sql`delete from audit_events where seq = 3`, sql`delete from audit_events`]) {
      const error = await failureOf(() => statement.execute(db));
      expect(String((error as Error).message)).toContain(AUDIT_APPEND_ONLY_MESSAGE);
    }
    const rows = await db.selectFrom('audit_events').select('seq').execute();
    expect(rows).toHaveLength(3);
  });

  it('refuses UPDATE and DELETE of a signed checkpoint', async () => {
    const { db } = context.database;
    await db
      .insertInto('audit_checkpoints')
      .values({ size: 3, head: 'h'.repeat(64), root: 'r'.repeat(64), time: T0, signature: 'sig', key_id: 'k1' })
      .execute();
    for (const statement of [sql`update audit_checkpoints set size = 2`, sql`delete from audit_checkpoints`]) {
      const error = await failureOf(() => statement.execute(db));
      expect(String((error as Error).message)).toContain(AUDIT_APPEND_ONLY_MESSAGE);
    }
    const rows = await db.selectFrom('audit_checkpoints').select('size').execute();
    expect(rows).toEqual([{ size: 3 }]);
  });

  it('maps the refusal to a forbidden error that says the log is append-only', async () => {
    const error = await failureOf(() => sql`delete from audit_events`.execute(context.database.db));
    const mapped = toStoreError(error);
    expect({ code: mapped.code, message: mapped.message }).toEqual({
      code: 'forbidden',
      message: AUDIT_APPEND_ONLY_MESSAGE,
    });
  });

  it.runIf(context.dialect === 'postgres')('refuses TRUNCATE on PostgreSQL', async () => {
    const { db } = context.database;
    for (const table of ['audit_events', 'audit_checkpoints']) {
      const error = await failureOf(() => sql`truncate ${sql.id(table)}`.execute(db));
      expect(String((error as Error).message)).toContain(AUDIT_APPEND_ONLY_MESSAGE);
    }
    expect(await db.selectFrom('audit_events').select('seq').execute()).toHaveLength(3);
  });
});
