/**
 * Running one program for the exec provider: `spawn(argv[0], argv.slice(1), { shell: false })`, never a
 * shell. The child leads a process group of its own, so that on timeout the whole group (the program and
 * anything it started) gets SIGTERM and, after a grace period, SIGKILL. stdin is closed; stdout and stderr
 * are captured up to a byte bound each and drained past it (so the child never blocks on a full pipe); the
 * environment is exactly what the caller passes.
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { AppError } from '../../core/errors.js';

export interface RunCommandOptions {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  /** Bytes kept per stream; the rest is read and dropped. */
  readonly maxOutputBytes: number;
  /** Time between SIGTERM and SIGKILL on timeout (default 2000 ms). */
  readonly killGraceMs?: number;
}

export interface RunCommandResult {
  readonly stdout: string;
  readonly stderr: string;
  /** Null when a signal ended the program. */
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly timedOut: boolean;
  /** Whether either stream was cut at `maxOutputBytes`. */
  readonly truncated: boolean;
  readonly stdoutBytes: number;
  readonly stderrBytes: number;
  readonly durationMs: number;
}

class BoundedCapture {
  readonly #chunks: Buffer[] = [];
  #kept = 0;
  total = 0;
  constructor(private readonly limit: number) {}
  push(chunk: Buffer): void {
    this.total += chunk.length;
    const room = this.limit - this.#kept;
    if (room <= 0) return;
    const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
    this.#chunks.push(part);
    this.#kept += part.length;
  }
  get truncated(): boolean {
    return this.total > this.limit;
  }
  text(): string {
    return Buffer.concat(this.#chunks).toString('utf8');
  }
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

function startFailure(program: string, error: NodeJS.ErrnoException): AppError {
  const why =
    error.code === 'ENOENT'
      ? 'not found'
      : error.code === 'EACCES'
        ? 'permission denied'
        : `error ${error.code ?? 'unknown'}`;
  return new AppError('provider_failed', `could not start '${program}': ${why}`, { program });
}

/**
 * Runs the program to completion or timeout. Resolves with what happened (a non-zero exit is a result, not an
 * error); rejects with `provider_failed` only when the program cannot be started. Invariant: after a timeout,
 * no process of the group outlives the grace period.
 */
export function runCommand(options: RunCommandOptions): Promise<RunCommandResult> {
  const [program, ...args] = options.argv;
  if (program === undefined) return Promise.reject(new AppError('invalid', 'the argv is empty'));
  const grace = Math.max(0, options.killGraceMs ?? 2000);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, {
      shell: false,
      detached: true,
      env: { ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    const stdout = new BoundedCapture(options.maxOutputBytes);
    const stderr = new BoundedCapture(options.maxOutputBytes);
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    let timedOut = false;
    let killTimer: NodeJS.Timeout | undefined;
    const timer = setTimeout(
      () => {
        timedOut = true;
        killGroup(child.pid, 'SIGTERM');
        killTimer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), grace);
      },
      Math.max(1, options.timeoutMs),
    );
    let settled = false;
    child.once('error', (error: NodeJS.ErrnoException) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(killTimer);
      reject(startFailure(program, error));
    });
    child.once('close', (exitCode: number | null, signal: NodeJS.Signals | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // After a timeout the leader may have gone on SIGTERM while others in its group ignore it.
      if (timedOut) killGroup(child.pid, 'SIGKILL');
      clearTimeout(killTimer);
      resolve({
        stdout: stdout.text(),
        stderr: stderr.text(),
        exitCode,
        signal,
        timedOut,
        truncated: stdout.truncated || stderr.truncated,
        stdoutBytes: stdout.total,
        stderrBytes: stderr.total,
        durationMs: Math.round(performance.now() - started),
      });
    });
  });
}
