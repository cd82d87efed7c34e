/**
 * Vitest global setup of the projects whose tests run the `countersign` binary (cli, security, e2e, faults):
 * builds `dist/` once per run when it is missing or older than a source file, so that `npm run test:cli` works
 * on a fresh clone and after any edit, and the tests run what `npm run build` ships rather than the sources.
 *
 * Several test runs may share one checkout, and one may read `dist/` while another rebuilds it. So the build
 * happens under a lock, into a scratch directory beside `dist/` (same depth, so the source maps' relative paths
 * hold), and each file is then moved into place with an atomic rename: a reader sees the old file or the new
 * one, never half of one.
 */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, utimesSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BUILT_CLI, REPO_ROOT } from './run-cli.js';

const DIST = join(REPO_ROOT, 'dist');
/** Both names are in `.gitignore` (`.dist-build-*`). */
const LOCK = join(REPO_ROOT, '.dist-build-lock');
const LOCK_WAIT_MS = 10 * 60_000;
/** A lock older than this was left by a run that died mid-build. */
const STALE_LOCK_MS = 15 * 60_000;

/** The newest modification time of what the build reads: non-test sources, their folders, the tsconfigs. */
function newestInputMs(): number {
  let newest = 0;
  const consider = (path: string): void => {
    newest = Math.max(newest, statSync(path).mtimeMs);
  };
  consider(join(REPO_ROOT, 'tsconfig.json'));
  consider(join(REPO_ROOT, 'tsconfig.build.json'));
  const src = join(REPO_ROOT, 'src');
  consider(src);
  for (const entry of readdirSync(src, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    // A folder's time changes when a file in it is added, removed or renamed.
    if (entry.isDirectory() || (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts'))) consider(path);
  }
  return newest;
}

function builtMs(): number | undefined {
  try {
    return statSync(BUILT_CLI).mtimeMs;
  } catch {
    return undefined;
  }
}

function isFresh(): boolean {
  const built = builtMs();
  return built !== undefined && built >= newestInputMs();
}

/** Takes the directory lock `lock` (another test run's build waits on it; a stale one is broken). */
export async function acquireLock(lock: string = LOCK): Promise<void> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      mkdirSync(lock);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    try {
      if (Date.now() - statSync(lock).mtimeMs > STALE_LOCK_MS) rmSync(lock, { recursive: true, force: true });
    } catch {
      // The other build released the lock between our two calls.
    }
    if (Date.now() > deadline) throw new Error(`another test run has held ${lock} for 10 minutes`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function tsc(outDir: string): Promise<void> {
  const compiler = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [compiler, '-p', 'tsconfig.build.json', '--outDir', outDir],
      { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`npm run build fails, so the CLI tests cannot run:\n${stdout}${stderr}`));
        else resolve();
      },
    );
  });
}

/** Moves every file under `from` to the same place under `to`, the CLI's entry point last. */
function moveInto(from: string, to: string): void {
  const files = readdirSync(from, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(from.length + 1));
  const entry = join('cli', 'main.js');
  for (const file of [...files.filter((file) => file !== entry), entry]) {
    mkdirSync(dirname(join(to, file)), { recursive: true });
    renameSync(join(from, file), join(to, file));
  }
}

async function build(): Promise<void> {
  const scratch = join(REPO_ROOT, `.dist-build-${process.pid}`);
  const startedMs = Date.now();
  try {
    await tsc(scratch);
    moveInto(scratch, DIST);
    // Fresh means "built from sources no newer than the build's start": an edit made while it ran counts.
    const started = new Date(startedMs);
    utimesSync(BUILT_CLI, started, started);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

export async function setup(): Promise<void> {
  if (isFresh()) return;
  await acquireLock();
  try {
    // Another run may have built it while this one waited.
    if (!isFresh()) await build();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}
