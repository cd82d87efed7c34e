/**
 * One writer per status (issue 11): the `requests` and `grants` tables are written only by their feature's repo,
 * which takes every status from the lifecycle tables (`lifecycle.decide.ts`, `grant-lifecycle.decide.ts`). This
 * reads the sources, so a new file that updates, inserts or deletes those rows by itself fails here rather than in
 * review. (The lease helpers of `store/lease.ts` write only the lease columns of a table they are handed.)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..', '..', 'src');
const WRITERS: Readonly<Record<string, string>> = {
  requests: 'features/requests/requests.repo.ts',
  grants: 'features/grants/grants.repo.ts',
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

const FILES = sourceFiles(SRC).map((path) => ({ path: relative(SRC, path), text: readFileSync(path, 'utf8') }));

/** Every Kysely or SQL write of `table` in `text`: the statements a writer is made of. */
function writesOf(table: string, text: string): string[] {
  const builder = new RegExp(String.raw`\b(updateTable|insertInto|deleteFrom)\(\s*['"\`]${table}['"\`]`, 'g');
  const rawSql = new RegExp(
    String.raw`\b(update|insert\s+into|delete\s+from)\s+"?${table}"?\s+(set|values|\(|where)`,
    'gi',
  );
  return [...text.matchAll(builder), ...text.matchAll(rawSql)].map((match) => match[0]);
}

describe('one writer per status', () => {
  it.each(Object.entries(WRITERS))('no file but its repo writes the %s table', (table, repo) => {
    const writers = FILES.filter((file) => file.path !== repo && writesOf(table, file.text).length > 0).map(
      (file) => `${file.path}: ${writesOf(table, file.text).join(', ')}`,
    );
    expect(writers).toEqual([]);
  });

  it.each(Object.entries(WRITERS))(
    'the %s repo writes that table (this test looks where the writes are)',
    (table, repo) => {
      const file = FILES.find((candidate) => candidate.path === repo);
      expect(file).toBeDefined();
      expect(writesOf(table, file?.text ?? '').length).toBeGreaterThan(0);
    },
  );

  it.each(Object.values(WRITERS))(
    '%s names no status of its own: every status comes from a lifecycle table',
    (repo) => {
      const text = FILES.find((file) => file.path === repo)?.text ?? '';
      const literalStatus = [...text.matchAll(/\bstatus:\s*['"`][a-z_]+['"`]/g)].map((match) => match[0]);
      expect(literalStatus).toEqual([]);
    },
  );
});
