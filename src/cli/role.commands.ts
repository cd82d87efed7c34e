/**
 * `countersign role …`: eligible roles over the HTTP API (issue #9 item 3). An eligible role gives its duties only
 * while an approved activation of it is active: `role activate NAME` asks for it, approvers `role approve|deny`
 * it, the requester `role cancel`s a pending one, and `role revoke` ends an active one at once.
 */
import type { Command } from 'commander';
import { ROLE_ACTIVATION_STATUSES, type RoleActivationView } from '../features/access/role-activation.view.js';
import { MAX_ROLE_ACTIVATION_PAGE } from '../features/access/index.js';
import { AppError } from '../core/errors.js';
import { collect, positiveInteger, withClientOptions, type ClientCommandOptions } from './client/client-options.js';
import { apiClient } from './client/http-client.js';
import { EXIT_OK, type CommandResult, type RunCommand } from './exit-codes.js';
import { printJson, printLines, renderTable } from './output.js';

export interface RoleActivateOptions extends ClientCommandOptions {
  readonly duration: string;
  readonly justification?: string;
  readonly ticket?: string;
}

export interface RoleListOptions extends ClientCommandOptions {
  readonly status?: readonly string[];
  readonly role?: string;
  readonly requester?: string;
  readonly limit?: number;
}

interface ReasonOptions extends ClientCommandOptions {
  readonly reason?: string;
}

const path = (id: string, verb?: string) =>
  `/v1/role-activations/${encodeURIComponent(id)}${verb === undefined ? '' : `/${verb}`}`;

function statusLine(view: RoleActivationView): string {
  const base = `role activation ${view.id} of role '${view.role}' for '${view.requester}' is ${view.status}`;
  if (view.status === 'active') return `${base} until ${view.expiresAt ?? '?'}`;
  if (view.status === 'pending') return `${base}: waiting for approval (rule '${view.rule}')`;
  return view.statusReason === undefined ? base : `${base}: ${view.statusReason}`;
}

function print(view: RoleActivationView, options: ClientCommandOptions): CommandResult {
  if (options.json) printJson(view);
  else printLines([statusLine(view)]);
  return Promise.resolve(EXIT_OK);
}

/** `role activate NAME`: asks for the role; active at once only when the role's own rules auto-approve it. */
export async function roleActivateCommand(role: string, options: RoleActivateOptions): CommandResult {
  const body = {
    role,
    duration: options.duration,
    ...(options.justification === undefined ? {} : { justification: options.justification }),
    ...(options.ticket === undefined ? {} : { ticket: options.ticket }),
  };
  return print(await apiClient(options).post<RoleActivationView>('/v1/role-activations', body), options);
}

/** `role activations`: newest first; yours, or all of them for approvers, auditors and administrators. */
export async function roleListCommand(options: RoleListOptions): CommandResult {
  const statuses = (options.status ?? []).flatMap((value) => value.split(',')).map((value) => value.trim());
  const unknown = statuses.find((status) => !(ROLE_ACTIVATION_STATUSES as readonly string[]).includes(status));
  if (unknown !== undefined) {
    const message = `'${unknown.slice(0, 50)}' is not a role activation status (${ROLE_ACTIVATION_STATUSES.join(', ')})`;
    throw new AppError('invalid', message);
  }
  const page = await apiClient(options).get<{ roleActivations: RoleActivationView[] }>('/v1/role-activations', {
    status: statuses.length === 0 ? undefined : statuses.join(','),
    role: options.role,
    requester: options.requester,
    limit: options.limit,
  });
  if (options.json) printJson(page);
  else {
    const rows = page.roleActivations.map((a) => [
      a.id,
      a.role,
      a.requester,
      a.status,
      a.expiresAt ?? a.pendingUntil ?? '',
    ]);
    printLines(
      rows.length === 0 ? ['no role activations'] : renderTable(['ID', 'ROLE', 'REQUESTER', 'STATUS', 'UNTIL'], rows),
    );
  }
  return EXIT_OK;
}

/** `role show ID`. */
export async function roleShowCommand(id: string, options: ClientCommandOptions): CommandResult {
  return print(await apiClient(options).get<RoleActivationView>(path(id)), options);
}

/** `role approve|deny|cancel|revoke ID`. */
export async function roleVerbCommand(
  id: string,
  verb: 'approve' | 'deny' | 'cancel' | 'revoke',
  options: ReasonOptions,
): CommandResult {
  const body = options.reason === undefined ? {} : { reason: options.reason };
  return print(await apiClient(options).post<RoleActivationView>(path(id, verb), body), options);
}

/** Adds the `role` group. */
export function registerRoleCommands(program: Command, run: RunCommand): void {
  const role = program.command('role').description('activate eligible roles, each through an approval of that role');

  withClientOptions(
    role
      .command('activate')
      .description('ask to activate an eligible role for a while; approvers over the whole role decide')
      .argument('<role>', 'the eligible role, e.g. dba-admin')
      .requiredOption('--duration <duration>', 'how long, e.g. 1h (at most the role’s activation maxDuration)')
      .option('--justification <text>', 'why (required unless the role says otherwise)')
      .option('--ticket <id>', 'change ticket, when the role asks for one'),
    { json: 'print the role activation as JSON', denied: 'denied by the role’s rules, or not eligible for it' },
  ).action((name: string, options: RoleActivateOptions) => run(() => roleActivateCommand(name, options)));

  withClientOptions(
    role
      .command('activations')
      .description('list role activations, newest first')
      .option('--status <status>', `only these statuses (${ROLE_ACTIVATION_STATUSES.join(', ')})`, collect)
      .option('--role <name>', 'only activations of this role')
      .option('--requester <identity>', "only this identity's activations")
      .option('--limit <n>', 'at most this many', positiveInteger(MAX_ROLE_ACTIVATION_PAGE)),
    { json: 'print { roleActivations } as JSON' },
  ).action((options: RoleListOptions) => run(() => roleListCommand(options)));

  withClientOptions(role.command('show').description('one role activation').argument('<id>', 'role activation id'), {
    json: 'print the role activation as JSON',
    denied: 'not found or not visible to you',
  }).action((id: string, options: ClientCommandOptions) => run(() => roleShowCommand(id, options)));

  for (const [verb, description] of [
    ['approve', 'approve a pending role activation (never your own); the last approval activates it'],
    ['deny', 'deny a pending role activation'],
    ['cancel', 'withdraw your pending role activation'],
    ['revoke', 'end an active role activation at once (yours, or any as an administrator)'],
  ] as const) {
    withClientOptions(
      role
        .command(verb)
        .description(description)
        .argument('<id>', 'role activation id')
        .option('--reason <text>', 'why (kept in the log)'),
      { denied: 'refused (separation of duties, not an approver over the role, or not in a state for it)' },
    ).action((id: string, options: ReasonOptions) => run(() => roleVerbCommand(id, verb, options)));
  }
}
