/**
 * `countersign request …` and `countersign break-glass`: the request lifecycle over the HTTP API (SPEC §2.8,
 * §4) — create, list, show (with the profile context and the approval progress), approve, deny, cancel,
 * activate (the credential is printed once, to stdout), execute, extend, complete and revoke. Refusals come back as
 * problem+json and leave with exit 1 and the server's reasons (see `client/http-client.ts`).
 */
import type { Command } from 'commander';
import type { ProfileView } from '../features/resources/profile.view.js';
import type { ActivationView, ExecutionView, ExtensionView, RequestView } from '../features/requests/request.view.js';
import type { RequestList } from '../features/requests/index.js';
import type { ResourceView } from '../features/resources/resource.view.js';
import { MAX_PAGE_SIZE } from '../features/requests/index.js';
import { REQUEST_STATUSES, type RequestStatus } from '../decide/types.js';
import { AppError, isAppError } from '../core/errors.js';
import { collect, positiveInteger, withClientOptions, type ClientCommandOptions } from './client/client-options.js';
import { apiClient, type ApiClient } from './client/http-client.js';
import { requestParams } from './client/request-params.js';
import {
  requestDetail,
  requestTable,
  statusLine,
  type RequestContext,
  type RequestDocument,
} from './client/request-text.js';
import { EXIT_OK, type CommandResult, type RunCommand } from './exit-codes.js';
import { printError, printJson, printLines } from './output.js';

export interface RequestCreateOptions extends ClientCommandOptions {
  readonly resource: string;
  readonly action: string;
  readonly duration: string;
  /** A statement the gateway refused: ask for the profile's execute action bound to its text (issue 14). */
  readonly fromRefusal?: string;
  readonly justification?: string;
  readonly ticket?: string;
  readonly param?: readonly string[];
  readonly paramsJson?: string;
}

function requestBody(options: RequestCreateOptions, breakGlass: boolean): Record<string, unknown> {
  const params = requestParams(options.paramsJson, options.param);
  return {
    resource: options.resource,
    action: options.action,
    duration: options.duration,
    ...(options.justification === undefined ? {} : { justification: options.justification }),
    ...(options.ticket === undefined || breakGlass ? {} : { ticket: options.ticket }),
    ...(params === undefined ? {} : { params }),
  };
}

function requestPath(id: string, verb?: string): string {
  return `/v1/requests/${encodeURIComponent(id)}${verb === undefined ? '' : `/${verb}`}`;
}

function printRequest(view: RequestDocument, options: ClientCommandOptions): CommandResult {
  if (options.json) printJson(view);
  else printLines([statusLine(view)]);
  return Promise.resolve(EXIT_OK);
}

/** `request create --from-refusal ID`: the execute request for a statement the gateway refused (issue 14). */
async function requestFromRefusalCommand(options: RequestCreateOptions, refusal: string): CommandResult {
  const given = (['resource', 'action', 'param', 'paramsJson'] as const).filter((name) => options[name] !== undefined);
  if (given.length > 0) {
    throw new AppError(
      'invalid',
      `--from-refusal takes the resource, action and sql from the refused statement; drop --${given.map((name) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)).join(', --')}`,
    );
  }
  const body = {
    ...(options.duration === undefined ? {} : { duration: options.duration }),
    ...(options.justification === undefined ? {} : { justification: options.justification }),
    ...(options.ticket === undefined ? {} : { ticket: options.ticket }),
  };
  const path = `/v1/refusals/${encodeURIComponent(refusal)}/request`;
  return printRequest(await apiClient(options).post<RequestDocument>(path, body), options);
}

/** `request create`: the new request; a request the policy denies is an error (exit 1) with the rule's message. */
export async function requestCreateCommand(options: RequestCreateOptions): CommandResult {
  if (options.fromRefusal !== undefined) return requestFromRefusalCommand(options, options.fromRefusal);
  const missing = (['resource', 'action', 'duration'] as const).filter((name) => options[name] === undefined);
  if (missing.length > 0) {
    throw new AppError('invalid', `request create needs --${missing.join(', --')} (or --from-refusal ID)`);
  }
  const client = apiClient(options);
  return printRequest(await client.post<RequestDocument>('/v1/requests', requestBody(options, false)), options);
}

/** `break-glass`: immediate, flagged access; prints the credential once, like `request activate`. */
export async function breakGlassCommand(options: RequestCreateOptions): CommandResult {
  const client = apiClient(options);
  const result = await client.post<ActivationView>('/v1/break-glass', requestBody(options, true));
  printError(
    `warning: break-glass use of '${result.request.resource}' is recorded, reported to security and must be reviewed` +
      (result.request.reviewBy === undefined ? '' : ` by ${result.request.reviewBy}`),
  );
  return printActivation(result, options);
}

export interface RequestListOptions extends ClientCommandOptions {
  readonly status?: readonly string[];
  readonly mine?: boolean;
  readonly requester?: string;
  readonly resource?: string;
  readonly limit?: number;
  readonly cursor?: string;
}

function parseStatuses(values: readonly string[] = []): RequestStatus[] {
  const statuses = values.flatMap((value) => value.split(',')).map((value) => value.trim());
  for (const status of statuses) {
    if (!(REQUEST_STATUSES as readonly string[]).includes(status)) {
      throw new AppError(
        'invalid',
        `'${status.slice(0, 50)}' is not a request status (${REQUEST_STATUSES.join(', ')})`,
      );
    }
  }
  return statuses as RequestStatus[];
}

async function whoAmI(client: ApiClient): Promise<string> {
  return (await client.get<{ identity: string }>('/v1/me')).identity;
}

/** `request list`: newest first, filtered by status, requester and resource. */
export async function requestListCommand(options: RequestListOptions): CommandResult {
  const client = apiClient(options);
  const status = parseStatuses(options.status);
  const requester = options.mine ? await whoAmI(client) : options.requester;
  const page = await client.get<RequestList>('/v1/requests', {
    status: status.length === 0 ? undefined : status.join(','),
    requester,
    resource: options.resource,
    limit: options.limit,
    cursor: options.cursor,
  });
  if (options.json) {
    printJson(page);
    return EXIT_OK;
  }
  if (page.requests.length === 0) printLines(['no requests']);
  else printLines(requestTable(page.requests));
  if (page.nextCursor !== undefined) printError(`more requests: add --cursor ${page.nextCursor}`);
  return EXIT_OK;
}

/** A read that may be refused (the caller holds no duty on the profile): undefined rather than a failure. */
async function optional<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read;
  } catch (error) {
    if (isAppError(error) && (error.code === 'forbidden' || error.code === 'not_found')) return undefined;
    throw error;
  }
}

/**
 * The profile context an approver decides on, from the profile and resource in force: classification,
 * environment, owners, the action's risk and description, the resource's open drift.
 */
async function contextOf(client: ApiClient, view: RequestView): Promise<RequestContext> {
  const [profile, resource] = await Promise.all([
    optional(client.get<ProfileView>(`/v1/profiles/${encodeURIComponent(view.profile)}`)),
    optional(client.get<ResourceView>(`/v1/resources/${encodeURIComponent(view.resource)}`)),
  ]);
  const action = profile?.actionDetails.find((candidate) => candidate.name === view.action);
  const owners = [
    ...(resource?.owner ? [`${resource.owner} (resource)`] : []),
    ...(profile?.owners ?? []).map((owner) => `${owner} (profile)`),
  ];
  return {
    ...(profile ? { classification: profile.classification, environment: profile.environment } : {}),
    ...(owners.length > 0 ? { owners } : {}),
    ...(action ? { risk: action.risk } : {}),
    ...(action?.description ? { actionDescription: action.description } : {}),
    ...(resource ? { drift: resource.drift } : {}),
    ...(profile ? { profileVersionInForce: profile.version } : {}),
  };
}

/** `request show`: the request, its profile context and its approval progress. */
export async function requestShowCommand(id: string, options: ClientCommandOptions): CommandResult {
  const client = apiClient(options);
  const view = await client.get<RequestView>(requestPath(id));
  const document: RequestDocument = { ...view, context: await contextOf(client, view) };
  if (options.json) printJson(document);
  else printLines(requestDetail(document));
  return EXIT_OK;
}

export interface ReviewOptions extends ClientCommandOptions {
  readonly digest?: string;
  readonly comment?: string;
  readonly reason?: string;
}

/** approve, deny, cancel, complete, revoke: one POST, the new state printed. */
export async function requestVerbCommand(
  id: string,
  verb: 'approve' | 'deny' | 'cancel' | 'complete' | 'revoke',
  options: ReviewOptions,
): CommandResult {
  const body =
    verb === 'approve'
      ? {
          ...(options.digest === undefined ? {} : { digest: options.digest }),
          ...(options.comment === undefined ? {} : { comment: options.comment }),
        }
      : options.reason === undefined
        ? {}
        : { reason: options.reason };
  return printRequest(await apiClient(options).post<RequestDocument>(requestPath(id, verb), body), options);
}

function printActivation(result: ActivationView, options: ClientCommandOptions): CommandResult {
  const credential = result.credential;
  if (credential !== undefined && Object.keys(credential).length > 0) {
    printError('warning: the credential below is shown once and never again; store it now, do not log it');
  }
  if (result.gateway !== undefined) {
    printError('warning: the gateway secret below is shown once and never again; store it now, do not log it');
  }
  if (options.json) {
    printJson(result);
    return Promise.resolve(EXIT_OK);
  }
  const lines = [statusLine(result.request)];
  const gateway = result.gateway;
  if (gateway !== undefined) {
    // A gateway-only action (issue 14): connect through the gateway; the provider's credential stays sealed.
    lines.push(
      'gateway login (connect through the Countersign gateway):',
      `  user:      ${gateway.user}`,
      `  database:  ${gateway.database}`,
      `  password:  ${gateway.secret}`,
      `  expires:   ${gateway.expiresAt}`,
    );
  } else if (credential !== undefined && Object.keys(credential).length > 0) {
    const width = Math.max(...Object.keys(credential).map((key) => key.length)) + 2;
    lines.push(
      'credential:',
      ...Object.entries(credential).map(([key, value]) => `  ${`${key}:`.padEnd(width)}${value}`),
    );
  } else {
    lines.push('no credential: the provider granted access without one');
  }
  printLines(lines);
  return Promise.resolve(EXIT_OK);
}

/** `request activate`: provisions the approved access and prints the credential once. */
export async function requestActivateCommand(id: string, options: ClientCommandOptions): CommandResult {
  return printActivation(await apiClient(options).post<ActivationView>(requestPath(id, 'activate')), options);
}

/** `request execute`: runs the approved action once and prints its output. */
export async function requestExecuteCommand(id: string, options: ReviewOptions): CommandResult {
  const body = options.digest === undefined ? {} : { digest: options.digest };
  const result = await apiClient(options).post<ExecutionView>(requestPath(id, 'execute'), body);
  if (options.json) printJson(result);
  else
    printLines([
      statusLine(result.request),
      `summary: ${JSON.stringify(result.summary)}`,
      JSON.stringify(result.output, null, 2),
    ]);
  return EXIT_OK;
}

export interface RequestExtendOptions extends ClientCommandOptions {
  readonly duration: string;
  readonly justification?: string;
  readonly ticket?: string;
}

/** `request extend`: asks for a longer grant; applied at once when the policy approves it, else after approval. */
export async function requestExtendCommand(id: string, options: RequestExtendOptions): CommandResult {
  const body = {
    duration: options.duration,
    ...(options.justification === undefined ? {} : { justification: options.justification }),
    ...(options.ticket === undefined ? {} : { ticket: options.ticket }),
  };
  const result = await apiClient(options).post<ExtensionView>(requestPath(id, 'extend'), body);
  if (options.json) printJson(result);
  else {
    const lines = [statusLine(result.extension), statusLine(result.request)];
    if (result.extension.status === 'pending') {
      lines.push(`once approved, apply it with \`countersign request activate ${result.extension.id}\``);
    }
    printLines(lines);
  }
  return EXIT_OK;
}

function addRequestBodyOptions(command: Command, breakGlass: boolean): Command {
  // `request create --from-refusal ID` takes the resource and action from the refused statement instead.
  const option = breakGlass ? command.requiredOption.bind(command) : command.option.bind(command);
  option('--resource <name>', 'the resource, e.g. payments-db');
  option('--action <name>', "one of the actions of the resource's profile, e.g. read");
  option('--duration <duration>', 'how long, e.g. 30m or 2h (at most the action’s maxDuration)');
  command.option('--justification <text>', 'why (required by most profiles)');
  if (!breakGlass) {
    command
      .option('--ticket <id>', 'change ticket, when the action asks for one (e.g. CHG-1234)')
      .option(
        '--from-refusal <id>',
        "a statement the gateway refused you: ask for the profile's execute action with exactly that statement",
      );
  }
  return command
    .option('--param <key=value>', 'a parameter: key=text, or key:=JSON for numbers and objects (repeatable)', collect)
    .option('--params-json <json>', 'all parameters as a JSON object, or @FILE to read it from a file');
}

/** Adds the `request` group and `break-glass`. */
export function registerRequestCommands(program: Command, run: RunCommand): void {
  const request = program.command('request').description('ask for, review and use privileged access');

  withClientOptions(
    addRequestBodyOptions(request.command('create').description('ask for an action on a resource for a while'), false),
    { json: 'print the request as JSON', denied: 'denied by policy or not allowed to request' },
  ).action((options: RequestCreateOptions) => run(() => requestCreateCommand(options)));

  withClientOptions(
    request
      .command('list')
      .description('list requests, newest first')
      .option(
        '--status <status>',
        `only these statuses, comma-separated or repeated (${REQUEST_STATUSES.join(', ')})`,
        collect,
      )
      .option('--mine', 'only my own requests')
      .option('--requester <identity>', "only this identity's requests")
      .option('--resource <name>', 'only requests for this resource')
      .option('--limit <n>', 'at most this many (default: the server’s page size)', positiveInteger(MAX_PAGE_SIZE))
      .option('--cursor <cursor>', 'continue after a previous page'),
    { json: 'print { requests, nextCursor? } as JSON' },
  ).action((options: RequestListOptions) => run(() => requestListCommand(options)));

  withClientOptions(
    request
      .command('show')
      .description('one request: what is asked, the profile context (classification, risk) and approval progress')
      .argument('<id>', 'request id'),
    { json: 'print the request and its profile context as JSON', denied: 'not found or not visible to you' },
  ).action((id: string, options: ClientCommandOptions) => run(() => requestShowCommand(id, options)));

  withClientOptions(
    request
      .command('approve')
      .description('approve a pending request (never your own; SoD and the approval steps apply)')
      .argument('<id>', 'request id')
      .option('--digest <sha256>', 'bind the approval to exactly this content (the digest `request show` prints)')
      .option('--comment <text>', 'a note kept with the approval'),
    { denied: 'refused: your own request, not an approver, separation of duties, or no longer pending' },
  ).action((id: string, options: ReviewOptions) => run(() => requestVerbCommand(id, 'approve', options)));

  for (const [verb, description, reasonHelp] of [
    ['deny', 'deny a pending request', 'why (shown to the requester)'],
    ['cancel', 'cancel your own pending request', 'why'],
    ['complete', 'end your active access early, when the work is done', 'a note for the log'],
    ['revoke', 'revoke an active grant at once', 'why (shown to the requester)'],
  ] as const) {
    withClientOptions(
      request
        .command(verb)
        .description(description)
        .argument('<id>', 'request id')
        .option('--reason <text>', reasonHelp),
      { denied: 'refused (not allowed, separation of duties, or the request is not in a state for it)' },
    ).action((id: string, options: ReviewOptions) => run(() => requestVerbCommand(id, verb, options)));
  }

  withClientOptions(
    request
      .command('activate')
      .description('provision approved access now; prints the credential ONCE, to stdout (it is never stored)')
      .argument('<id>', 'request id'),
    { json: 'print { request, credential? } as JSON', denied: 'refused: not yours, not approved, or no longer valid' },
  ).action((id: string, options: ClientCommandOptions) => run(() => requestActivateCommand(id, options)));

  withClientOptions(
    request
      .command('execute')
      .description('run an approved one-off action (e.g. run-sql) and print its output')
      .argument('<id>', 'request id')
      .option('--digest <sha256>', 'refuse unless the request still has exactly this content'),
    {
      json: 'print { request, output, summary } as JSON',
      denied: 'refused: not yours, not approved, or no longer valid',
    },
  ).action((id: string, options: ReviewOptions) => run(() => requestExecuteCommand(id, options)));

  withClientOptions(
    request
      .command('extend')
      .description(
        'ask to extend your active grant: a new request under the same approval rules, never past maxDuration from the first activation',
      )
      .argument('<id>', 'the active request')
      .requiredOption('--duration <duration>', 'how long from now, e.g. 30m')
      .option('--justification <text>', 'why (required by most profiles)')
      .option('--ticket <id>', 'change ticket, when the action asks for one'),
    {
      json: 'print { extension, request } as JSON',
      denied: 'refused: not yours, not active, past maxDuration, denied by policy, or the provider cannot extend',
    },
  ).action((id: string, options: RequestExtendOptions) => run(() => requestExtendCommand(id, options)));

  withClientOptions(
    addRequestBodyOptions(
      program
        .command('break-glass')
        .description('emergency access now, without approval: recorded, reported and reviewed afterwards'),
      true,
    ),
    { json: 'print { request, credential? } as JSON', denied: 'not allowed to break glass on this resource or action' },
  ).action((options: RequestCreateOptions) => run(() => breakGlassCommand(options)));
}
