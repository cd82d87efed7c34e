/**
 * Filling an exec argv template (docs/policy.md, `exec` provider). The template is a list of elements; each
 * element may hold placeholders `{params.NAME}`, `{resource.name}`, `{resource.attributes.NAME}`,
 * `{request.id}` and `{grant.expiresAt}`. Filling is done element by element and in one pass:
 * - a placeholder fills part or all of one element and never splits into several (there is no shell, no word
 *   splitting, no globbing), and a substituted value is never scanned for placeholders again;
 * - an unknown placeholder, one not available in this context, a missing value, or a value that is not a
 *   string, number or boolean is refused (`invalid`);
 * - option injection: a substituted value may not make an element start with `-` (a parameter `--help` or
 *   `-rf` cannot become an option) unless the template puts a literal `--` element before it, the
 *   end-of-options marker after which programs read operands only;
 * - a NUL byte, which cannot cross `execve`, is refused, and every element is bounded in length.
 * `{grant.expiresAt}` is the grant's expiry as an ISO 8601 UTC timestamp (`2026-01-15T10:00:00.000Z`).
 * Messages name placeholders and positions, never the values, which may be sensitive.
 */
import { AppError } from '../../core/errors.js';
import type { Resource } from '../../policy/model.js';

const PLACEHOLDER = /\{([^{}]*)\}/g;
const MAX_ELEMENT_LENGTH = 32 * 1024;
const MAX_TOTAL_LENGTH = 256 * 1024;

/** What placeholders may draw on; a field left out makes its placeholders unavailable. */
export interface TemplateValues {
  readonly params?: Readonly<Record<string, unknown>>;
  readonly resource?: Resource;
  readonly requestId?: string;
  /** Epoch milliseconds. */
  readonly grantExpiresAt?: number;
}

type Lookup = { readonly found: true; readonly value: unknown } | { readonly found: false; readonly problem: string };

function lookup(name: string, values: TemplateValues): Lookup {
  const missing = (problem: string): Lookup => ({ found: false, problem });
  const param = /^params\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(name);
  if (param) {
    if (values.params === undefined) return missing(`placeholder '{${name}}' is not available here`);
    const key = param[1] ?? '';
    if (!Object.hasOwn(values.params, key)) return missing(`parameter '${key}' is not set`);
    return { found: true, value: values.params[key] };
  }
  const attribute = /^resource\.attributes\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(name);
  if (attribute || name === 'resource.name') {
    if (values.resource === undefined) return missing(`placeholder '{${name}}' is not available here`);
    if (!attribute) return { found: true, value: values.resource.name };
    const key = attribute[1] ?? '';
    if (!Object.hasOwn(values.resource.attributes, key)) {
      return missing(`resource '${values.resource.name}' has no attribute '${key}'`);
    }
    return { found: true, value: values.resource.attributes[key] };
  }
  if (name === 'request.id') {
    return values.requestId === undefined
      ? missing(`placeholder '{request.id}' is not available here`)
      : { found: true, value: values.requestId };
  }
  if (name === 'grant.expiresAt') {
    return values.grantExpiresAt === undefined
      ? missing(`placeholder '{grant.expiresAt}' is not available here`)
      : { found: true, value: new Date(values.grantExpiresAt).toISOString() };
  }
  return missing(`unknown placeholder '{${name}}'`);
}

function render(name: string, value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw new AppError('invalid', `placeholder '{${name}}' must be a string, number or boolean to fill an argv element`);
}

/**
 * Fills `template` into the argv to spawn. Invariant: the result has exactly as many elements as the template,
 * each substituted value lands verbatim inside the element that named it, and no value can turn into an option.
 */
export function fillArgv(template: readonly string[], values: TemplateValues): string[] {
  if (template.length === 0) throw new AppError('invalid', 'the argv template is empty');
  let total = 0;
  let afterEndOfOptions = false;
  return template.map((element, index) => {
    const filled = element.replace(PLACEHOLDER, (_match, name: string) => {
      const found = lookup(name, values);
      if (!found.found) throw new AppError('invalid', `argv element ${index}: ${found.problem}`);
      return render(name, found.value);
    });
    if (filled.includes('\0')) throw new AppError('invalid', `argv element ${index} would contain a NUL byte`);
    if (filled.startsWith('-') && !element.startsWith('-') && !afterEndOfOptions) {
      throw new AppError(
        'invalid',
        `argv element ${index}: a substituted value may not start with '-' (it would read as an option); ` +
          `put a '--' element before it in the template to pass such values`,
      );
    }
    if (filled.length > MAX_ELEMENT_LENGTH) {
      throw new AppError('invalid', `argv element ${index} is longer than ${MAX_ELEMENT_LENGTH} characters`);
    }
    total += filled.length;
    if (total > MAX_TOTAL_LENGTH)
      throw new AppError('invalid', `the argv is longer than ${MAX_TOTAL_LENGTH} characters`);
    if (element === '--') afterEndOfOptions = true;
    return filled;
  });
}

/** Names of the `{params.NAME}` placeholders a template uses (what a grant handle must keep for revoke). */
export function paramNamesIn(template: readonly string[]): string[] {
  const names = new Set<string>();
  for (const element of template) {
    for (const [, name] of element.matchAll(/\{params\.([A-Za-z_][A-Za-z0-9_]*)\}/g)) if (name) names.add(name);
  }
  return [...names];
}

/** Problems with a template's placeholders, checked without values (for `validateConfig`). */
export function templateProblems(template: unknown, allowed: readonly string[], where: string): string[] {
  if (!Array.isArray(template) || template.length === 0 || !template.every((item) => typeof item === 'string')) {
    return [`${where} must be a non-empty list of strings`];
  }
  const problems: string[] = [];
  for (const [index, element] of (template as string[]).entries()) {
    for (const [, name] of element.matchAll(PLACEHOLDER)) {
      const source = /^(params|resource|request|grant)\./.exec(name ?? '')?.[1];
      const known =
        /^params\.[A-Za-z_][A-Za-z0-9_]*$/.test(name ?? '') ||
        /^resource\.(?:name|attributes\.[A-Za-z_][A-Za-z0-9_]*)$/.test(name ?? '') ||
        name === 'request.id' ||
        name === 'grant.expiresAt';
      if (!known || source === undefined || !allowed.includes(source)) {
        problems.push(`${where}[${index}]: placeholder '{${name ?? ''}}' is not allowed here`);
      }
    }
  }
  return problems;
}
