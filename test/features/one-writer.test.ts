/**
 * One writer per table, one mapper per row (issue 11): the `requests` and `grants` tables are written only by their
 * feature's repo, which takes every status from the lifecycle tables (`lifecycle.decide.ts`,
 * `grant-lifecycle.decide.ts`); `sod_exceptions` and `resources` likewise by theirs; and rows of `sod_exceptions`
 * and `resources` become objects in one place each. This reads the sources, so a new file that writes those rows or
 * maps them by itself fails here rather than in review. (The lease helpers of `store/lease.ts` write only the lease
 * columns of a table they are handed.)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..', '..', 'src');
const WRITERS: Readonly<Record<string, string>> = {
  requests: 'features/requests/requests.repo.ts',
  grants: 'features/grants/grants.repo.ts',
  sod_exceptions: 'features/governance/exceptions.repo.ts',
  resources: 'features/resources/resources.repo.ts',
  gateway_credentials: 'features/grants/gateway-credentials.repo.ts',
  gateway_sessions: 'features/sessions/sessions.repo.ts',
  gateway_statements: 'features/sessions/sessions.repo.ts',
  gateway_cancel_keys: 'features/sessions/cancel-keys.repo.ts',
};
const STATUS_WRITERS = ['features/requests/requests.repo.ts', 'features/grants/grants.repo.ts'];
const MAPPERS: Readonly<Record<string, string>> = {
  sod_exceptions: 'store/sod-exception-row.ts',
  resources: 'store/resource-row.ts',
};
const COLUMN_MARKS: Readonly<Record<string, readonly RegExp[]>> = { sod_exceptions: [/\.compensating_control\b/g] };

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

const FILES = sourceFiles(SRC).map((path) => ({ path: relative(SRC, path), text: readFileSync(path, 'utf8') }));

function textOf(path: string): string {
  return FILES.find((file) => file.path === path)?.text ?? '';
}

/** Every Kysely or SQL write of `table` in `text`: the statements a writer is made of. */
function writesOf(table: string, text: string): string[] {
  const builder = new RegExp(String.raw`\b(updateTable|insertInto|deleteFrom)\(\s*['"\`]${table}['"\`]`, 'g');
  const rawSql = new RegExp(
    String.raw`\b(update|insert\s+into|delete\s+from)\s+"?${table}"?\s+(set|values|\(|where)`,
    'gi',
  );
  return [...text.matchAll(builder), ...text.matchAll(rawSql)].map((match) => match[0]);
}

/**
 * What a row mapper of `table` looks like: a parameter typed as its stored row (`row: Row<'table'>`), or a read of
 * one of its columns that only a mapper needs (`.compensating_control`).
 */
function rowMappersOf(table: string, text: string): string[] {
  const marks = [new RegExp(String.raw`\w+: Row<'${table}'>`, 'g'), ...(COLUMN_MARKS[table] ?? [])];
  return marks.flatMap((mark) => [...text.matchAll(mark)].map((match) => match[0]));
}

describe('one writer per table', () => {
  it.each(Object.entries(WRITERS))('no file but its repo writes the %s table', (table, repo) => {
    const others = FILES.filter((file) => file.path !== repo && writesOf(table, file.text).length > 0);
    expect(others.map((file) => `${file.path}: ${writesOf(table, file.text).join(', ')}`)).toEqual([]);
  });

  it.each(Object.entries(WRITERS))(
    'the %s repo writes that table (the scan looks where the writes are)',
    (table, repo) => {
      expect(writesOf(table, textOf(repo)).length).toBeGreaterThan(0);
    },
  );

  it.each(STATUS_WRITERS)('%s names no status of its own: every status comes from a lifecycle table', (repo) => {
    const literalStatus = [...textOf(repo).matchAll(/\bstatus:\s*['"`][a-z_]+['"`]/g)].map((match) => match[0]);
    expect(textOf(repo)).toMatch(/\bstatus\b/);
    expect(literalStatus).toEqual([]);
  });
});

describe('one row mapper per table', () => {
  it.each(Object.entries(MAPPERS))('only %s rows are turned into objects in one file', (table, mapper) => {
    const others = FILES.filter((file) => file.path !== mapper && rowMappersOf(table, file.text).length > 0);
    expect(others.map((file) => file.path)).toEqual([]);
    expect(rowMappersOf(table, textOf(mapper)).length).toBeGreaterThan(0);
  });
});
