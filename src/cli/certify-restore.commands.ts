/**
 * `countersign certify restore`: the operator's recovery path for a certification revoke (issue #9). Like
 * `token issue` it needs direct database access, not a token: it is for when a revoke took away the people
 * who would otherwise put things right through the API. The restore is audited as `system:operator` with the
 * operator's reason and notified urgently (`certification.restored`).
 */
import type { Command } from 'commander';
import { restoreCertificationRevoke } from '../features/certifications/index.js';
import { SYSTEM_OPERATOR } from '../policy/model.js';
import { DB_URL_HELP } from './db.commands.js';
import { withOperatorApp } from './operator-app.js';
import { EXIT_OK, type CommandResult, type RunCommand } from './exit-codes.js';
import { printJson, printLines, type OutputOptions } from './output.js';

export interface CertifyRestoreOptions extends OutputOptions {
  readonly db?: string;
  readonly item: string;
  readonly reason: string;
  readonly keys?: string;
}

/** `certify restore`: puts back the role assignment a certification item revoked. */
export async function certifyRestoreCommand(options: CertifyRestoreOptions): CommandResult {
  return withOperatorApp(options, async (app): CommandResult => {
    const result = await restoreCertificationRevoke({
      app,
      actor: SYSTEM_OPERATOR,
      input: { item: options.item, reason: options.reason },
    });
    if (options.json) printJson(result);
    else {
      printLines([
        `restored role '${result.role}' for ${result.subject} (assignment ${result.assignment}), revoked by item ${result.item}`,
      ]);
    }
    return EXIT_OK;
  });
}

/** Adds `restore` to the `certify` command group. */
export function registerCertifyRestoreCommand(certify: Command, run: RunCommand): void {
  certify
    .command('restore')
    .description(
      'operator recovery with direct database access: put back a role assignment a certification revoked (audited as system:operator)',
    )
    .option('--db <url>', DB_URL_HELP)
    .requiredOption('--item <id>', 'the certification item whose revoke is undone (cit_…)')
    .requiredOption('--reason <text>', 'why, kept in the audit log and the urgent notification')
    .option('--keys <dir>', 'directory of the audit key files (default: .countersign/keys beside the SQLite file)')
    .option('--json', 'print { item, campaign, assignment, role, subject, previousEnforcement } as JSON')
    .action((options: CertifyRestoreOptions) => run(() => certifyRestoreCommand(options)));
}
