/**
 * `countersign grants`: the access that exists right now (GET /v1/grants) — your own grants, or everyone's for
 * `audit` and `provision` holders — soonest expiry first. `--all` adds ended grants (revoked, expired) and
 * grants whose revocation failed or is under way.
 */
import type { Command } from 'commander';
import { GRANT_STATUSES, type GrantView } from '../features/grants/grant.view.js';
import { MAX_PAGE_SIZE } from '../features/requests/index.js';
import { AppError } from '../core/errors.js';
import { collect, positiveInteger, withClientOptions, type ClientCommandOptions } from './client/client-options.js';
import { apiClient } from './client/http-client.js';
import { EXIT_OK, type CommandResult, type RunCommand } from './exit-codes.js';
import { printJson, printLines, renderTable } from './output.js';

export interface GrantsOptions extends ClientCommandOptions {
  readonly all?: boolean;
  readonly status?: readonly string[];
  readonly identity?: string;
  readonly resource?: string;
  readonly limit?: number;
}

function statusFilter(options: GrantsOptions): string | undefined {
  if (options.all) return GRANT_STATUSES.join(',');
  const statuses = (options.status ?? []).flatMap((value) => value.split(',')).map((value) => value.trim());
  for (const status of statuses) {
    if (!(GRANT_STATUSES as readonly string[]).includes(status)) {
      throw new AppError('invalid', `'${status.slice(0, 50)}' is not a grant status (${GRANT_STATUSES.join(', ')})`);
    }
  }
  return statuses.length === 0 ? undefined : statuses.join(',');
}

/** `grants`: a table of grants (active ones unless `--all` or `--status`). */
export async function grantsCommand(options: GrantsOptions): CommandResult {
  const { grants } = await apiClient(options).get<{ grants: GrantView[] }>('/v1/grants', {
    status: statusFilter(options),
    identity: options.identity,
    resource: options.resource,
    limit: options.limit,
  });
  if (options.json) printJson({ grants });
  else if (grants.length === 0) printLines([options.all ? 'no grants' : 'no active grants']);
  else {
    printLines(
      renderTable(
        ['GRANT', 'REQUEST', 'IDENTITY', 'RESOURCE', 'ACTION', 'STATUS', 'EXPIRES'],
        grants.map((g) => [
          g.id,
          g.requestId,
          g.identity,
          g.resource,
          g.action,
          g.revokedBy === undefined ? g.status : `${g.status} by ${g.revokedBy}`,
          g.revokedAt ?? g.expiresAt,
        ]),
      ),
    );
  }
  return EXIT_OK;
}

export function registerGrantsCommands(program: Command, run: RunCommand): void {
  withClientOptions(
    program
      .command('grants')
      .description('access that exists now: your grants, or everyone’s for audit and provision holders')
      .option('--all', 'every status, ended grants included (default: active only)')
      .option(
        '--status <status>',
        `only these statuses, comma-separated or repeated (${GRANT_STATUSES.join(', ')})`,
        collect,
      )
      .option('--identity <name>', 'only grants held by this identity')
      .option('--resource <name>', 'only grants on this resource')
      .option('--limit <n>', 'at most this many', positiveInteger(MAX_PAGE_SIZE)),
    { json: 'print { grants } as JSON' },
  ).action((options: GrantsOptions) => run(() => grantsCommand(options)));
}
