/**
 * `countersign audit tail`: the latest events of the audit log over the API (GET /v1/audit/events, `audit`
 * duty), and with `--follow` every new one as it is appended, by polling. The API pages forward by `seq`
 * (`after`, `limit`), so the tail first finds the head of the log with a few cheap one-event reads. With `--open`
 * the pages it prints are read with `open=true`: sealed output values (provider errors, rows, command output) are
 * shown opened, and the server records each opening as `audit.opened`; the head-finding reads never open.
 */
import type { Command } from 'commander';
import type { AuditEventView } from '../features/evidence/audit.view.js';
import {
  commandGroup,
  positiveInteger,
  withClientOptions,
  type ClientCommandOptions,
} from './client/client-options.js';
import { apiClient, type ApiClient } from './client/http-client.js';
import { EXIT_OK, type CommandResult, type RunCommand } from './exit-codes.js';
import { printJson, printLines } from './output.js';
import { parseDurationSeconds } from '../core/duration.js';
import { AppError } from '../core/errors.js';

/** The largest page the API serves. */
const PAGE_LIMIT = 1000;

interface AuditPage {
  readonly events: readonly AuditEventView[];
  readonly next: number | null;
}

export interface AuditTailOptions extends ClientCommandOptions {
  readonly limit?: number;
  readonly follow?: boolean;
  readonly interval?: string;
  readonly open?: boolean;
}

function page(client: ApiClient, after: number, limit: number, open = false): Promise<AuditPage> {
  return client.get<AuditPage>('/v1/audit/events', { after, limit, ...(open ? { open: 'true' } : {}) });
}

/** The `seq` of the last event (0 for an empty log): doubling, then bisecting, with one-event reads. */
async function headSeq(client: ApiClient): Promise<number> {
  const exists = async (seq: number): Promise<boolean> => (await page(client, seq - 1, 1)).events.length > 0;
  if (!(await exists(1))) return 0;
  let low = 1;
  let high = 2;
  while (await exists(high)) {
    low = high;
    high *= 2;
  }
  // Invariant: an event at or after `low` exists, none at or after `high`.
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (await exists(middle)) low = middle;
    else high = middle;
  }
  return (await page(client, low - 1, 1)).events[0]?.seq ?? low;
}

/** All events after `after`, page by page (opened with `open`). */
async function eventsAfter(
  client: ApiClient,
  after: number,
  open: boolean,
  max = Number.POSITIVE_INFINITY,
): Promise<AuditEventView[]> {
  const events: AuditEventView[] = [];
  let cursor = after;
  while (events.length < max) {
    const next = await page(client, cursor, Math.min(PAGE_LIMIT, max - events.length), open);
    events.push(...next.events);
    const last = next.events.at(-1);
    if (next.next === null || last === undefined) break;
    cursor = last.seq;
  }
  return events;
}

/** `  /providerError = "…"` for an opened value, `  /output sealed (no_key)` for one that stays sealed. */
function openedText(event: AuditEventView): string {
  return Object.entries(event.opened ?? {})
    .map(([pointer, opened]) =>
      'value' in opened ? `  ${pointer} = ${JSON.stringify(opened.value)}` : `  ${pointer} sealed (${opened.sealed})`,
    )
    .join('');
}

function eventLine(event: AuditEventView): string {
  const details = JSON.stringify(event.details);
  const shown = details.length > 200 ? `${details.slice(0, 199)}…` : details;
  const line = `#${event.seq}  ${event.time}  ${event.actor}  ${event.action}  ${event.subject}  ${shown}`;
  return `${line}${openedText(event)}`.replace(/[\r\n]+/g, ' ');
}

function printEvents(events: readonly AuditEventView[], options: AuditTailOptions): void {
  // Following prints one JSON object per line (JSON Lines), so that it can be piped as it comes.
  if (options.json && options.follow) for (const event of events) process.stdout.write(`${JSON.stringify(event)}\n`);
  else if (!options.json) printLines(events.map(eventLine));
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** `audit tail`: the last `--limit` events; with `--follow`, then every new event until interrupted (exit 0). */
export async function auditTailCommand(options: AuditTailOptions): CommandResult {
  const intervalSeconds = parseDurationSeconds(options.interval ?? '2s');
  if (intervalSeconds === undefined) {
    throw new AppError('invalid', `'${(options.interval ?? '').slice(0, 50)}' is not an interval such as '2s'`);
  }
  const client = apiClient(options);
  const limit = options.limit ?? 20;
  const head = await headSeq(client);
  const open = options.open === true;
  const latest = await eventsAfter(client, Math.max(head - limit, 0), open, limit);
  if (options.json && !options.follow) {
    printJson({ events: latest });
    return EXIT_OK;
  }
  printEvents(latest, options);
  if (!options.follow) return EXIT_OK;

  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    let after = latest.at(-1)?.seq ?? head;
    while (!stop.signal.aborted) {
      await sleep(intervalSeconds * 1000, stop.signal);
      if (stop.signal.aborted) break;
      const fresh = await eventsAfter(client, after, open);
      printEvents(fresh, options);
      after = fresh.at(-1)?.seq ?? after;
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return EXIT_OK;
}

/** Adds `tail` to the `audit` group (registered after `audit.commands.ts`). */
export function registerAuditTailCommands(program: Command, run: RunCommand): void {
  withClientOptions(
    commandGroup(program, 'audit', 'the tamper-evident audit log')
      .command('tail')
      .description('print the latest audit events from the server (needs the audit duty); --follow keeps polling')
      .option(
        '--limit <n>',
        `how many of the latest events (default 20, at most ${PAGE_LIMIT * 10})`,
        positiveInteger(PAGE_LIMIT * 10),
      )
      .option('-f, --follow', 'keep printing new events as they are appended, until interrupted')
      .option('--interval <duration>', 'how often --follow polls (default 2s)')
      .option(
        '--open',
        'show sealed output values (provider errors, SQL rows, command output) opened; each opening is audited',
      ),
    {
      json: 'print { events } as JSON; with --follow, one JSON event per line',
      denied: 'not allowed to read the audit log',
    },
  ).action((options: AuditTailOptions) => run(() => auditTailCommand(options)));
}
