/**
 * `countersign whoami` (GET /v1/me: the identity behind the token and the duties it holds now) and
 * `countersign token create` (POST /v1/tokens: mint one's own short-lived token, or a token of an NHI one
 * owns, over the API — unlike `token issue`, it needs no database access).
 */
import type { Command } from 'commander';
import type { MeView } from '../features/access/me.view.js';
import type { IssuedTokenView } from '../features/access/token.view.js';
import { commandGroup, withClientOptions, type ClientCommandOptions } from './client/client-options.js';
import { apiClient } from './client/http-client.js';
import { EXIT_OK, type CommandResult, type RunCommand } from './exit-codes.js';
import { printError, printJson, printLines, renderTable } from './output.js';

/** `whoami`: the identity, its groups and its duties by role and scope. */
export async function whoamiCommand(options: ClientCommandOptions): CommandResult {
  const me = await apiClient(options).get<MeView>('/v1/me');
  if (options.json) {
    printJson(me);
    return EXIT_OK;
  }
  const lines = [
    `${me.identity} (${me.kind}${me.owner === null ? '' : `, owned by ${me.owner}`})` +
      (me.authenticatedWith === undefined ? '' : ` — authenticated with ${me.authenticatedWith.replace('_', ' ')}`),
    `groups: ${me.groups.length === 0 ? 'none' : me.groups.join(', ')}`,
    `duties: ${me.duties.length === 0 ? 'none' : me.duties.join(', ')}`,
  ];
  if (me.holdings.length > 0) {
    lines.push(
      '',
      ...renderTable(
        ['DUTY', 'ROLE', 'SCOPE'],
        me.holdings.map((h) => [h.duty, h.role, h.scope]),
      ),
    );
  }
  if (me.eligible.length > 0) {
    lines.push(
      '',
      'eligible (activate with `countersign role activate ROLE`, approved by someone else):',
      ...renderTable(
        ['DUTY', 'ROLE', 'SCOPE'],
        me.eligible.map((h) => [h.duty, h.role, h.scope]),
      ),
    );
  }
  printLines(lines);
  return EXIT_OK;
}

export interface TokenCreateOptions extends ClientCommandOptions {
  readonly ttl?: string;
  readonly identity?: string;
  readonly description?: string;
}

/** `token create`: prints only the new token (stdout), its expiry on stderr; `--json` prints the metadata too. */
export async function tokenCreateCommand(options: TokenCreateOptions): CommandResult {
  const issued = await apiClient(options).post<IssuedTokenView>('/v1/tokens', {
    ...(options.identity === undefined ? {} : { identity: options.identity }),
    ...(options.ttl === undefined ? {} : { ttl: options.ttl }),
    description: options.description ?? 'created with countersign token create',
  });
  if (options.json) printJson(issued);
  else {
    printError(`token for '${issued.identity}' expires at ${issued.expiresAt}; it is shown once`);
    printLines([issued.token]);
  }
  return EXIT_OK;
}

/** Adds `whoami`, and `create` to the `token` group (registered after `token.commands.ts`). */
export function registerWhoamiCommands(program: Command, run: RunCommand): void {
  withClientOptions(program.command('whoami').description('who the token authenticates, and the duties it holds now'), {
    json: 'print the identity, groups, duties and holdings as JSON',
  }).action((options: ClientCommandOptions) => run(() => whoamiCommand(options)));

  withClientOptions(
    commandGroup(program, 'token', 'API tokens')
      .command('create')
      .description('mint a short-lived API token over the API for yourself (or an NHI you own)')
      .option('--ttl <duration>', 'lifetime, e.g. 30m or 8h (default 1h; at most 12h for humans, 30d for NHIs)')
      .option('--identity <name>', 'a non-human identity to mint for (needs administer)')
      .option('--description <text>', 'a note shown in token lists'),
    { json: 'print { id, token, prefix, identity, expiresAt } as JSON', denied: 'not allowed to mint this token' },
  ).action((options: TokenCreateOptions) => run(() => tokenCreateCommand(options)));
}
