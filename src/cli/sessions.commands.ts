/**
 * `countersign sessions list|show|replay` (issue 14): the gateway's session records through the API.
 * `list` is a table of sessions (GET /v1/sessions); `show` one session with its statements, their decisions,
 * rows and timing (GET /v1/sessions/{id}); `replay` prints the whole session as a transcript, statement by
 * statement with the time since it began. `--open` asks for the statements' text and a failed statement's error
 * message, detail and hint (an `audit` holder's right; the opening is audited); without it a statement is shown by
 * its commands and tables, and a failure by its SQLSTATE.
 */
import type { Command } from 'commander';
import { AppError } from '../core/errors.js';
import { MAX_SESSION_PAGE, MAX_STATEMENT_PAGE } from '../features/sessions/index.js';
import {
  SESSION_STATUSES,
  type SessionDetailView,
  type SessionView,
  type StatementView,
} from '../features/sessions/session.view.js';
import { positiveInteger, withClientOptions, type ClientCommandOptions } from './client/client-options.js';
import { apiClient, type ApiClient } from './client/http-client.js';
import { EXIT_OK, type CommandResult, type RunCommand } from './exit-codes.js';
import { printJson, printLines, renderTable } from './output.js';

export interface SessionsListOptions extends ClientCommandOptions {
  readonly identity?: string;
  readonly resource?: string;
  readonly grant?: string;
  readonly status?: string;
  readonly limit?: number;
}

export interface SessionShowOptions extends ClientCommandOptions {
  readonly open?: boolean;
  readonly after?: number;
  readonly limit?: number;
}

function sessionPath(id: string): string {
  return `/v1/sessions/${encodeURIComponent(id)}`;
}

function decisionText(statement: StatementView): string {
  if (statement.allowed) return statement.rule === null ? 'allowed' : `allowed (${statement.rule})`;
  const by = statement.rule === null ? (statement.builtIn ? 'built-in rule' : 'default') : `rule ${statement.rule}`;
  return `REFUSED by ${by}`;
}

function outcomeText(statement: StatementView): string {
  if (!statement.allowed) return statement.refusalId === null ? '' : `refusal ${statement.refusalId}`;
  const parts = [statement.commandTag ?? '', statement.errorCode === null ? '' : `error ${statement.errorCode}`];
  if (statement.durationMs !== null) parts.push(`${statement.durationMs.toFixed(1)} ms`);
  return parts.filter((part) => part !== '').join(', ');
}

/** A failed statement's error text as opened (`--open`), one line per part, or why it stays sealed. */
function errorLines(statement: StatementView): string[] {
  if (statement.errorSealed !== undefined) return [`error message sealed: ${statement.errorSealed}`];
  if (statement.errorMessage === undefined) return [];
  return [
    `error ${statement.errorCode ?? ''}: ${statement.errorMessage}`,
    ...(statement.errorDetail === undefined ? [] : [`detail: ${statement.errorDetail}`]),
    ...(statement.errorHint === undefined ? [] : [`hint: ${statement.errorHint}`]),
  ];
}

/** How the client logged in: SCRAM-SHA-256-PLUS when its proof was bound to the TLS connection. */
function loginText(session: SessionView): string {
  if (session.method !== 'scram') return session.method;
  if (session.channelBound === null) return 'scram';
  return session.channelBound ? 'scram-sha-256-plus (channel-bound)' : 'scram-sha-256';
}

function sessionLine(session: SessionView): string {
  const via = [session.applicationName, session.tls ? 'tls' : 'no tls', loginText(session)].filter(Boolean).join(', ');
  const end = session.closedAt === null ? 'open' : `closed ${session.closedAt} (${session.endReason ?? 'unknown'})`;
  return `session ${session.id}: ${session.identity} on ${session.resource} (${session.action}, grant ${session.grantId}) from ${session.clientAddress} [${via}], opened ${session.openedAt}, ${end}; ${session.statements} statements, ${session.refused} refused`;
}

/** `sessions list`. */
export async function sessionsListCommand(options: SessionsListOptions): CommandResult {
  if (options.status !== undefined && !(SESSION_STATUSES as readonly string[]).includes(options.status)) {
    throw new AppError(
      'invalid',
      `'${options.status.slice(0, 50)}' is not a session status (${SESSION_STATUSES.join(', ')})`,
    );
  }
  const { sessions } = await apiClient(options).get<{ sessions: SessionView[] }>('/v1/sessions', {
    identity: options.identity,
    resource: options.resource,
    grant: options.grant,
    status: options.status,
    limit: options.limit,
  });
  if (options.json) printJson({ sessions });
  else if (sessions.length === 0) printLines(['no gateway sessions']);
  else {
    printLines(
      renderTable(
        ['SESSION', 'IDENTITY', 'RESOURCE', 'ACTION', 'STATUS', 'OPENED', 'ENDED', 'STATEMENTS', 'REFUSED'],
        sessions.map((s) => [
          s.id,
          s.identity,
          s.resource,
          s.action,
          s.status,
          s.openedAt,
          s.closedAt === null ? '' : `${s.closedAt} (${s.endReason ?? ''})`,
          String(s.statements),
          String(s.refused),
        ]),
      ),
    );
  }
  return EXIT_OK;
}

function pageQuery(options: SessionShowOptions, after?: number) {
  return {
    ...(options.open ? { open: 'true' } : {}),
    ...(after === undefined ? {} : { after }),
    ...(options.limit === undefined ? {} : { limit: options.limit }),
  };
}

/** `sessions show ID`: the session and one page of its statements. */
export async function sessionShowCommand(id: string, options: SessionShowOptions): CommandResult {
  const detail = await apiClient(options).get<SessionDetailView>(sessionPath(id), pageQuery(options, options.after));
  if (options.json) {
    printJson(detail);
    return EXIT_OK;
  }
  const rows = detail.statements.map((s) => [
    String(s.seq),
    s.at,
    s.commands.join('; '),
    s.tables.join(', '),
    decisionText(s),
    s.rows === null ? '' : String(s.rows),
    outcomeText(s),
    ...(options.open ? [s.text ?? `(sealed: ${s.sealed ?? 'not shown'})`, errorLines(s).join('; ')] : []),
  ]);
  const headers = [
    ...['SEQ', 'AT', 'COMMAND', 'TABLES', 'DECISION', 'ROWS', 'OUTCOME'],
    ...(options.open ? ['TEXT', 'ERROR'] : []),
  ];
  printLines([
    sessionLine(detail.session),
    ...(rows.length === 0 ? ['no statements'] : renderTable(headers, rows)),
    ...(detail.next === null ? [] : [`more: --after ${detail.next}`]),
  ]);
  return EXIT_OK;
}

/** Every statement of the session, page after page. */
async function allStatements(client: ApiClient, id: string, options: SessionShowOptions): Promise<SessionDetailView> {
  let after: number | undefined;
  const statements: StatementView[] = [];
  for (;;) {
    const page = await client.get<SessionDetailView>(
      sessionPath(id),
      pageQuery({ ...options, limit: MAX_STATEMENT_PAGE }, after),
    );
    statements.push(...page.statements);
    if (page.next === null) return { ...page, statements, next: null };
    after = page.next;
  }
}

function offset(from: string, at: string): string {
  return `+${((Date.parse(at) - Date.parse(from)) / 1000).toFixed(3)}s`;
}

/** `sessions replay ID`: the session as a transcript, in order, with the time of each statement. */
export async function sessionReplayCommand(id: string, options: SessionShowOptions): CommandResult {
  const detail = await allStatements(apiClient(options), id, options);
  if (options.json) {
    printJson(detail);
    return EXIT_OK;
  }
  const { session } = detail;
  const lines = [`-- ${sessionLine(session)}`];
  for (const statement of detail.statements) {
    const outcome = outcomeText(statement);
    lines.push(
      `-- [${offset(session.openedAt, statement.at)}] #${statement.seq} ${statement.commands.join('; ')}: ${decisionText(statement)}${statement.allowed ? '' : `: ${statement.message}`}${outcome === '' ? '' : ` — ${outcome}`}`,
    );
    if (statement.text !== undefined) {
      lines.push(...`${statement.text.trimEnd()}${statement.text.trimEnd().endsWith(';') ? '' : ';'}`.split('\n'));
      if (statement.params !== undefined && statement.params.length > 0) {
        lines.push(`-- parameters: ${JSON.stringify(statement.params)}`);
      } else if (statement.paramsOf !== undefined) {
        lines.push(`-- parameters: those of #${statement.paramsOf} (its portal executed again)`);
      }
    } else {
      lines.push(
        `-- (text sealed${options.open ? `: ${statement.sealed ?? 'not shown'}` : '; --open shows it to audit holders'})`,
      );
    }
    lines.push(...errorLines(statement).map((line) => `-- ${line}`));
  }
  lines.push(
    session.closedAt === null
      ? '-- (still open)'
      : `-- [${offset(session.openedAt, session.closedAt)}] closed: ${session.endReason ?? 'unknown'}`,
  );
  printLines(lines);
  return EXIT_OK;
}

export function registerSessionsCommands(program: Command, run: RunCommand): void {
  const sessions = program.command('sessions').description("the gateway's session records: who did what through it");
  withClientOptions(
    sessions
      .command('list')
      .description('gateway sessions, newest first: your own, or those on the profiles you approve or audit')
      .option('--identity <name>', 'only sessions of this identity')
      .option('--resource <name>', 'only sessions on this resource')
      .option('--grant <id>', 'only sessions through this grant')
      .option('--status <status>', `only sessions that are ${SESSION_STATUSES.join(', ')}`)
      .option('--limit <n>', 'at most this many', positiveInteger(MAX_SESSION_PAGE)),
    { json: 'print { sessions } as JSON' },
  ).action((options: SessionsListOptions) => run(() => sessionsListCommand(options)));

  withClientOptions(
    sessions
      .command('show')
      .description('one session and its statements: decisions, rows, timing, errors')
      .argument('<id>', 'session id')
      .option('--open', "show the statements' text and error messages (needs audit; the opening is audited)")
      .option('--after <seq>', 'statements after this sequence number', positiveInteger(Number.MAX_SAFE_INTEGER))
      .option('--limit <n>', 'at most this many statements', positiveInteger(MAX_STATEMENT_PAGE)),
    { json: 'print { session, statements, next } as JSON', denied: 'not found or not visible to you' },
  ).action((id: string, options: SessionShowOptions) => run(() => sessionShowCommand(id, options)));

  withClientOptions(
    sessions
      .command('replay')
      .description('the whole session as a transcript, statement by statement with its time')
      .argument('<id>', 'session id')
      .option('--open', "show the statements' text and error messages (needs audit; the opening is audited)"),
    { json: 'print { session, statements } as JSON', denied: 'not found or not visible to you' },
  ).action((id: string, options: SessionShowOptions) => run(() => sessionReplayCommand(id, options)));
}
