/**
 * Exit codes that scripts can rely on, and the one place where an error becomes an exit code. Every command
 * throws (or lets through) an `AppError`; `main.ts` asks `exitCodeFor` how to end the process.
 *
 * | code | meaning                                                                              |
 * |------|--------------------------------------------------------------------------------------|
 * | 0    | success                                                                              |
 * | 1    | denied, a failed check, or policy problems (the command worked; the answer is "no")   |
 * | 2    | usage error: unknown command or option, a missing or malformed argument               |
 * | 3    | authentication error: no token, or a token the server does not accept                 |
 * | 4    | server error: the server, the database, the audit log or a provider failed            |
 */
import { CommanderError } from 'commander';
import { isAppError, type ErrorCode } from '../core/errors.js';

export const EXIT_OK = 0;
export const EXIT_DENIED = 1;
export const EXIT_USAGE = 2;
export const EXIT_UNAUTHENTICATED = 3;
export const EXIT_SERVER = 4;

export type ExitCode =
  typeof EXIT_OK | typeof EXIT_DENIED | typeof EXIT_USAGE | typeof EXIT_UNAUTHENTICATED | typeof EXIT_SERVER;

/** A command's action resolves to its exit code; commands never call `process.exit` themselves. */
export type CommandResult = Promise<ExitCode>;

/** Runs a command's action and records its exit code for `main.ts`. Every `*.commands.ts` file receives one. */
export type RunCommand = (action: () => CommandResult) => Promise<void>;

/** Every `AppError` code maps to exactly one exit code; a new code fails to compile until it is placed here. */
const EXIT_CODE_BY_ERROR: Readonly<Record<ErrorCode, ExitCode>> = {
  unauthenticated: EXIT_UNAUTHENTICATED,
  forbidden: EXIT_DENIED,
  not_found: EXIT_DENIED,
  invalid: EXIT_USAGE,
  conflict: EXIT_DENIED,
  sod_violation: EXIT_DENIED,
  policy_denied: EXIT_DENIED,
  audit_unavailable: EXIT_SERVER,
  database_unavailable: EXIT_SERVER,
  provider_failed: EXIT_SERVER,
  rate_limited: EXIT_SERVER,
  internal: EXIT_SERVER,
};

/**
 * The exit code for anything a command threw. Commander's own errors are usage errors, except for the
 * `--help` and `--version` displays, which succeed. Anything unexpected is a server-side failure (4), never
 * success.
 */
export function exitCodeFor(error: unknown): ExitCode {
  if (isAppError(error)) return EXIT_CODE_BY_ERROR[error.code];
  if (error instanceof CommanderError) {
    return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' ? EXIT_OK : EXIT_USAGE;
  }
  return EXIT_SERVER;
}
