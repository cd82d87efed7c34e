/**
 * The first check of every YAML document: its envelope and spec against the strict schema of its kind, then
 * one name per kind. Documents that pass are typed; the names of all documents whose kind and name are readable
 * are kept too, so that a reference to a document with an unrelated defect is not also reported as missing.
 */
import type { PolicyProblem } from './problems.js';
import type { Kind, Metadata, SpecByKind } from './schemas.js';
import { API_VERSION, DOCUMENT_SCHEMAS, KINDS } from './schemas.js';
import { nameSchema } from './schema-primitives.js';
import { formatPath, issueProblems } from './schema-issues.js';
import type { Path, SourceDocument } from './yaml-documents.js';

/** The longest string accepted anywhere, including free-form settings the schemas do not describe. */
export const MAX_ANY_STRING = 20_000;

/** Paths of strings longer than `MAX_ANY_STRING`, so that no unbounded text reaches a provider or the store. */
function oversizedStrings(value: unknown, path: Path, found: Path[]): Path[] {
  if (typeof value === 'string' && value.length > MAX_ANY_STRING) found.push(path);
  else if (Array.isArray(value)) value.forEach((item, i) => oversizedStrings(item, [...path, i], found));
  else if (value !== null && typeof value === 'object') {
    for (const [key, member] of Object.entries(value)) oversizedStrings(member, [...path, key], found);
  }
  return found;
}

export interface PolicyDocument<K extends Kind = Kind> {
  readonly kind: K;
  readonly name: string;
  readonly metadata: Metadata;
  readonly spec: SpecByKind[K];
  readonly source: SourceDocument;
}

/** Valid documents by kind and name, plus every readable name (valid or not) for reference checks. */
export interface DocumentIndex {
  readonly byKind: { readonly [K in Kind]: ReadonlyMap<string, PolicyDocument<K>> };
  readonly names: { readonly [K in Kind]: ReadonlySet<string> };
}

function isKind(value: unknown): value is Kind {
  return typeof value === 'string' && (KINDS as readonly string[]).includes(value);
}

function emptyByKind<T>(make: () => T): { [K in Kind]: T } {
  return Object.fromEntries(KINDS.map((kind) => [kind, make()])) as { [K in Kind]: T };
}

/** Checks each document against its kind's schema and indexes the valid ones; duplicates are problems. */
export function indexDocuments(sources: readonly SourceDocument[]): {
  index: DocumentIndex;
  problems: PolicyProblem[];
} {
  const problems: PolicyProblem[] = [];
  const byKind = emptyByKind(() => new Map<string, PolicyDocument>());
  const names = emptyByKind(() => new Set<string>());
  const firstSeen = emptyByKind(() => new Map<string, SourceDocument>());

  for (const source of sources) {
    const value = source.value;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      problems.push(source.problem([], 'a policy document must be a mapping with apiVersion, kind, metadata and spec'));
      continue;
    }
    const record = value as Record<string, unknown>;
    if (record.apiVersion !== API_VERSION && record.kind === undefined) {
      problems.push(
        source.problem([], `not a Countersign policy document: expected apiVersion '${API_VERSION}' and a kind`),
      );
      continue;
    }
    const kind = record.kind;
    if (!isKind(kind)) {
      problems.push(
        kind === undefined
          ? source.problem([], "missing required field 'kind'")
          : source.problem(['kind'], `kind: '${String(kind)}' is not one of ${KINDS.join(', ')}`),
      );
      continue;
    }
    const rawName = (record.metadata as Record<string, unknown> | undefined)?.name;
    const nameOk = nameSchema.safeParse(rawName).success;
    const name = String(rawName);
    if (nameOk) {
      const first = firstSeen[kind].get(name);
      if (first) {
        const at = first.position(['metadata', 'name']);
        problems.push(
          source.problem(
            ['metadata', 'name'],
            `duplicate ${kind} '${name}': first defined at ${at.file}:${at.line}:${at.col}`,
          ),
        );
        continue;
      }
      firstSeen[kind].set(name, source);
      names[kind].add(name);
    }
    const parsed = DOCUMENT_SCHEMAS[kind].safeParse(value, { reportInput: true });
    const flagged = new Set(parsed.success ? [] : parsed.error.issues.map((issue) => formatPath(issue.path as Path)));
    const oversized = oversizedStrings(value, [], []).filter((path) => !flagged.has(formatPath(path)));
    for (const path of oversized) {
      problems.push(source.problem(path, `${formatPath(path)}: must be at most ${MAX_ANY_STRING} characters long`));
    }
    if (!parsed.success) {
      problems.push(...issueProblems(source, parsed.error.issues));
      continue;
    }
    if (oversized.length > 0) continue;
    const document = { kind, name, metadata: parsed.data.metadata, spec: parsed.data.spec, source } as PolicyDocument;
    byKind[kind].set(name, document);
  }
  return { index: { byKind, names } as DocumentIndex, problems };
}
