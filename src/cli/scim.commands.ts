/**
 * `countersign scim token issue|list|revoke`: the operator bootstrap of a SCIM client (issue 13), like `token
 * issue`: with direct database access it mints the bearer token an identity provider (Okta, Entra ID) is given
 * for `/scim/v2`, prints only the token, and audits `scim_token.issue` as `system:operator`. The token is stored
 * as SHA-256 only, expires (default 90 days, at most 366), and grants nothing in `/v1`.
 */
import type { Command } from 'commander';
import {
  DEFAULT_SCIM_TOKEN_TTL,
  issueScimToken,
  listScimTokens,
  revokeScimToken,
} from '../features/directory/index.js';
import { SYSTEM_OPERATOR } from '../policy/model.js';
import { DB_URL_HELP } from './db.commands.js';
import { EXIT_OK, type CommandResult, type RunCommand } from './exit-codes.js';
import { withOperatorApp } from './operator-app.js';
import { printJson, printLines, renderTable, type OutputOptions } from './output.js';

interface OperatorOptions extends OutputOptions {
  readonly db?: string;
  readonly keys?: string;
}

export interface ScimTokenIssueOptions extends OperatorOptions {
  readonly client: string;
  readonly ttl?: string;
  readonly description?: string;
}

export async function scimTokenIssueCommand(options: ScimTokenIssueOptions): CommandResult {
  return withOperatorApp(options, async (app): CommandResult => {
    const issued = await issueScimToken({
      app,
      actor: SYSTEM_OPERATOR,
      input: {
        client: options.client,
        ttl: options.ttl ?? DEFAULT_SCIM_TOKEN_TTL,
        description: options.description ?? 'issued by the operator (countersign scim token issue)',
      },
    });
    if (options.json) printJson(issued);
    else printLines([issued.token]);
    return EXIT_OK;
  });
}

export async function scimTokenListCommand(options: OperatorOptions): CommandResult {
  return withOperatorApp(options, async (app): CommandResult => {
    const tokens = await listScimTokens(app);
    if (options.json) printJson({ tokens });
    else {
      printLines(
        renderTable(
          ['ID', 'CLIENT', 'PREFIX', 'EXPIRES', 'REVOKED', 'LAST USED'],
          tokens.map((t) => [t.id, t.client, t.prefix, t.expiresAt, t.revokedAt ?? '-', t.lastUsedAt ?? '-']),
        ),
      );
    }
    return EXIT_OK;
  });
}

export async function scimTokenRevokeCommand(options: OperatorOptions & { readonly id: string }): CommandResult {
  return withOperatorApp(options, async (app): CommandResult => {
    const revoked = await revokeScimToken({ app, actor: SYSTEM_OPERATOR, input: { id: options.id } });
    if (options.json) printJson(revoked);
    else printLines([`revoked SCIM token ${revoked.id} of client '${revoked.client}'`]);
    return EXIT_OK;
  });
}

/** Adds the `scim` command group. */
export function registerScimCommands(program: Command, run: RunCommand): void {
  const scim = program.command('scim').description('SCIM 2.0 provisioning from an identity provider');
  const token = scim.command('token').description('SCIM client tokens (operator, direct database access)');
  const common = (command: Command) =>
    command
      .option('--db <url>', DB_URL_HELP)
      .option('--keys <dir>', 'directory of the audit key files (default: .countersign/keys beside the SQLite file)')
      .option('--json', 'print JSON');
  common(
    token
      .command('issue')
      .description('mint the bearer token a SCIM client (the IdP) uses at /scim/v2; prints only the token')
      .requiredOption(
        '--client <name>',
        "the SCIM client's name (okta, entra, …); it acts as scim:<name> in the audit log",
      )
      .option('--ttl <duration>', `lifetime, e.g. 30d (default ${DEFAULT_SCIM_TOKEN_TTL}, at most 366d)`)
      .option('--description <text>', 'a note shown in token lists'),
  ).action((options: ScimTokenIssueOptions) => run(() => scimTokenIssueCommand(options)));
  common(token.command('list').description('list SCIM client tokens (metadata only)')).action(
    (options: OperatorOptions) => run(() => scimTokenListCommand(options)),
  );
  common(
    token.command('revoke').description('revoke a SCIM client token by id').requiredOption('--id <id>', 'the token id'),
  ).action((options: OperatorOptions & { id: string }) => run(() => scimTokenRevokeCommand(options)));
}
