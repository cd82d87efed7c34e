/**
 * `countersign changes list|show|approve|reject` (SPEC §2.4, four eyes on widening access): administrative
 * changes proposed through the API — role assignments, resource registrations and re-bindings — wait for a
 * second administrator, who approves them here (`POST /v1/admin-changes/{id}/approve`, applied at once) or
 * rejects them; their author may withdraw them.
 */
import { Option, type Command } from 'commander';
import { positiveInteger, withClientOptions, type ClientCommandOptions } from './client/client-options.js';
import { apiClient } from './client/http-client.js';
import { EXIT_OK, type CommandResult, type RunCommand } from './exit-codes.js';
import { printJson, printLines, renderTable } from './output.js';

const STATUSES = ['pending', 'applied', 'rejected', 'cancelled', 'expired'] as const;
const KINDS = ['role_assignment', 'resource'] as const;

/** A change as the API answers it (times are ISO-8601). */
export interface AdminChangeItem {
  readonly id: string;
  readonly kind: (typeof KINDS)[number];
  readonly target: string;
  readonly status: (typeof STATUSES)[number];
  readonly payload: Readonly<Record<string, unknown>>;
  readonly digest: string;
  readonly author: string;
  readonly reason: string | null;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly decidedAt: string | null;
  readonly decidedBy: string | null;
  readonly appliedAt: string | null;
  readonly result: Readonly<Record<string, unknown>> | null;
}

const text = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

/** What the change would do, in one line. */
export function changeSummary(change: AdminChangeItem): string {
  const p = change.payload;
  if (change.kind === 'role_assignment') {
    const expiry =
      p.expiresAt === null || p.expiresAt === undefined ? '' : `, until ${new Date(Number(p.expiresAt)).toISOString()}`;
    return `assign role '${text(p.role)}' to ${text(p.subject)} (${text(p.assignment)}${expiry})`;
  }
  const parts = [
    `profile '${text(p.profile)}'`,
    p.owner ? `owner ${text(p.owner)}` : 'no owner',
    p.connection ? `connection '${text(p.connection)}'` : 'no connection',
  ];
  const labels = Object.entries((p.labels ?? {}) as Record<string, unknown>).map(([k, v]) => `${k}=${text(v)}`);
  if (labels.length > 0) parts.push(`labels ${labels.join(',')}`);
  return `register resource '${text(p.name)}': ${parts.join(', ')}`;
}

function statusLine(change: AdminChangeItem): string {
  const by = change.decidedBy === null ? '' : ` by ${change.decidedBy}`;
  const why = change.reason === null ? '' : ` (${change.reason})`;
  return `administrative change ${change.id} is ${change.status}${by}${why}`;
}

function changePath(id: string, verb?: string): string {
  return `/v1/admin-changes/${encodeURIComponent(id)}${verb === undefined ? '' : `/${verb}`}`;
}

export interface ChangesListOptions extends ClientCommandOptions {
  readonly status?: (typeof STATUSES)[number];
  readonly kind?: (typeof KINDS)[number];
  readonly limit?: number;
}

/** `changes list`: newest first, with what each would do. */
export async function adminChangesListCommand(options: ChangesListOptions): CommandResult {
  const { changes } = await apiClient(options).get<{ changes: AdminChangeItem[] }>('/v1/admin-changes', {
    status: options.status,
    kind: options.kind,
    limit: options.limit,
  });
  if (options.json) printJson({ changes });
  else if (changes.length === 0) printLines([`no ${options.status ?? 'administrative'} changes`]);
  else {
    printLines(
      renderTable(
        ['ID', 'STATUS', 'AUTHOR', 'CREATED', 'EXPIRES', 'CHANGE'],
        changes.map((c) => [c.id, c.status, c.author, c.createdAt, c.expiresAt, changeSummary(c)]),
      ),
    );
  }
  return EXIT_OK;
}

/** `changes show ID`: one change, its payload and how it was decided. */
export async function adminChangesShowCommand(id: string, options: ClientCommandOptions): CommandResult {
  const change = await apiClient(options).get<AdminChangeItem>(changePath(id));
  if (options.json) printJson(change);
  else {
    printLines([
      statusLine(change),
      changeSummary(change),
      `proposed by ${change.author} at ${change.createdAt}; expires ${change.expiresAt}`,
      `digest ${change.digest}`,
      ...(change.result === null ? [] : [`result: ${JSON.stringify(change.result)}`]),
    ]);
  }
  return EXIT_OK;
}

export interface ChangesApproveOptions extends ClientCommandOptions {
  readonly digest?: string;
}

/** `changes approve ID`: a second administrator approves; the change is checked again and applied at once. */
export async function adminChangesApproveCommand(id: string, options: ChangesApproveOptions): CommandResult {
  const change = await apiClient(options).post<AdminChangeItem>(
    changePath(id, 'approve'),
    options.digest === undefined ? {} : { digest: options.digest },
  );
  if (options.json) printJson(change);
  else printLines([statusLine(change), changeSummary(change)]);
  return EXIT_OK;
}

export interface ChangesRejectOptions extends ClientCommandOptions {
  readonly reason: string;
}

/** `changes reject ID --reason …`: another administrator rejects it; its author withdraws it. */
export async function adminChangesRejectCommand(id: string, options: ChangesRejectOptions): CommandResult {
  const change = await apiClient(options).post<AdminChangeItem>(changePath(id, 'reject'), { reason: options.reason });
  if (options.json) printJson(change);
  else printLines([statusLine(change)]);
  return EXIT_OK;
}

export function registerAdminChangeCommands(program: Command, run: RunCommand): void {
  const changes = program
    .command('changes')
    .description('administrative changes waiting for a second administrator: list, show, approve, reject');

  withClientOptions(
    changes
      .command('list')
      .description('role assignments and resource registrations proposed through the API, newest first')
      .addOption(new Option('--status <status>', 'only changes in this status').choices(STATUSES))
      .addOption(new Option('--kind <kind>', 'only changes of this kind').choices(KINDS))
      .option('--limit <n>', 'at most this many (default 100)', positiveInteger(1000)),
    { json: 'print { changes } as JSON', denied: 'refused: you hold neither administer nor audit' },
  ).action((options: ChangesListOptions) => run(() => adminChangesListCommand(options)));

  withClientOptions(changes.command('show').description('one administrative change').argument('<id>', 'change id'), {
    json: 'print the change as JSON',
    denied: 'refused: you hold neither administer nor audit',
  }).action((id: string, options: ClientCommandOptions) => run(() => adminChangesShowCommand(id, options)));

  withClientOptions(
    changes
      .command('approve')
      .description('approve a pending change as a second administrator (never your own, nor one about you)')
      .argument('<id>', 'change id')
      .option('--digest <sha256>', 'approve only if the change has exactly this digest (as `show` prints it)'),
    {
      json: 'print the applied change as JSON',
      denied: 'refused: your own change or one about you, not an administrator of it, or it no longer holds',
    },
  ).action((id: string, options: ChangesApproveOptions) => run(() => adminChangesApproveCommand(id, options)));

  withClientOptions(
    changes
      .command('reject')
      .description('reject a pending change, or withdraw your own')
      .argument('<id>', 'change id')
      .requiredOption('--reason <text>', 'why (kept in the audit log)'),
    { json: 'print the change as JSON', denied: 'refused: not an administrator of it, or no longer pending' },
  ).action((id: string, options: ChangesRejectOptions) => run(() => adminChangesRejectCommand(id, options)));
}
