/**
 * The list of reason codes is closed and complete: every code a decision names has a kind (the type checker
 * refuses one that does not, unless forced through a cast, which this test catches), every code listed is given
 * somewhere, and `docs/reasons.md` lists exactly these codes with their kinds.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REASON_KINDS } from './reason-codes.js';

const listed = new Map<string, string>(Object.entries(REASON_KINDS));

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourcesUnder(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });
}

/** A source file's code without its comments, where identifiers of files and codes are quoted too. */
function codeOf(path: string): string {
  return readFileSync(path, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');
}

/** Quoted strings shaped like a reason code (`area.what`). */
function quotedCodes(source: string): Set<string> {
  return new Set([...source.matchAll(/(['`])([a-z_]+\.[a-z_]+)\1/g)].map((match) => match[2] as string));
}

/** Prefixes of reason codes built from a template (`reason(\`visibility.${duty}\`, …)`). */
function templatePrefixes(source: string): Set<string> {
  return new Set([...source.matchAll(/reason\(\s*`([a-z_]+\.)\$\{/g)].map((match) => match[1] as string));
}

describe('the reason codes', () => {
  it('every code the decide layer names has a kind', () => {
    const named = sourcesUnder('src/decide').flatMap((path) => [...quotedCodes(codeOf(path))]);
    expect(named.length).toBeGreaterThan(150);
    expect(named.filter((code) => !listed.has(code))).toEqual([]);
  });

  it('every code listed is given by some decision or verb', () => {
    const sources = sourcesUnder('src')
      .filter((path) => !path.endsWith('reason-codes.ts'))
      .map(codeOf)
      .join('\n');
    const given = quotedCodes(sources);
    const prefixes = [...templatePrefixes(sources)];
    const unused = [...listed.keys()].filter(
      (code) => !given.has(code) && !prefixes.some((prefix) => code.startsWith(prefix)),
    );
    expect(unused).toEqual([]);
  });

  it('docs/reasons.md lists every code with its kind, and no other', () => {
    const rows = [...readFileSync('docs/reasons.md', 'utf8').matchAll(/^\| `([a-z_]+\.[a-z_]+)` \| (\w+) \|/gm)];
    const documented = new Map(rows.map((row) => [row[1] as string, row[2] as string]));
    expect(rows).toHaveLength(documented.size);
    expect(documented).toEqual(listed);
  });
});
