import { describe, expect, it } from 'vitest';
import { canonicalDocuments, diffDocuments, diffLines, withContext } from './document-diff.js';

const profile = (risk: string, comment = '') => ({
  path: 'profiles.yaml',
  text: `${comment}apiVersion: countersign.dev/v1
kind: ResourceProfile
metadata: { name: pg }
spec:
  classification: restricted
  environment: production
  actions:
    read: { risk: low, maxDuration: 1h }
    write: { risk: ${risk}, maxDuration: 1h }
    admin: { risk: high, maxDuration: 30m }
    drop: { risk: critical, maxDuration: 10m }
    vacuum: { risk: low, maxDuration: 10m }
    analyze: { risk: low, maxDuration: 10m }
    reindex: { risk: low, maxDuration: 10m }
`,
});
const group = { path: 'groups.yaml', text: 'kind: Group\nmetadata: { name: dba }\nspec: { description: DBAs }\n' };

describe('a readable diff of policy documents', () => {
  it('names each document by kind and name, and ignores layout, comments and the file it is in', () => {
    const before = canonicalDocuments([profile('medium'), group]);
    expect([...before.keys()]).toEqual(['ResourceProfile pg', 'Group dba']);
    const moved = canonicalDocuments([
      profile('medium', '# the production database\n'),
      { path: 'other.yaml', text: 'metadata:\n  name: dba\nkind: Group\nspec:\n  description: "DBAs"\n' },
    ]);
    expect(diffDocuments(before, moved)).toEqual([]);
  });

  it('shows a changed line with the lines around it and says how many unchanged lines it leaves out', () => {
    const [diff] = diffDocuments(canonicalDocuments([profile('medium')]), canonicalDocuments([profile('high')]));
    expect(diff?.document).toBe('ResourceProfile pg');
    expect(diff?.change).toBe('modified');
    const changed = diff?.lines.filter((line) => line.op !== ' ');
    expect(changed).toEqual([
      { op: '-', text: '      risk: medium' },
      { op: '+', text: '      risk: high' },
    ]);
    const gaps = diff?.lines.filter((line) => line.skipped !== undefined) ?? [];
    expect(gaps.length).toBeGreaterThan(0);
    expect(gaps[0]?.text).toMatch(/^… \d+ unchanged lines?$/);
    const shown = diff?.lines.filter((line) => line.op === ' ' && line.skipped === undefined) ?? [];
    // At most three lines of context on either side of the one change.
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.length).toBeLessThanOrEqual(6);
  });

  it('shows an added document as added lines and a removed one as removed lines', () => {
    const diffs = diffDocuments(canonicalDocuments([group]), canonicalDocuments([profile('low')]));
    expect(diffs.map((d) => [d.document, d.change])).toEqual([
      ['Group dba', 'removed'],
      ['ResourceProfile pg', 'added'],
    ]);
    expect(diffs[0]?.lines.every((line) => line.op === '-')).toBe(true);
    expect(diffs[1]?.lines.every((line) => line.op === '+')).toBe(true);
    expect(diffs[1]?.lines[0]).toEqual({ op: '+', text: 'apiVersion: countersign.dev/v1' });
  });

  it.each([
    [
      ['a', 'b', 'c'],
      ['a', 'c'],
      [' a', '-b', ' c'],
    ],
    [
      ['a', 'c'],
      ['a', 'b', 'c'],
      [' a', '+b', ' c'],
    ],
    [['x', 'a', 'y'], ['a'], ['-x', ' a', '-y']],
    [[], ['a'], ['+a']],
    [
      ['a', 'b'],
      ['b', 'a'],
      ['-a', ' b', '+a'],
    ],
  ])('diffs %j to %j as %j', (a, b, expected) => {
    expect(diffLines(a, b).map((line) => `${line.op}${line.text}`)).toEqual(expected);
  });

  it('keeps every line of both sides, in order, whatever the edit', () => {
    for (let seed = 1; seed <= 200; seed += 1) {
      const a = Array.from({ length: seed % 9 }, (_, i) => String((seed * (i + 3)) % 5));
      const b = Array.from({ length: (seed * 7) % 11 }, (_, i) => String((seed + i * i) % 5));
      const lines = diffLines(a, b);
      expect(lines.filter((l) => l.op !== '+').map((l) => l.text)).toEqual(a);
      expect(lines.filter((l) => l.op !== '-').map((l) => l.text)).toEqual(b);
    }
  });

  it('leaves out no change when keeping context', () => {
    const lines = diffLines(
      ['1', '2', '3', '4', '5', '6', '7', '8', '9'],
      ['1', '2', '3', '4', 'x', '6', '7', '8', '9'],
    );
    expect(withContext(lines, 1).map((l) => `${l.op}${l.text}`)).toEqual([
      ' … 3 unchanged lines',
      ' 4',
      '-5',
      '+x',
      ' 6',
      ' … 3 unchanged lines',
    ]);
  });
});
