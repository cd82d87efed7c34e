import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SessionJournal } from './session-journal.js';
import type { JournalRecord } from './session-records.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function openJournal(): { journal: SessionJournal; dir: string; text(): string } {
  const dir = mkdtempSync(join(tmpdir(), 'journal-test-'));
  dirs.push(dir);
  const journal = SessionJournal.open(dir);
  const text = (): string =>
    readdirSync(dir)
      .filter((name) => name.endsWith('.jsonl'))
      .map((name) => readFileSync(join(dir, name), 'utf8'))
      .join('');
  return { journal, dir, text };
}

const statement = (seq: number): JournalRecord => ({
  t: 's',
  id: 'session-1',
  seq,
  at: 0,
  sql: `select ${seq}`,
  facts: [],
  decision: { allowed: true, builtIn: false, message: '' },
});
const outcome = (seq: number): JournalRecord => ({ t: 'o', id: 'session-1', seq, rows: 1, bytes: 1, ms: 0 });

describe('the session journal', () => {
  it('an appended statement is on disk when append returns', () => {
    const { journal, text } = openJournal();
    journal.append(statement(1));
    expect(text()).toBe(`${JSON.stringify(statement(1))}\n`);
    journal.close();
  });

  it('records go to disk in the order they were appended, one line each', () => {
    const { journal, text } = openJournal();
    journal.append(statement(1));
    journal.append(outcome(1));
    journal.append(statement(2));
    expect(
      text()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as JournalRecord),
    ).toEqual([statement(1), outcome(1), statement(2)]);
    journal.close();
  });

  it('a closed journal keeps a segment that is not shipped yet, and refuses appends', () => {
    const { journal, dir } = openJournal();
    journal.append(statement(1));
    journal.close();
    expect(readdirSync(dir).filter((name) => name.endsWith('.jsonl'))).toHaveLength(1);
    expect(() => journal.append(statement(2))).toThrow(/closed/);
  });
});
