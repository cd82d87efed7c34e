/**
 * A readable diff of two sets of policy documents, document by document: each YAML document is named by its kind
 * and name, written out again in a canonical form (keys sorted, no comments, one way of quoting), and compared line
 * by line with a few lines of context, so that a reviewer sees what changed in each document and not only that its
 * hash did. Layout, comments and moving a document to another file change nothing. Pure: no I/O.
 */
import { parseAllDocuments, stringify } from 'yaml';

export type DocumentChange = 'added' | 'removed' | 'modified';

export interface DiffLine {
  /** ' ' unchanged (context), '+' added, '-' removed. */
  readonly op: ' ' | '+' | '-';
  readonly text: string;
  /** On a context line standing for unchanged lines left out: how many. */
  readonly skipped?: number;
}

export interface DocumentDiff {
  /** `Kind name`, e.g. `ResourceProfile postgres-prod`. */
  readonly document: string;
  readonly change: DocumentChange;
  readonly lines: readonly DiffLine[];
}

/** Unchanged lines shown around each change. */
export const DIFF_CONTEXT_LINES = 3;
/** Above this many line pairs a document is shown as removed then added rather than compared line by line. */
const MAX_COMPARED_CELLS = 4_000_000;

/**
 * Every document of `sources` by `Kind name`, in canonical YAML. A document without a kind or name (which a
 * valid policy does not have) is named by its file and place, so that it is still shown.
 */
export function canonicalDocuments(
  sources: readonly { readonly path: string; readonly text: string }[],
): Map<string, string> {
  const documents = new Map<string, string>();
  for (const source of sources) {
    parseAllDocuments(source.text).forEach((document, index) => {
      const value: unknown = document.toJS();
      if (value === null || value === undefined) return;
      documents.set(documentName(value, `${source.path}#${index + 1}`), stringify(value, CANONICAL));
    });
  }
  return documents;
}

const CANONICAL = { sortMapEntries: true, lineWidth: 0 } as const;

function documentName(value: unknown, fallback: string): string {
  if (typeof value !== 'object' || value === null) return fallback;
  const { kind, metadata } = value as { kind?: unknown; metadata?: { name?: unknown } };
  const name = metadata?.name;
  return typeof kind === 'string' && typeof name === 'string' ? `${kind} ${name}` : fallback;
}

/** The documents added, removed or modified from `before` to `after`, by name; unchanged ones are left out. */
export function diffDocuments(
  before: ReadonlyMap<string, string>,
  after: ReadonlyMap<string, string>,
  context = DIFF_CONTEXT_LINES,
): DocumentDiff[] {
  const names = [...new Set([...before.keys(), ...after.keys()])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const diffs: DocumentDiff[] = [];
  for (const document of names) {
    const old = before.get(document);
    const now = after.get(document);
    if (old === now) continue;
    if (old === undefined) diffs.push({ document, change: 'added', lines: linesOf(now ?? '', '+') });
    else if (now === undefined) diffs.push({ document, change: 'removed', lines: linesOf(old, '-') });
    else diffs.push({ document, change: 'modified', lines: withContext(diffLines(split(old), split(now)), context) });
  }
  return diffs;
}

function split(text: string): string[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

function linesOf(text: string, op: '+' | '-'): DiffLine[] {
  return split(text).map((line) => ({ op, text: line }));
}

/** The line diff of `a` to `b` by their longest common subsequence: every line of both, in order. */
export function diffLines(a: readonly string[], b: readonly string[]): DiffLine[] {
  // Common lines at both ends are kept out of the table, which is what most edits leave.
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start += 1;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA -= 1;
    endB -= 1;
  }
  const head = a.slice(0, start).map((text): DiffLine => ({ op: ' ', text }));
  const tail = a.slice(endA).map((text): DiffLine => ({ op: ' ', text }));
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  if (midA.length * midB.length > MAX_COMPARED_CELLS) {
    return [
      ...head,
      ...midA.map((text): DiffLine => ({ op: '-', text })),
      ...midB.map((text): DiffLine => ({ op: '+', text })),
      ...tail,
    ];
  }
  return [...head, ...lcsDiff(midA, midB), ...tail];
}

function lcsDiff(a: readonly string[], b: readonly string[]): DiffLine[] {
  const width = b.length + 1;
  // lengths[i * width + j]: the longest common subsequence of a[i..] and b[j..].
  const lengths = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i -= 1) {
    for (let j = b.length - 1; j >= 0; j -= 1) {
      lengths[i * width + j] =
        a[i] === b[j]
          ? (lengths[(i + 1) * width + j + 1] ?? 0) + 1
          : Math.max(lengths[(i + 1) * width + j] ?? 0, lengths[i * width + j + 1] ?? 0);
    }
  }
  const lines: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      lines.push({ op: ' ', text: a[i] ?? '' });
      i += 1;
      j += 1;
    } else if ((lengths[(i + 1) * width + j] ?? 0) >= (lengths[i * width + j + 1] ?? 0)) {
      lines.push({ op: '-', text: a[i] ?? '' });
      i += 1;
    } else {
      lines.push({ op: '+', text: b[j] ?? '' });
      j += 1;
    }
  }
  for (; i < a.length; i += 1) lines.push({ op: '-', text: a[i] ?? '' });
  for (; j < b.length; j += 1) lines.push({ op: '+', text: b[j] ?? '' });
  return lines;
}

/** Keeps `context` unchanged lines around each change; each run left out becomes one line saying how many. */
export function withContext(lines: readonly DiffLine[], context: number): DiffLine[] {
  const near = new Array<boolean>(lines.length).fill(false);
  lines.forEach((line, index) => {
    if (line.op === ' ') return;
    for (let k = Math.max(0, index - context); k <= Math.min(lines.length - 1, index + context); k += 1) near[k] = true;
  });
  const kept: DiffLine[] = [];
  let skipped = 0;
  lines.forEach((line, index) => {
    if (near[index]) {
      if (skipped > 0) kept.push(gap(skipped));
      skipped = 0;
      kept.push(line);
    } else skipped += 1;
  });
  if (skipped > 0) kept.push(gap(skipped));
  return kept;
}

function gap(count: number): DiffLine {
  return { op: ' ', text: `… ${count} unchanged line${count === 1 ? '' : 's'}`, skipped: count };
}
