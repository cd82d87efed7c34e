/**
 * Turns zod issues into policy problems: each issue path is mapped back to the YAML node it is about (the key
 * for unknown and missing fields, the value otherwise) and its message is rewritten in product words.
 */
import type { z } from 'zod';
import type { PolicyProblem } from './problems.js';
import type { Path, PathSegment, SourceDocument } from './yaml-documents.js';

type Issue = z.core.$ZodIssue;

/** `spec.actions.read.approval[0].when` */
export function formatPath(path: Path): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? segment : `.${segment}`;
  }
  return text;
}

function quote(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the string '${value}'`;
  return `${typeof value} ${String(value)}`;
}

const EXPECTED: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  object: 'a mapping',
  record: 'a mapping',
  array: 'a list',
};

function sizeMessage(issue: Issue & { code: 'too_big' | 'too_small' }): string {
  const bound = issue.code === 'too_big' ? 'at most' : 'at least';
  const limit = String(issue.code === 'too_big' ? issue.maximum : issue.minimum);
  switch (issue.origin) {
    case 'string':
      return limit === '1' && issue.code === 'too_small'
        ? 'must not be empty'
        : `must be ${bound} ${limit} characters long`;
    case 'array':
    case 'set':
      return `must have ${bound} ${limit} ${limit === '1' ? 'entry' : 'entries'}`;
    default:
      return `must be ${bound} ${limit}`;
  }
}

/**
 * Problems for the zod issues of one value found at `base` inside `doc`. Paths are reported relative to the
 * document, so that a problem reads `spec.actions.read.risk: 'extreme' is not one of …`.
 */
export function issueProblems(doc: SourceDocument, issues: readonly Issue[], base: Path = []): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  for (const issue of issues) {
    const path: PathSegment[] = [...base, ...(issue.path as PathSegment[])];
    const where = formatPath(path);
    const prefix = where === '' ? '' : `${where}: `;
    switch (issue.code) {
      case 'unrecognized_keys':
        for (const key of issue.keys)
          problems.push(doc.problem([...path, key], `${prefix}unknown field '${key}'`, { key: true }));
        break;
      case 'invalid_type':
      case 'invalid_value': {
        if (issue.input === undefined) {
          const parent = path.slice(0, -1);
          const field = path[path.length - 1];
          const parentText = formatPath(parent);
          problems.push(
            doc.problem(
              parent,
              `${parentText === '' ? '' : `${parentText}: `}missing required field '${String(field)}'`,
              {
                key: true,
              },
            ),
          );
        } else if (issue.code === 'invalid_type') {
          problems.push(
            doc.problem(
              path,
              `${prefix}expected ${EXPECTED[issue.expected] ?? issue.expected}, got ${describe(issue.input)}`,
            ),
          );
        } else {
          problems.push(
            doc.problem(
              path,
              issue.values.length === 1
                ? `${prefix}must be ${quote(issue.values[0])}`
                : `${prefix}${quote(issue.input)} is not one of ${issue.values.map(String).join(', ')}`,
            ),
          );
        }
        break;
      }
      case 'too_big':
      case 'too_small':
        problems.push(doc.problem(path, `${prefix}${sizeMessage(issue)}`));
        break;
      case 'invalid_key': {
        const inner = issue.issues[0]?.message ?? issue.message;
        problems.push(doc.problem(path, `${formatPath(path.slice(0, -1))}: ${inner}`, { key: true }));
        break;
      }
      case 'invalid_element':
        problems.push(...issueProblems(doc, issue.issues, path));
        break;
      default:
        problems.push(doc.problem(path, `${prefix}${issue.message}`));
    }
  }
  return problems;
}
