/**
 * `countersign login-link`: the operator bootstrap of the web console (issue 12), as `token issue` is for the
 * API. With direct database access it mints a one-time sign-in link for an enabled identity of the policy in
 * force and prints `${BASE}/sign-in#link=<secret>`: the secret rides in the URL's fragment, which browsers never
 * send to a server, so it stays out of access logs and link previewers. The link lives 10 minutes unless asked
 * otherwise (at most 1 hour) and works once. Audited as `session.link_issued` by `system:operator`.
 */
import type { Command } from 'commander';
import { issueLoginLink } from '../features/access/index.js';
import { AppError } from '../core/errors.js';
import { SYSTEM_OPERATOR } from '../policy/model.js';
import { DB_URL_HELP } from './db.commands.js';
import { withOperatorApp } from './operator-app.js';
import { EXIT_OK, type CommandResult, type RunCommand } from './exit-codes.js';
import { printJson, printLines, type OutputOptions } from './output.js';

export const DEFAULT_CONSOLE_URL = 'http://127.0.0.1:8080';

export interface LoginLinkOptions extends OutputOptions {
  readonly db?: string;
  readonly identity: string;
  readonly ttl?: string;
  readonly url?: string;
  readonly keys?: string;
}

/** The console's base URL without a trailing slash; `invalid` unless it is an http(s) URL. */
function consoleBase(url: string | undefined): string {
  const text = url ?? DEFAULT_CONSOLE_URL;
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    throw new AppError('invalid', `'${text}' is not a URL such as https://countersign.example`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new AppError('invalid', `'${text}' is not an http or https URL`);
  }
  return `${parsed.origin}${parsed.pathname}`.replace(/\/+$/, '');
}

/** `login-link`: prints the sign-in URL (or `{ id, identity, url, expiresAt }` with `--json`). */
export async function loginLinkCommand(options: LoginLinkOptions): CommandResult {
  const base = consoleBase(options.url);
  return withOperatorApp(options, async (app): CommandResult => {
    const issued = await issueLoginLink({
      app,
      actor: SYSTEM_OPERATOR,
      input: { identity: options.identity, ...(options.ttl === undefined ? {} : { ttl: options.ttl }) },
    });
    const url = `${base}/sign-in#link=${issued.link}`;
    if (options.json) printJson({ id: issued.id, identity: issued.identity, url, expiresAt: issued.expiresAt });
    else printLines([url]);
    return EXIT_OK;
  });
}

export function registerLoginLinkCommands(program: Command, run: RunCommand): void {
  program
    .command('login-link')
    .description(
      'print a one-time web-console sign-in URL for an identity, with direct database access (operator bootstrap)',
    )
    .option('--db <url>', DB_URL_HELP)
    .requiredOption('--identity <name>', 'the identity the link signs in')
    .option('--ttl <duration>', 'how long the link works, e.g. 5m (default 10m, at most 1h)')
    .option('--url <base>', `where browsers reach the console (default ${DEFAULT_CONSOLE_URL})`)
    .option('--keys <dir>', 'directory of the audit key files (default: .countersign/keys beside the SQLite file)')
    .option('--json', 'print { id, identity, url, expiresAt } as JSON')
    .action((options: LoginLinkOptions) => run(() => loginLinkCommand(options)));
}
