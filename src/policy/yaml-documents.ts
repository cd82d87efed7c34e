/**
 * YAML parsing that keeps positions: every policy file is split into documents whose plain-JSON value is paired
 * with the YAML syntax tree, so that a problem found anywhere later (a zod issue path, a bad reference, a CEL
 * error offset inside a scalar) can be reported at `file:line:col` of the exact node it is about.
 */
import { LineCounter, isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments } from 'yaml';
import type { Document, Node as YamlNode, Scalar } from 'yaml';
import type { SourcePosition } from './model.js';
import type { PolicyProblem } from './problems.js';
import { problemAt } from './problems.js';

export type PathSegment = string | number;
export type Path = readonly PathSegment[];

export interface LocateOptions {
  /** Point at the key of the last path segment instead of its value (unknown fields, missing fields). */
  readonly key?: boolean;
}

/** One YAML document of one file: its plain value plus the means to turn a path into a source position. */
export class SourceDocument {
  constructor(
    readonly file: string,
    /** 0-based index of the document within its file. */
    readonly index: number,
    readonly value: unknown,
    private readonly doc: Document.Parsed,
    private readonly text: string,
    private readonly lineCounter: LineCounter,
  ) {}

  /** The position of the most specific node along `path` that exists (the document start when none does). */
  position(path: Path, options: LocateOptions = {}): SourcePosition {
    const node = this.locate(path, options);
    const offset = node?.range?.[0] ?? this.doc.range[0];
    return this.offsetPosition(offset);
  }

  /** A problem at `path`. */
  problem(path: Path, message: string, options: LocateOptions = {}): PolicyProblem {
    return problemAt(this.position(path, options), message);
  }

  /**
   * The position of character `offset` of the string value at `path`, accounting for quotes, escapes and
   * block-scalar indentation; used to point at the exact spot of a CEL error inside an expression.
   */
  valueOffsetPosition(path: Path, offset: number): SourcePosition {
    const node = this.locate(path, {});
    if (!node || !isScalar(node) || !node.range || typeof node.value !== 'string') return this.position(path);
    const start = node.range[0];
    const source = this.text.slice(start, node.range[1]);
    return this.offsetPosition(start + sourceIndexOfValueOffset(node, source, offset));
  }

  private offsetPosition(offset: number): SourcePosition {
    const { line, col } = this.lineCounter.linePos(offset);
    return { file: this.file, line, col };
  }

  private locate(path: Path, options: LocateOptions): YamlNode | null {
    let node: YamlNode | null = this.doc.contents;
    for (const [i, segment] of path.entries()) {
      if (node && isAlias(node)) node = (node.resolve(this.doc) as YamlNode | undefined) ?? node;
      const last = i === path.length - 1;
      if (node && isMap(node)) {
        const pair = node.items.find(
          (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment),
        );
        if (!pair) return node;
        const key = pair.key as YamlNode;
        const value = pair.value as YamlNode | null;
        if ((last && options.key === true) || value === null) return key;
        node = value;
      } else if (node && isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment] as YamlNode | undefined;
        if (!item) return node;
        node = item;
      } else {
        return node;
      }
    }
    return node;
  }
}

/** Parses one file into its documents; YAML syntax errors become problems (with position), never exceptions. */
export function parseYamlFile(file: string, text: string): { documents: SourceDocument[]; problems: PolicyProblem[] } {
  const lineCounter = new LineCounter();
  const documents: SourceDocument[] = [];
  const problems: PolicyProblem[] = [];
  const at = (offset: number): SourcePosition => ({ file, ...lineCounter.linePos(offset) });
  const parsed = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if ('empty' in parsed) {
    for (const error of parsed.errors) problems.push(problemAt(at(error.pos[0]), `YAML: ${firstLine(error.message)}`));
  }
  for (const [index, doc] of parsed.entries()) {
    if (doc.errors.length > 0) {
      for (const error of doc.errors) problems.push(problemAt(at(error.pos[0]), `YAML: ${firstLine(error.message)}`));
      continue;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (error) {
      problems.push(problemAt(at(doc.range[0]), `YAML: ${error instanceof Error ? error.message : String(error)}`));
      continue;
    }
    // An empty document (a stray `---`) carries no policy.
    if (value === null || value === undefined) continue;
    documents.push(new SourceDocument(file, index, value, doc, text, lineCounter));
  }
  return { documents, problems };
}

function firstLine(message: string): string {
  return message.split('\n', 1)[0] ?? message;
}

/**
 * Maps an offset in a scalar's value to an index in its source text. Characters are matched by counting
 * non-whitespace characters, which survive line folding and indentation unchanged; quotes and escapes are
 * decoded on the way.
 */
function sourceIndexOfValueOffset(node: Scalar, source: string, offset: number): number {
  const value = String(node.value);
  let wanted = 0;
  for (const char of value.slice(0, Math.max(0, offset))) if (!/\s/.test(char)) wanted += 1;
  let index = 0;
  let end = source.length;
  let decodeEscapes = false;
  switch (node.type) {
    case 'QUOTE_SINGLE':
    case 'QUOTE_DOUBLE':
      index = 1;
      end = source.length - 1;
      decodeEscapes = node.type === 'QUOTE_DOUBLE';
      break;
    case 'BLOCK_LITERAL':
    case 'BLOCK_FOLDED':
      index = source.indexOf('\n') + 1;
      break;
    default:
      break;
  }
  let seen = 0;
  while (index < end) {
    const [produced, width] = decodeToken(source, index, node.type === 'QUOTE_SINGLE', decodeEscapes);
    if (produced !== '' && !/\s/.test(produced)) {
      if (seen === wanted) return index;
      seen += 1;
    }
    index += width;
  }
  return Math.min(index, source.length);
}

/** One source token of a scalar: the characters it produces in the value and how many source characters it spans. */
function decodeToken(source: string, index: number, singleQuoted: boolean, doubleQuoted: boolean): [string, number] {
  const char = source[index] ?? '';
  if (singleQuoted && char === "'" && source[index + 1] === "'") return ["'", 2];
  if (doubleQuoted && char === '\\') {
    const next = source[index + 1] ?? '';
    if (next === 'x') return ['?', 4];
    if (next === 'u') return ['?', 6];
    if (next === 'U') return ['?', 10];
    if (next === '\n' || next === '\r') return ['', 2];
    if ('ntrNLP_ '.includes(next) && next !== '') return [' ', 2];
    return [next === '' ? '' : '?', 2];
  }
  return [char, 1];
}
