import { describe, expect, it } from 'vitest';
import { parseYamlFile } from './yaml-documents.js';

function only(text: string) {
  const { documents, problems } = parseYamlFile('f.yaml', text);
  expect(problems).toEqual([]);
  const [doc] = documents;
  if (!doc) throw new Error('no document');
  return doc;
}

describe('positions inside a scalar', () => {
  // Each case: the YAML, and the line/col of the 'X' that the value offset of 'X' must map to.
  it.each([
    ['a plain scalar', 'e: a == X\n', 1, 9],
    ['a single-quoted scalar with an escaped quote', "e: 'a == ''b'' && X'\n", 1, 19],
    ['a double-quoted scalar with escapes', 'e: "a == \\"b\\" && X"\n', 1, 19],
    ['a literal block scalar', 'e: |\n  a == b &&\n    X\n', 3, 5],
    ['a folded block scalar', 'e: >-\n  a == b &&\n  X\n', 3, 3],
    ['a plain scalar folded over lines', 'k:\n  e: a == b\n    && X\n', 3, 8],
  ])('%s maps a value offset to its line and column', (_what, text, line, col) => {
    const doc = only(text);
    const value = (doc.value as { e?: string; k?: { e: string } }).e ?? (doc.value as { k: { e: string } }).k.e;
    const path = text.startsWith('k:') ? ['k', 'e'] : ['e'];
    expect(doc.valueOffsetPosition(path, value.indexOf('X'))).toEqual({ file: 'f.yaml', line, col });
  });
});

describe('locating nodes', () => {
  const doc = only('spec:\n  actions:\n    read: { risk: low }\n  list: [a, b]\n');

  it('points at the value of an existing path', () => {
    expect(doc.position(['spec', 'actions', 'read', 'risk'])).toEqual({ file: 'f.yaml', line: 3, col: 19 });
    expect(doc.position(['spec', 'list', 1])).toEqual({ file: 'f.yaml', line: 4, col: 13 });
  });

  it('points at the key when asked', () => {
    expect(doc.position(['spec', 'actions', 'read'], { key: true })).toEqual({ file: 'f.yaml', line: 3, col: 5 });
  });

  it('falls back to the most specific node that exists', () => {
    expect(doc.position(['spec', 'actions', 'write', 'risk'])).toEqual({ file: 'f.yaml', line: 3, col: 5 });
    expect(doc.position(['spec', 'list', 7])).toEqual({ file: 'f.yaml', line: 4, col: 9 });
  });
});

describe('parsing files', () => {
  it('reports each YAML syntax error with its position instead of throwing', () => {
    const { documents, problems } = parseYamlFile('f.yaml', 'a: 1\n---\nb: [1, 2\nc: 3\n---\nd: 4\n');
    expect(documents.map((doc) => doc.value)).toEqual([{ a: 1 }, { d: 4 }]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      file: 'f.yaml',
      line: 4,
      message: expect.stringContaining('YAML: Flow sequence'),
    });
  });

  it('reports duplicate keys', () => {
    const { problems } = parseYamlFile('f.yaml', 'a: 1\na: 2\n');
    expect(problems).toEqual([{ file: 'f.yaml', line: 2, col: 1, message: 'YAML: Map keys must be unique' }]);
  });
});
