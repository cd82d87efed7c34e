/**
 * Vitest global setup of the console project: the browser tests drive what `npm run build` ships, the server
 * binary (`dist/cli/main.js`, built by `build-cli.setup.ts` when stale) and the console (`dist/console`), so
 * both are built first. The console is rebuilt when `dist/console/index.html` is missing or older than anything
 * under `console/`.
 *
 * As with the server build, several test runs may share one checkout: the console is built under a lock into a
 * scratch directory beside `dist/` and its files are then moved into place with atomic renames, the hashed
 * assets first and `index.html` last, so a reader sees the old page (whose assets are still there) or the new
 * one, never a page naming assets not yet written.
 */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, utimesSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { acquireLock, setup as buildCli } from '../cli/build-cli.setup.js';
import { REPO_ROOT } from '../cli/run-cli.js';

const CONSOLE_SOURCES = join(REPO_ROOT, 'console');
const CONSOLE_DIST = join(REPO_ROOT, 'dist', 'console');
export const CONSOLE_INDEX = join(CONSOLE_DIST, 'index.html');
/** Both names are in `.gitignore` (`.dist-build-*`); the server build has a lock of its own. */
const LOCK = join(REPO_ROOT, '.dist-build-console-lock');

/** The newest modification time of anything under `console/` (files and folders: an added file moves both). */
function newestInputMs(): number {
  let newest = statSync(CONSOLE_SOURCES).mtimeMs;
  for (const entry of readdirSync(CONSOLE_SOURCES, { recursive: true, withFileTypes: true })) {
    newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

function isFresh(): boolean {
  try {
    return statSync(CONSOLE_INDEX).mtimeMs >= newestInputMs();
  } catch {
    return false;
  }
}

function viteBuild(outDir: string): Promise<void> {
  const vite = join(dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin', 'vite.js');
  const args = [vite, 'build', '--config', 'console/vite.config.ts', '--outDir', outDir, '--logLevel', 'warn'];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`the console build fails, so the browser tests cannot run:\n${stdout}${stderr}`));
      else resolve();
    });
  });
}

/** Moves every file under `from` to the same place under `to`, `index.html` last. */
function moveInto(from: string, to: string): void {
  const files = readdirSync(from, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(from.length + 1));
  for (const file of [...files.filter((file) => file !== 'index.html'), 'index.html']) {
    mkdirSync(dirname(join(to, file)), { recursive: true });
    renameSync(join(from, file), join(to, file));
  }
}

async function build(): Promise<void> {
  const scratch = join(REPO_ROOT, `.dist-build-console-${process.pid}`);
  const startedMs = Date.now();
  try {
    await viteBuild(scratch);
    moveInto(scratch, CONSOLE_DIST);
    // Fresh means "built from sources no newer than the build's start": an edit made while it ran counts.
    const started = new Date(startedMs);
    utimesSync(CONSOLE_INDEX, started, started);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

export async function setup(): Promise<void> {
  await buildCli();
  if (isFresh()) return;
  await acquireLock(LOCK);
  try {
    // Another run may have built it while this one waited.
    if (!isFresh()) await build();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}
