/**
 * `countersign token issue`: the operator bootstrap (SPEC §4). With direct database access — as an operator on
 * the host has — it mints an API token for an identity of the policy in force and prints only the token. The
 * audit event's actor is `system:operator` (there is no authenticated identity behind a shell on the host);
 * the same lifetime limits as the API apply (12h for humans, 30 days for NHIs).
 */
import type { Command } from 'commander';
import { issueToken } from '../features/access/index.js';
import { SYSTEM_OPERATOR } from '../policy/model.js';
import { DB_URL_HELP } from './db.commands.js';
import { withOperatorApp } from './operator-app.js';
import { EXIT_OK, type CommandResult, type RunCommand } from './exit-codes.js';
import { printJson, printLines, type OutputOptions } from './output.js';

export interface TokenIssueOptions extends OutputOptions {
  readonly db?: string;
  readonly identity: string;
  readonly ttl?: string;
  readonly description?: string;
  readonly keys?: string;
}

/** `token issue`: prints the token (or `{ id, token, prefix, identity, expiresAt }` with `--json`). */
export async function tokenIssueCommand(options: TokenIssueOptions): CommandResult {
  return withOperatorApp(options, async (app): CommandResult => {
    const issued = await issueToken({
      app,
      actor: SYSTEM_OPERATOR,
      input: {
        identity: options.identity,
        ttl: options.ttl ?? '1h',
        description: options.description ?? 'issued by the operator (countersign token issue)',
      },
    });
    if (options.json) printJson(issued);
    else printLines([issued.token]);
    return EXIT_OK;
  });
}

/** Adds the `token` command group. */
export function registerTokenCommands(program: Command, run: RunCommand): void {
  const token = program.command('token').description('API tokens');
  token
    .command('issue')
    .description(
      'mint an API token for an identity with direct database access (operator bootstrap); prints only the token',
    )
    .option('--db <url>', DB_URL_HELP)
    .requiredOption('--identity <name>', 'the identity the token authenticates')
    .option('--ttl <duration>', 'lifetime, e.g. 30m, 8h, 30d (default 1h; at most 12h for humans, 30d for NHIs)')
    .option('--description <text>', 'a note shown in token lists')
    .option('--keys <dir>', `directory of the audit key files (default: .countersign/keys beside the SQLite file)`)
    .option('--json', 'print { id, token, prefix, identity, expiresAt } as JSON')
    .action((options: TokenIssueOptions) => run(() => tokenIssueCommand(options)));
}
