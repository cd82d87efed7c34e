/**
 * Runs the BUILT `countersign` CLI (`dist/cli/main.js`, exactly what `npm run build` ships and `npx countersign`
 * starts) as a real child process, the way a user or a script runs it, and captures its exit code and output.
 * The test projects that use it build `dist/` first when it is missing or stale (`build-cli.setup.ts`).
 */
import { execFile, spawn, type ChildProcess, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The entry point `npm run build` writes; `package.json`'s `bin` names the same file. */
export const BUILT_CLI = join(REPO_ROOT, 'dist', 'cli', 'main.js');

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI in the repository root with exactly `env` as its environment. */
export function runBuiltCli(args: readonly string[], env: NodeJS.ProcessEnv): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [BUILT_CLI, ...args],
      { cwd: REPO_ROOT, env, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          reject(error);
          return;
        }
        resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
      },
    );
  });
}

/** Starts the built CLI for a command that keeps running (`audit tail --follow`), with exactly `env`. */
export function spawnBuiltCli(args: readonly string[], env: NodeJS.ProcessEnv): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [BUILT_CLI, ...args], { cwd: REPO_ROOT, env });
}

/** Runs the built CLI with the parent's environment, no colour, and `extraEnv` on top. */
export function runCli(args: readonly string[], extraEnv: Readonly<Record<string, string>> = {}): Promise<CliRun> {
  return runBuiltCli(args, { ...process.env, NO_COLOR: '1', ...extraEnv });
}

/**
 * The first match of `pattern` in what a started process prints (stderr and stdout together), such as `serve`'s
 * "listening on http://…" line; rejects with what it printed when it exits first or says nothing within `ms`.
 */
export function untilPrinted(child: ChildProcess, pattern: RegExp, ms = 60_000): Promise<RegExpExecArray> {
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`nothing matched ${pattern} within ${ms / 1000} s:\n${output}`)),
      ms,
    );
    const look = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = pattern.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    };
    child.stderr?.on('data', look);
    child.stdout?.on('data', look);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}:\n${output}`));
    });
  });
}
