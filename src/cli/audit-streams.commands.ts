/**
 * `countersign audit streams` (`audit` duty): each audit stream sink's cursor, lag and last failure, from
 * GET /v1/audit/streams. The sinks themselves are configured where the server runs (`serve --audit-stream`).
 */
import type { Command } from 'commander';
import type { AuditStreamsView } from '../features/audit-stream/audit-stream.view.js';
import { commandGroup, withClientOptions, type ClientCommandOptions } from './client/client-options.js';
import { apiClient } from './client/http-client.js';
import { EXIT_OK, type CommandResult, type RunCommand } from './exit-codes.js';
import { printJson, printLines, renderTable } from './output.js';

/** `audit streams`: one line per sink. */
export async function auditStreamsCommand(options: ClientCommandOptions): CommandResult {
  const view = await apiClient(options).get<AuditStreamsView>('/v1/audit/streams');
  if (options.json) {
    printJson(view);
    return EXIT_OK;
  }
  if (view.streams.length === 0) {
    printLines([`no audit streams have run (head of the log: seq ${view.headSeq}); see serve --audit-stream`]);
    return EXIT_OK;
  }
  printLines([
    `head of the log: seq ${view.headSeq}`,
    ...renderTable(
      ['SINK', 'KIND', 'DELIVERED', 'LAG', 'LAG AGE', 'FAILURES', 'LAST ERROR', 'TARGET'],
      view.streams.map((stream) => [
        stream.sink,
        stream.kind,
        String(stream.deliveredSeq),
        String(stream.lagEvents),
        `${Math.round(stream.lagSeconds)}s`,
        String(stream.consecutiveFailures),
        stream.lastError ?? '',
        stream.target,
      ]),
    ),
  ]);
  return EXIT_OK;
}

/** Adds `streams` to the `audit` group. */
export function registerAuditStreamsCommands(program: Command, run: RunCommand): void {
  withClientOptions(
    commandGroup(program, 'audit', 'the tamper-evident audit log')
      .command('streams')
      .description("show each audit stream sink's cursor, lag behind the log and last failure (needs the audit duty)"),
    { json: 'print { headSeq, streams } as JSON', denied: 'not allowed to read the audit log' },
  ).action((options: ClientCommandOptions) => run(() => auditStreamsCommand(options)));
}
