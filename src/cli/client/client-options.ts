/**
 * What every command that talks to a Countersign server shares: the `--server`, `--token`, `--timeout` and
 * `--json` options, the exit codes printed in its help, and the way command groups (`audit`, `token`) that
 * hold both offline and client subcommands are found or created.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { DEFAULT_SERVER_URL, DEFAULT_TIMEOUT_SECONDS, type ClientOptions } from './http-client.js';
import type { OutputOptions } from '../output.js';

export interface ClientCommandOptions extends ClientOptions, OutputOptions {}

/** The exit codes of `exit-codes.ts`, as a client command's help states them. */
export function exitCodesHelp(
  denied = 'denied or refused (policy, separation of duties, not found, conflict)',
): string {
  return [
    '',
    'Exit codes:',
    '  0  success',
    `  1  ${denied}`,
    '  2  usage error (unknown option, malformed argument, input the server rejects as invalid)',
    '  3  authentication error (no token, or a token the server does not accept)',
    '  4  server error (cannot reach the server, timeout, database, audit log or provider failure)',
  ].join('\n');
}

/** Adds the connection options, `--json` and the exit codes to a client command. */
export function withClientOptions(command: Command, options: { json?: string; denied?: string } = {}): Command {
  return command
    .addOption(
      new Option('--server <url>', `Countersign server URL (default: $COUNTERSIGN_URL or ${DEFAULT_SERVER_URL})`),
    )
    .addOption(
      new Option('--token <token>', 'API token (default: $COUNTERSIGN_TOKEN, which keeps it out of the process list)'),
    )
    .addOption(
      new Option('--timeout <duration>', `how long to wait for the server (default ${DEFAULT_TIMEOUT_SECONDS}s)`),
    )
    .option('--json', options.json ?? 'print the result as JSON')
    .addHelpText('after', exitCodesHelp(options.denied));
}

/** The existing subcommand `name` of `program`, or a new one; lets a group hold offline and client commands. */
export function commandGroup(program: Command, name: string, description: string): Command {
  return program.commands.find((command) => command.name() === name) ?? program.command(name).description(description);
}

/** Commander parser for a positive integer option such as `--limit`. */
export function positiveInteger(max: number): (value: string) => number {
  return (value: string) => {
    const parsed = Number(value);
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(parsed) || parsed < 1 || parsed > max) {
      throw new InvalidArgumentError(`expected a whole number from 1 to ${max}`);
    }
    return parsed;
  };
}

/** Commander collector for repeatable options (`--param a=1 --param b=2`). */
export function collect(value: string, previous: readonly string[] = []): string[] {
  return [...previous, value];
}
