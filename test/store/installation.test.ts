import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.js';
import { readInstallationId } from '../../src/store/installation.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { describeEachDialect } from './dialects.js';

describeEachDialect('installation id', (context) => {
  it('the migrated database has one installation id, which every handle on it reads alike', async () => {
    const id = await readInstallationId(context.database);
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(await readInstallationId(await context.open())).toBe(id);
  });

  it('the table holds one row only', async () => {
    await expect(
      sql`insert into installation (id, installation_id, created_at) values (2, 'other', 0)`.execute(
        context.database.db,
      ),
    ).rejects.toThrow();
  });

  it('another database gets another installation id', async () => {
    const other = await openDatabase(':memory:');
    try {
      const migrated = await migrateToLatest(other);
      expect(migrated.error).toBeUndefined();
      expect(await readInstallationId(other)).not.toBe(await readInstallationId(context.database));
    } finally {
      await other.close();
    }
  });
});
