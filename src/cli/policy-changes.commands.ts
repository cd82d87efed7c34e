/**
 * `countersign policy plan|apply DIR` and `policy changes list|show|approve|reject` (SPEC §3): a policy
 * directory is loaded here first — its problems are reported as `file:line:col: message` (exit 1) before any
 * server is contacted — then planned against the policy in force (POST /v1/policy/plan, which writes nothing)
 * or submitted as a change set (POST /v1/policy/changes), which takes effect once the governance approvers of
 * every touched profile, never its author, approve its digest.
 */
import { relative, sep } from 'node:path';
import { Option, type Command } from 'commander';
import type {
  PolicyChangeDetailView,
  PolicyChangeView,
  PolicyPlanView,
} from '../features/governance/policy-change.view.js';
import type { PolicySource } from '../policy/load.js';
import {
  commandGroup,
  positiveInteger,
  withClientOptions,
  type ClientCommandOptions,
} from './client/client-options.js';
import { apiClient } from './client/http-client.js';
import {
  approvalLines,
  approvedText,
  changeDetail,
  changeStatusLine,
  changeTable,
  planText,
  type ApproveChangeResult,
} from './client/policy-change-text.js';
import { EXIT_DENIED, EXIT_OK, type CommandResult, type RunCommand } from './exit-codes.js';
import { printJson, printLines } from './output.js';
import { readDirectory, reportProblems } from './policy.commands.js';

const CHANGE_STATUSES = ['pending', 'applied', 'rejected', 'cancelled'] as const;

/**
 * The directory's documents as the API takes them. Paths are relative to DIR with `/` separators, so a change
 * set reads the same whoever submits it from wherever (and no local home directory ends up in the audit log).
 */
function filesOf(dir: string, sources: readonly PolicySource[]): { path: string; text: string }[] {
  return sources.map((source) => ({ path: relative(dir, source.path).split(sep).join('/'), text: source.text }));
}

/** The directory's files, or undefined after reporting its problems: nothing is sent for a broken policy. */
async function loadFiles(
  dir: string,
  options: ClientCommandOptions,
): Promise<{ path: string; text: string }[] | undefined> {
  const { sources, result } = await readDirectory(dir);
  if (result.problems.length > 0 || !result.policy) {
    reportProblems(result, options);
    return undefined;
  }
  return filesOf(dir, sources);
}

/** `policy plan DIR`: what applying DIR would change on the server and who would approve it. */
export async function policyPlanCommand(dir: string, options: ClientCommandOptions): CommandResult {
  const files = await loadFiles(dir, options);
  if (files === undefined) return EXIT_DENIED;
  const plan = await apiClient(options).post<PolicyPlanView>('/v1/policy/plan', { files });
  if (options.json) printJson(plan);
  else printLines(planText(plan, dir));
  return EXIT_OK;
}

export interface ApplyOptions extends ClientCommandOptions {
  readonly description?: string;
}

/**
 * `policy apply DIR`: submits DIR as a change set and says who must approve it. A directory that matches the
 * policy in force submits nothing: a change set of it would only ask approvers to approve no change.
 */
export async function policyApplyCommand(dir: string, options: ApplyOptions): CommandResult {
  const files = await loadFiles(dir, options);
  if (files === undefined) return EXIT_DENIED;
  const client = apiClient(options);
  const plan = await client.post<PolicyPlanView>('/v1/policy/plan', { files });
  if (plan.unchanged) {
    if (options.json) printJson({ change: null, plan });
    else printLines(planText(plan, dir).concat('nothing to apply; no change set submitted'));
    return EXIT_OK;
  }
  const change = await client.post<PolicyChangeView>('/v1/policy/changes', {
    files,
    ...(options.description === undefined ? {} : { description: options.description }),
  });
  if (options.json) printJson({ change, plan });
  else {
    printLines([
      changeStatusLine(change),
      `profiles: ${change.touched.all.length === 0 ? 'none touched' : change.touched.all.join(', ')}`,
      ...approvalLines(plan),
      `review it with \`countersign policy changes show ${change.id}\``,
    ]);
  }
  return EXIT_OK;
}

function changePath(id: string, verb?: string): string {
  return `/v1/policy/changes/${encodeURIComponent(id)}${verb === undefined ? '' : `/${verb}`}`;
}

export interface ChangesListOptions extends ClientCommandOptions {
  readonly status?: (typeof CHANGE_STATUSES)[number];
  readonly limit?: number;
}

/** `policy changes list`: change sets newest first. */
export async function changesListCommand(options: ChangesListOptions): CommandResult {
  const { changes } = await apiClient(options).get<{ changes: PolicyChangeView[] }>('/v1/policy/changes', {
    status: options.status,
    limit: options.limit,
  });
  if (options.json) printJson({ changes });
  else if (changes.length === 0) printLines([`no ${options.status ?? 'policy'} changes`]);
  else printLines(changeTable(changes));
  return EXIT_OK;
}

export interface ChangesShowOptions extends ClientCommandOptions {
  readonly files?: boolean;
}

/** `policy changes show ID`: one change set, its approvals and its documents (their text with `--files`). */
export async function changesShowCommand(id: string, options: ChangesShowOptions): CommandResult {
  const change = await apiClient(options).get<PolicyChangeDetailView>(changePath(id));
  if (options.json) printJson(change);
  else printLines(changeDetail(change, options.files === true));
  return EXIT_OK;
}

export interface ChangesApproveOptions extends ClientCommandOptions {
  readonly digest?: string;
}

/**
 * `policy changes approve ID`: approves the change's digest. Without `--digest` it is read from the change set,
 * whose documents never change once submitted, so it is the digest of exactly what `show` printed.
 */
export async function changesApproveCommand(id: string, options: ChangesApproveOptions): CommandResult {
  const client = apiClient(options);
  const digest = options.digest ?? (await client.get<PolicyChangeView>(changePath(id))).digest;
  const result = await client.post<ApproveChangeResult>(changePath(id, 'approve'), { digest });
  if (options.json) printJson(result);
  else printLines(approvedText(result));
  return EXIT_OK;
}

export interface ChangesRejectOptions extends ClientCommandOptions {
  readonly reason: string;
}

/** `policy changes reject ID --reason …`: a governance approver rejects it; its author withdraws it. */
export async function changesRejectCommand(id: string, options: ChangesRejectOptions): CommandResult {
  const change = await apiClient(options).post<PolicyChangeView>(changePath(id, 'reject'), {
    reason: options.reason,
  });
  if (options.json) printJson(change);
  else printLines([changeStatusLine(change)]);
  return EXIT_OK;
}

/** Adds `plan`, `apply` and `changes …` to the `policy` group. */
export function registerPolicyChangeCommands(program: Command, run: RunCommand): void {
  const policy = commandGroup(program, 'policy', 'validate, explain and publish policy as code');
  const problems = 'policy problems (file:line:col: message), or refused by the server';

  withClientOptions(
    policy
      .command('plan')
      .description('show what applying a policy directory would change on the server, and who must approve it')
      .argument('<dir>', 'directory of policy YAML files'),
    { json: 'print the plan as JSON (or { ok, problems } when the directory has problems)', denied: problems },
  ).action((dir: string, options: ClientCommandOptions) => run(() => policyPlanCommand(dir, options)));

  withClientOptions(
    policy
      .command('apply')
      .description(
        "submit a policy directory as a change set; it applies once the profiles' governance approvers approve",
      )
      .argument('<dir>', 'directory of policy YAML files')
      .option('--description <text>', 'what the change is for, shown to its approvers'),
    { json: 'print { change, plan } as JSON', denied: `${problems} (you need administer on what it touches)` },
  ).action((dir: string, options: ApplyOptions) => run(() => policyApplyCommand(dir, options)));

  const changes = policy.command('changes').description('policy change sets: list, show, approve, reject');

  withClientOptions(
    changes
      .command('list')
      .description('change sets, newest first (administer, audit or approve holders)')
      .addOption(new Option('--status <status>', 'only change sets in this status').choices(CHANGE_STATUSES))
      .option('--limit <n>', 'at most this many (default 100)', positiveInteger(1000)),
    { json: 'print { changes } as JSON', denied: 'refused: you hold none of administer, audit or approve' },
  ).action((options: ChangesListOptions) => run(() => changesListCommand(options)));

  withClientOptions(
    changes
      .command('show')
      .description('one change set: author, touched profiles, approvals and documents')
      .argument('<id>', 'change set id')
      .option('--files', 'print the text of every document too'),
    { json: 'print the change set with its documents as JSON', denied: 'not found or not visible to you' },
  ).action((id: string, options: ChangesShowOptions) => run(() => changesShowCommand(id, options)));

  withClientOptions(
    changes
      .command('approve')
      .description('approve a pending change set (never your own); it applies once governance is satisfied')
      .argument('<id>', 'change set id')
      .option('--digest <sha256>', 'approve only if the documents have exactly this digest (as `show` prints it)'),
    {
      json: 'print { change, applied } as JSON',
      denied: 'refused: your own change, not a governance approver, or no longer pending (or the policy moved on)',
    },
  ).action((id: string, options: ChangesApproveOptions) => run(() => changesApproveCommand(id, options)));

  withClientOptions(
    changes
      .command('reject')
      .description('reject a pending change set (a governance approver), or withdraw your own')
      .argument('<id>', 'change set id')
      .requiredOption('--reason <text>', 'why (kept in the audit log)'),
    { json: 'print the change set as JSON', denied: 'refused: not an approver of it, or no longer pending' },
  ).action((id: string, options: ChangesRejectOptions) => run(() => changesRejectCommand(id, options)));
}
