/**
 * Reads a policy directory from disk: every `*.yaml` / `*.yml` file below it, recursively (hidden entries
 * skipped), in sorted path order, handed to the pure loader. The only module of src/policy that does I/O.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { PolicyLoadResult, PolicySource } from './load.js';
import { parsePolicySources } from './load.js';

export type { PolicyLoadResult, PolicyProblem } from './problems.js';
export { formatProblem } from './problems.js';

async function listYamlFiles(dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    // Hidden entries (`.git`, `.github`, editor folders) never hold policy.
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await listYamlFiles(path)));
    else if (entry.isFile() && /\.ya?ml$/i.test(entry.name)) files.push(path);
  }
  return files;
}

function problemAtDir(dir: string, message: string): PolicyLoadResult {
  return { problems: [{ file: dir, line: 1, col: 1, message }] };
}

/** The sources of a policy directory, or the problem that stopped reading it (`sources` is then empty). */
export interface PolicyDirectorySources {
  readonly sources: readonly PolicySource[];
  readonly problems: PolicyLoadResult['problems'];
}

/**
 * Reads every YAML file below `dir` without parsing it, so that a caller can keep the exact source documents
 * (the store records them with each policy load). Paths are `dir` joined with the file's relative path.
 */
export async function readPolicyDirectory(dir: string): Promise<PolicyDirectorySources> {
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(dir)).isDirectory();
  } catch {
    return { sources: [], ...problemAtDir(dir, `policy directory '${dir}' does not exist`) };
  }
  if (!isDirectory) return { sources: [], ...problemAtDir(dir, `'${dir}' is not a directory`) };
  const paths = (await listYamlFiles(dir)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (paths.length === 0) {
    return { sources: [], ...problemAtDir(dir, `policy directory '${dir}' holds no *.yaml or *.yml files`) };
  }
  const sources: PolicySource[] = [];
  for (const path of paths) sources.push({ path, text: await readFile(path, 'utf8') });
  return { sources, problems: [] };
}

/**
 * Loads every YAML file below `dir`. Paths in problems are `dir` joined with the file's relative path, as the
 * caller wrote `dir` (so `examples/policy` gives `examples/policy/profiles.yaml`). A missing or empty
 * directory is a problem, not an exception.
 */
export async function loadPolicyDirectory(dir: string): Promise<PolicyLoadResult> {
  const read = await readPolicyDirectory(dir);
  if (read.problems.length > 0) return { problems: read.problems };
  return parsePolicySources(read.sources);
}
