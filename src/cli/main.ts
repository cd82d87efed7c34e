#!/usr/bin/env node
/**
 * The `countersign` command line. This file only assembles the command groups (one `*.commands.ts` file per
 * group), runs the one the user asked for, and turns its outcome or error into an exit code (see
 * `exit-codes.ts`). Commands never call `process.exit` themselves.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { isAppError } from '../core/errors.js';
import { EXIT_OK, exitCodeFor, type ExitCode, type RunCommand } from './exit-codes.js';
import { printError } from './output.js';
import { registerAuditCommands } from './audit.commands.js';
import { registerDbCommands } from './db.commands.js';
import { registerPolicyCommands } from './policy.commands.js';
import { registerServeCommands } from './serve.commands.js';
import { registerGatewayCommands } from './gateway.commands.js';
import { registerTokenCommands } from './token.commands.js';
import { registerScimCommands } from './scim.commands.js';
import { registerLoginLinkCommands } from './login-link.commands.js';
import { registerAuditTailCommands } from './audit-tail.commands.js';
import { registerAuditStreamsCommands } from './audit-streams.commands.js';
import { registerCheckCommands } from './check.commands.js';
import { registerGrantsCommands } from './grants.commands.js';
import { registerSessionsCommands } from './sessions.commands.js';
import { registerRequestCommands } from './request.commands.js';
import { registerRoleCommands } from './role.commands.js';
import { registerProvisioningCommands } from './provisioning.commands.js';
import { registerScanCommands } from './scans.commands.js';
import { registerWhoamiCommands } from './whoami.commands.js';
import { registerEvidenceCommands } from './evidence.commands.js';
import { registerPolicyChangeCommands } from './policy-changes.commands.js';
import { registerDeliveriesCommands } from './deliveries.commands.js';
import { registerCertifyCommands } from './certify.commands.js';
import { registerAdminChangeCommands } from './changes.commands.js';

/** The package version; `package.json` sits two levels up both from `src/cli/` and from `dist/cli/`. */
function packageVersion(): string {
  const manifest: unknown = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  const version = (manifest as { version?: unknown }).version;
  return typeof version === 'string' ? version : '0.0.0';
}

/** Builds the program; `run` records the exit code of whichever command action ran. */
function buildProgram(run: RunCommand): Command {
  const program = new Command('countersign')
    .description('Gate privileged infrastructure actions: request, approve, provision just in time, revoke, certify.')
    .version(packageVersion(), '-V, --version', 'print the version')
    .exitOverride()
    .showHelpAfterError();
  registerServeCommands(program, run);
  registerGatewayCommands(program, run);
  registerPolicyCommands(program, run);
  registerAuditCommands(program, run);
  registerDbCommands(program, run);
  registerTokenCommands(program, run);
  registerScimCommands(program, run);
  registerLoginLinkCommands(program, run);
  // Client commands (over the HTTP API); after the groups above, to which some of them add subcommands.
  registerRequestCommands(program, run);
  registerRoleCommands(program, run);
  registerProvisioningCommands(program, run);
  registerGrantsCommands(program, run);
  registerSessionsCommands(program, run);
  registerCheckCommands(program, run);
  registerScanCommands(program, run);
  registerWhoamiCommands(program, run);
  registerAuditTailCommands(program, run);
  registerAuditStreamsCommands(program, run);
  registerEvidenceCommands(program, run);
  registerPolicyChangeCommands(program, run);
  registerCertifyCommands(program, run);
  registerAdminChangeCommands(program, run);
  registerDeliveriesCommands(program, run);
  return program;
}

async function main(argv: readonly string[]): Promise<ExitCode> {
  let exitCode: ExitCode = EXIT_OK;
  const program = buildProgram(async (action) => {
    exitCode = await action();
  });
  try {
    await program.parseAsync([...argv]);
    return exitCode;
  } catch (error) {
    // Commander has already printed its own message (with usage) to stderr.
    if (!(error instanceof CommanderError)) {
      printError(isAppError(error) ? `error: ${error.message}` : `error: unexpected failure: ${String(error)}`);
    }
    return exitCodeFor(error);
  }
}

process.exitCode = await main(process.argv);
