import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { isUniqueViolation, toStoreError } from '../../src/store/errors.js';
import { describeEachDialect } from './dialects.js';
import { grantRow, newId, requestRow, T0 } from './factories.js';

async function failureOf(action: () => Promise<unknown>): Promise<unknown> {
  try {
    await action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the database to refuse the statement');
}

describeEachDialect('constraints the database enforces', (context) => {
  it('an identity that approved a request cannot approve it a second time, even for another step', async () => {
    const { db } = context.database;
    const request = requestRow();
    await db.insertInto('requests').values(request).execute();
    const approval = { request_id: request.id, approver: 'bob', step: 0, digest: request.digest, at: T0 + 1 };
    await db.insertInto('approvals').values(approval).execute();

    const error = await failureOf(() =>
      db
        .insertInto('approvals')
        .values({ ...approval, step: 1, at: T0 + 2 })
        .execute(),
    );
    expect(isUniqueViolation(error)).toBe(true);
    const mapped = toStoreError(error, `recording the approval of request '${request.id}'`);
    expect(mapped.code).toBe('conflict');
    expect(mapped.message).toBe(
      `a record with the same key already exists while recording the approval of request '${request.id}'`,
    );

    await db
      .insertInto('approvals')
      .values({ ...approval, approver: 'carol', step: 1 })
      .execute();
    const approvers = await db
      .selectFrom('approvals')
      .select('approver')
      .where('request_id', '=', request.id)
      .execute();
    expect(approvers.map((row) => row.approver).sort()).toEqual(['bob', 'carol']);
  });

  it('an approval must belong to a request that exists', async () => {
    const error = await failureOf(() =>
      context.database.db
        .insertInto('approvals')
        .values({ request_id: 'req_missing', approver: 'bob', step: 0, digest: 'd', at: T0 })
        .execute(),
    );
    expect(toStoreError(error).details).toMatchObject({ reason: 'foreign_key_violation' });
  });

  it('a request gets at most one grant, so a racing second activation fails', async () => {
    const { db } = context.database;
    const request = requestRow({ status: 'active' });
    await db.insertInto('requests').values(request).execute();
    await db.insertInto('grants').values(grantRow(request.id)).execute();
    const error = await failureOf(() => db.insertInto('grants').values(grantRow(request.id)).execute());
    expect(isUniqueViolation(error)).toBe(true);
  });

  it('a resource has at most one open finding per check, however many resolved ones', async () => {
    const { db } = context.database;
    await db
      .insertInto('resources')
      .values({ name: 'payments-db', profile: 'postgres-prod', source: 'policy', created_at: T0, updated_at: T0 })
      .execute();
    const finding = (status: 'open' | 'resolved') => ({
      id: newId('drf'),
      resource: 'payments-db',
      check_name: 'tls-on',
      severity: 'high' as const,
      status,
      message: 'TLS must be on',
      first_seen: T0,
      last_seen: T0,
      resolved_at: status === 'resolved' ? T0 : null,
    });
    await db
      .insertInto('drift_findings')
      .values([finding('resolved'), finding('resolved'), finding('open')])
      .execute();
    const error = await failureOf(() => db.insertInto('drift_findings').values(finding('open')).execute());
    expect(isUniqueViolation(error)).toBe(true);
  });

  it('two API tokens never share a hash', async () => {
    const { db } = context.database;
    const token = (id: string) => ({
      id,
      identity: 'deploy-bot',
      hash: 'f'.repeat(64),
      prefix: 'cs_abc',
      expires_at: T0 + 3_600_000,
      created_at: T0,
      created_by: 'alice',
    });
    await db.insertInto('api_tokens').values(token('tok_1')).execute();
    const error = await failureOf(() => db.insertInto('api_tokens').values(token('tok_2')).execute());
    expect(isUniqueViolation(error)).toBe(true);
  });

  it('a mapped driver error names no SQL, table or driver text', async () => {
    const { db } = context.database;
    const request = requestRow();
    await db.insertInto('requests').values(request).execute();
    const error = await failureOf(() => db.insertInto('requests').values(request).execute());
    const mapped = toStoreError(error);
    expect(mapped.message).toBe('a record with the same key already exists');
    expect(mapped.message + JSON.stringify(mapped.details)).not.toMatch(/insert|values|SQLITE|duplicate key/i);
  });

  it.runIf(context.dialect === 'sqlite')('SQLite runs in WAL mode with foreign keys and a busy timeout', async () => {
    const { db } = context.database;
    const pragma = async (name: string) =>
      Object.values((await sql.raw(`pragma ${name}`).execute(db)).rows[0] ?? {})[0];
    expect(await pragma('journal_mode')).toBe('wal');
    expect(await pragma('foreign_keys')).toBe(1);
    expect(await pragma('busy_timeout')).toBe(5000);
    expect(await pragma('synchronous')).toBe(1);
  });

  it.runIf(context.dialect === 'postgres')(
    'PostgreSQL sessions have a statement timeout and end transactions left idle',
    async () => {
      const { db } = context.database;
      const setting = async (name: string) =>
        (await sql<{ value: string }>`select current_setting(${name}) as value`.execute(db)).rows[0]?.value;
      expect(await setting('statement_timeout')).toBe('30s');
      expect(await setting('idle_in_transaction_session_timeout')).toBe('1min');
      expect(await setting('application_name')).toBe('countersign');
    },
  );
});
