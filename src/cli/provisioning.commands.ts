/**
 * `countersign request provision ID [--note TEXT]` (SPEC §2.11 `manual`): a provisioner confirms over the HTTP
 * API that they created the access of an approved request by hand; the request turns active with them as its
 * provisioner. Refusals (the requester, an approver, no `provision` on the profile) leave with exit 1 and the
 * server's reasons.
 */
import type { Command } from 'commander';
import type { RequestView } from '../features/requests/request.view.js';
import { commandGroup, withClientOptions, type ClientCommandOptions } from './client/client-options.js';
import { apiClient } from './client/http-client.js';
import { statusLine } from './client/request-text.js';
import { EXIT_OK, type CommandResult, type RunCommand } from './exit-codes.js';
import { printJson, printLines } from './output.js';

export interface ProvisionOptions extends ClientCommandOptions {
  readonly note?: string;
}

/** `request provision`: one POST, the now active request printed. */
export async function requestProvisionCommand(id: string, options: ProvisionOptions): CommandResult {
  const body = options.note === undefined ? {} : { note: options.note };
  const view = await apiClient(options).post<RequestView>(`/v1/requests/${encodeURIComponent(id)}/provision`, body);
  if (options.json) printJson(view);
  else printLines([statusLine(view)]);
  return EXIT_OK;
}

export function registerProvisioningCommands(program: Command, run: RunCommand): void {
  const request = commandGroup(program, 'request', 'ask for, review and use privileged access');
  withClientOptions(
    request
      .command('provision')
      .description('confirm you created the access of an approved request by hand (profiles with the manual provider)')
      .argument('<id>', 'request id')
      .option('--note <text>', 'what you did (e.g. the user you created), kept in the audit log'),
    {
      json: 'print the request as JSON',
      denied: 'refused: the requester, an approver, no provision duty on the profile, or not awaiting provisioning',
    },
  ).action((id: string, options: ProvisionOptions) => run(() => requestProvisionCommand(id, options)));
}
