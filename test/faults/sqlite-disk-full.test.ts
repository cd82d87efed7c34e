/**
 * Fault: the embedded SQLite file's disk fills up (issue 10, finding 7). A small tmpfs holds the database; a
 * filler file takes the rest of its space. A verb must then answer 503 `database_unavailable` with
 * `Retry-After` (not 500 `internal`, and not SQLite's "cannot rollback" hiding the cause), change nothing, and
 * work again once space is freed. Needs `mount -t tmpfs` (root); skipped with a message where that is refused.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/store/database.js';
import { createHttpTestApp, type HttpTestApp } from '../http/http-fixtures.js';
import { SHORT_READ } from '../app/requests-fixtures.js';

const mountPoint = mkdtempSync(join(tmpdir(), 'countersign-full-'));
const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', mountPoint]).status === 0;
if (!mounted) {
  rmSync(mountPoint, { recursive: true, force: true });
  const why = 'this machine refuses to mount a tmpfs (not root, or no mount permission in this sandbox)';
  if (process.env.CI === 'true' && process.getuid?.() === 0)
    throw new Error(`the disk-full test must run in CI: ${why}`);
  console.warn(`skipping the SQLite disk-full fault test: ${why}`);
}

/** Fills the file system with one file, leaving nothing (or almost nothing) free. */
function fill(path: string): void {
  const chunk = Buffer.alloc(64 * 1024, 1);
  const file = join(path, 'filler');
  for (;;) {
    try {
      writeFileSync(file, chunk, { flag: 'a' });
    } catch {
      return;
    }
  }
}

describe.skipIf(!mounted)('a full disk under SQLite', () => {
  let database: Database;
  let test: HttpTestApp;
  const url = join(mountPoint, 'countersign.db');

  beforeAll(async () => {
    database = await openDatabase(url);
    test = await createHttpTestApp({ dialect: 'sqlite', database, url, open: () => openDatabase(url) });
  }, 60_000);

  afterAll(async () => {
    await test?.http.close();
    await database?.close();
    spawnSync('umount', ['-l', mountPoint]);
    rmSync(mountPoint, { recursive: true, force: true });
  });

  it('answers 503 database_unavailable with Retry-After, changes nothing, and works again once space is freed', async () => {
    const token = await test.tokenFor('alice');
    const before = await database.db
      .selectFrom('requests')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirst();
    fill(mountPoint);
    let refused;
    // The WAL may still have room for a few commits; keep asking until the disk is really full.
    for (let attempt = 0; attempt < 200; attempt++) {
      const response = await test.call('POST', '/v1/requests', token, SHORT_READ);
      if (response.statusCode !== 201) {
        refused = response;
        break;
      }
    }
    expect(refused?.statusCode).toBe(503);
    expect(refused?.json()).toMatchObject({ code: 'database_unavailable' });
    expect(refused?.headers['retry-after']).toBe('5');
    rmSync(join(mountPoint, 'filler'));
    const after = await test.call('POST', '/v1/requests', token, SHORT_READ);
    expect(after.statusCode).toBe(201);
    const count = await database.db
      .selectFrom('requests')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirst();
    expect(Number(count?.n)).toBeGreaterThan(Number(before?.n));
  }, 60_000);
});
