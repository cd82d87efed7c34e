/**
 * `countersign check`: is this identity allowed this action on this resource right now (POST /v1/check)?
 * Scripts and gateways rely on the exit code: 0 allowed, 1 denied — anything else means the question could not
 * be answered, never "allowed".
 */
import type { Command } from 'commander';
import type { CheckAnswerView } from '../features/access/check.view.js';
import { AppError } from '../core/errors.js';
import { withClientOptions, type ClientCommandOptions } from './client/client-options.js';
import { apiClient } from './client/http-client.js';
import { EXIT_DENIED, EXIT_OK, type CommandResult, type RunCommand } from './exit-codes.js';
import { printJson, printLines } from './output.js';

export interface CheckOptions extends ClientCommandOptions {
  readonly identity?: string;
  readonly resource: string;
  readonly action: string;
}

/** `check`: prints the answer and its reason; exit 0 when allowed, 1 when denied. */
export async function checkCommand(options: CheckOptions): CommandResult {
  const client = apiClient(options);
  const identity = options.identity ?? (await client.get<{ identity: string }>('/v1/me')).identity;
  const answer = await client.post<CheckAnswerView>('/v1/check', {
    identity,
    resource: options.resource,
    action: options.action,
  });
  if (answer.allowed !== true && answer.allowed !== false) {
    throw new AppError('internal', 'the server answered /v1/check without `allowed`: is it a Countersign server?');
  }
  if (options.json) printJson(answer);
  else {
    const verdict = answer.allowed ? 'ALLOWED' : 'DENIED';
    const grant = answer.grantId === undefined ? '' : ` (grant ${answer.grantId})`;
    printLines([
      `${verdict}: ${identity} → ${options.action} on ${options.resource}${grant}: ${answer.reason.message}`,
    ]);
  }
  return answer.allowed ? EXIT_OK : EXIT_DENIED;
}

export function registerCheckCommands(program: Command, run: RunCommand): void {
  withClientOptions(
    program
      .command('check')
      .description('is an identity allowed an action on a resource right now? (exit 0 allowed, 1 denied)')
      .option('--identity <name>', 'who (default: yourself; asking about others needs audit or provision)')
      .requiredOption('--resource <name>', 'the resource, e.g. payments-db')
      .requiredOption('--action <name>', 'the action, e.g. read'),
    {
      json: 'print { allowed, reason: { code, message }, grantId? } as JSON',
      denied: 'denied: the identity holds no such access now',
    },
  ).action((options: CheckOptions) => run(() => checkCommand(options)));
}
