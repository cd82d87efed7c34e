/**
 * `countersign drift scan` (GET /v1/drift: open drift findings, the failing baseline checks of real resources)
 * and `countersign sod scan` (GET /v1/sod/conflicts: the detective separation-of-duties scan). Both exit 1 when
 * they find something that needs attention, so that a scheduled job can alert on it.
 */
import type { Command } from 'commander';
import type { SodScanView } from '../features/governance/sod-scan.view.js';
import type { DriftFindingView } from '../features/resources/resource.view.js';
import { commandGroup, withClientOptions, type ClientCommandOptions } from './client/client-options.js';
import { apiClient } from './client/http-client.js';
import { EXIT_DENIED, EXIT_OK, type CommandResult, type RunCommand } from './exit-codes.js';
import { plural, printJson, printLines, renderTable } from './output.js';

export interface DriftScanOptions extends ClientCommandOptions {
  readonly resource?: string;
  readonly all?: boolean;
}

/** `drift scan`: lists open findings; exit 1 when there is at least one. */
export async function driftScanCommand(options: DriftScanOptions): CommandResult {
  const list = await apiClient(options).get<{ findings: DriftFindingView[] }>('/v1/drift', {
    resource: options.resource,
    status: options.all ? undefined : 'open',
  });
  const open = list.findings.filter((finding) => finding.status === 'open');
  if (options.json) printJson(list);
  else if (list.findings.length === 0) {
    printLines([`no open drift${options.resource === undefined ? '' : ` on '${options.resource}'`}`]);
  } else {
    printLines([
      ...renderTable(
        ['RESOURCE', 'CHECK', 'SEVERITY', 'STATUS', 'FIRST SEEN', 'LAST SEEN', 'MESSAGE'],
        list.findings.map((f) => [
          f.resource,
          f.check,
          f.severity,
          f.status,
          f.firstSeen,
          f.resolvedAt ? `resolved ${f.resolvedAt}` : f.lastSeen,
          f.message,
        ]),
      ),
      `${plural(open.length, 'open finding')}`,
    ]);
  }
  return open.length > 0 ? EXIT_DENIED : EXIT_OK;
}

/** `sod scan`: every current conflict; exit 1 when any is not suppressed by an approved exception. */
export async function sodScanCommand(options: ClientCommandOptions): CommandResult {
  const scan = await apiClient(options).get<SodScanView>('/v1/sod/conflicts');
  if (options.json) printJson(scan);
  else {
    const lines = [
      `SoD scan at ${scan.at}: ${plural(scan.identities, 'identity', 'identities')}, ${plural(scan.rules, 'rule')}; ` +
        `${scan.unsuppressed} unsuppressed, ${scan.suppressed} suppressed by exceptions`,
    ];
    if (scan.conflicts.length > 0) {
      lines.push(
        '',
        ...renderTable(
          ['RULE', 'IDENTITY', 'PROFILE', 'VIA', 'EXCEPTION', 'CONFLICT'],
          scan.conflicts.map((c) => [
            c.rule,
            c.identity,
            c.profile ?? '*',
            c.holdings
              .map((h) => `${h.duty} (${h.role}${h.assignment === 'eligible' ? ', eligible' : ''})`)
              .join(' + '),
            c.exception === null ? '-' : `${c.exception.id} until ${c.exception.expiresAt}`,
            c.message,
          ]),
        ),
      );
    }
    if (scan.humanOnly.length > 0) {
      lines.push('', 'human-only duties held by non-human identities:', ...scan.humanOnly.map((v) => `  ${v.message}`));
    }
    printLines(lines);
  }
  return scan.unsuppressed > 0 || scan.humanOnly.length > 0 ? EXIT_DENIED : EXIT_OK;
}

export function registerScanCommands(program: Command, run: RunCommand): void {
  withClientOptions(
    commandGroup(program, 'drift', 'resources that drifted from their profile’s baseline')
      .command('scan')
      .description('list open drift findings (exit 1 when there are any)')
      .option('--resource <name>', 'only this resource')
      .option('--all', 'include resolved findings'),
    { json: 'print { findings } as JSON', denied: 'open drift findings exist' },
  ).action((options: DriftScanOptions) => run(() => driftScanCommand(options)));

  withClientOptions(
    commandGroup(program, 'sod', 'separation of duties')
      .command('scan')
      .description('report every current SoD conflict (exit 1 when any is not covered by an exception)'),
    { json: 'print the scan as JSON', denied: 'unsuppressed conflicts (or NHIs holding human-only duties) exist' },
  ).action((options: ClientCommandOptions) => run(() => sodScanCommand(options)));
}
