/**
 * `countersign evidence …` (SPEC §2.10): `export` asks the server for the signed bundle of a period
 * (`POST /v1/evidence`) and writes it to a file; `verify` checks a bundle offline with the audit public key,
 * needing no server. `verify` exits 0 when the bundle is intact, 1 naming every problem when it is not.
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { loadAuditPublicKey } from '../audit/store/audit-keys.js';
import { AppError, isAppError } from '../core/errors.js';
import type { EvidenceBundle } from '../features/evidence/index.js';
import { verifyEvidenceBundle } from '../features/evidence/index.js';
import { commandGroup, exitCodesHelp, withClientOptions, type ClientCommandOptions } from './client/client-options.js';
import { apiClient } from './client/http-client.js';
import { EXIT_DENIED, EXIT_OK, type CommandResult, type RunCommand } from './exit-codes.js';
import { plural, printJson, printLines, type OutputOptions } from './output.js';

export interface EvidenceExportOptions extends ClientCommandOptions {
  readonly from: string;
  readonly to: string;
  readonly out: string;
}

/** `evidence export`: fetches the bundle and writes it (canonical member order as the server signed it). */
export async function evidenceExportCommand(options: EvidenceExportOptions): CommandResult {
  const bundle = await apiClient(options).post<EvidenceBundle>('/v1/evidence', { from: options.from, to: options.to });
  try {
    await writeFile(options.out, `${JSON.stringify(bundle)}\n`, { flag: 'wx', mode: 0o644 });
  } catch (error) {
    const exists = (error as NodeJS.ErrnoException).code === 'EEXIST';
    throw new AppError(
      exists ? 'conflict' : 'internal',
      exists ? `'${options.out}' already exists; it is never overwritten` : `'${options.out}' could not be written`,
    );
  }
  const summary = {
    file: options.out,
    period: bundle.manifest.period,
    keyId: bundle.manifest.keyId,
    events: bundle.manifest.sections.auditEvents.entries,
  };
  if (options.json) printJson(summary);
  else {
    printLines([
      `wrote ${options.out}: ${plural(summary.events, 'audit event')}, signed by key '${summary.keyId}'`,
      `period ${new Date(summary.period.from).toISOString()} – ${new Date(summary.period.to).toISOString()}`,
    ]);
  }
  return EXIT_OK;
}

export interface EvidenceVerifyOptions extends OutputOptions {
  readonly publicKey: string;
}

/** `evidence verify FILE`: offline; 0 intact, 1 tampered (every problem named), 4 unreadable input. */
export async function evidenceVerifyCommand(file: string, options: EvidenceVerifyOptions): CommandResult {
  const publicKey = await loadAuditPublicKey(options.publicKey).catch((error: unknown) => {
    throw new AppError(
      'internal',
      isAppError(error) ? error.message : `public key '${options.publicKey}' could not be read`,
    );
  });
  let bundle: unknown;
  try {
    bundle = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    throw new AppError('internal', `evidence bundle '${file}' could not be read as JSON`);
  }
  const result = verifyEvidenceBundle(bundle, publicKey);
  if (options.json) printJson(result);
  else if (result.ok) {
    printLines([
      `evidence bundle '${file}' is intact: signed by key '${result.keyId}', ${plural(result.sectionsVerified, 'section')}, ` +
        `${plural(result.eventsVerified, 'audit event')} chained, ${plural(result.checkpointsVerified, 'checkpoint')} verified`,
    ]);
  } else {
    printLines([
      `evidence bundle '${file}' FAILED verification:`,
      ...result.problems.map((problem) => `  ${problem.where}: ${problem.message} (${problem.code})`),
    ]);
  }
  return result.ok ? EXIT_OK : EXIT_DENIED;
}

export function registerEvidenceCommands(program: Command, run: RunCommand): void {
  const group = commandGroup(program, 'evidence', 'signed evidence bundles for auditors');
  withClientOptions(
    group
      .command('export')
      .description('export the signed evidence bundle of a period (needs audit, and not administer)')
      .requiredOption('--from <date>', 'start of the period: ISO date or date-time (inclusive)')
      .requiredOption('--to <date>', 'end of the period: ISO date-time (exclusive) or date (that whole day included)')
      .requiredOption('--out <file>', 'where to write the bundle (never overwritten)'),
  ).action((options: EvidenceExportOptions) => run(() => evidenceExportCommand(options)));
  group
    .command('verify')
    .description('verify an evidence bundle offline with the audit public key')
    .argument('<file>', 'the bundle written by `evidence export`')
    .requiredOption('--public-key <file>', 'the audit public key (audit-signing.pub)')
    .option('--json', 'print the verification as JSON')
    .addHelpText('after', exitCodesHelp('the bundle failed verification (each problem is named)'))
    .action((file: string, options: EvidenceVerifyOptions) => run(() => evidenceVerifyCommand(file, options)));
}
