/**
 * For the client CLI tests: a real Countersign API listening on 127.0.0.1 (the test application over a fresh
 * SQLite file, example policy, manual clock), a storage broker for the `webhook` provider that issues a real
 * credential, and a runner for the built CLI as a child process whose environment holds only the server and
 * token the test gives it.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebhookProvider } from '../../src/providers/webhook/webhook-provider.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySignature } from '../../src/providers/webhook/webhook-signing.js';
import { openDatabase, type Database } from '../../src/store/database.js';
import { noopProviders } from '../app/harness.js';
import { createHttpTestApp, type HttpTestApp } from '../http/http-fixtures.js';
import type { DialectContext } from '../store/dialects.js';
import { runBuiltCli, type CliRun } from './run-cli.js';

/** A SQLite-only dialect context: the CLI talks HTTP, so which database serves the API is not under test here. */
function sqliteContext(): DialectContext & { close(): Promise<void> } {
  const directory = mkdtempSync(join(tmpdir(), 'countersign-client-cli-'));
  const url = join(directory, 'countersign.db');
  const handles: Database[] = [];
  let main: Database | undefined;
  return {
    dialect: 'sqlite',
    url,
    get database(): Database {
      if (!main) throw new Error('open the context first');
      return main;
    },
    async open() {
      const handle = await openDatabase(url);
      handles.push(handle);
      main ??= handle;
      return handle;
    },
    async close() {
      await Promise.all(handles.map((handle) => handle.close()));
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** A broker in front of the KYC bucket: grants answer with a fresh secret, revokes succeed. */
export interface Broker {
  readonly url: string;
  readonly secret: string;
  /** Every credential secret it handed out. */
  readonly issued: string[];
  /** Operations it accepted, in order. */
  readonly operations: string[];
  close(): Promise<void>;
}

async function startBroker(): Promise<Broker> {
  const secret = randomBytes(24).toString('hex');
  const issued: string[] = [];
  const operations: string[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const check = verifySignature({
        secret,
        body,
        timestamp: request.headers[TIMESTAMP_HEADER.toLowerCase()] as string | undefined,
        signature: request.headers[SIGNATURE_HEADER.toLowerCase()] as string | undefined,
        nowMs: Date.now(),
      });
      if (!check.ok) {
        response.writeHead(401).end();
        return;
      }
      const call = JSON.parse(body) as { operation: string; request?: { id: string } };
      operations.push(call.operation);
      let answer: unknown = {};
      if (call.operation === 'grant') {
        const secretAccessKey = randomBytes(18).toString('base64url');
        issued.push(secretAccessKey);
        answer = {
          handle: { key: `AKIA-${call.request?.id ?? ''}` },
          credential: { accessKeyId: 'AKIA-CLI', secretAccessKey },
        };
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/broker`,
    secret,
    issued,
    operations,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface ClientServer {
  readonly t: HttpTestApp;
  /** The API's base URL. */
  readonly url: string;
  readonly broker: Broker;
  close(): Promise<void>;
}

/** The API on a real listening socket, with the webhook provider pointed at a real broker. */
export async function startClientServer(): Promise<ClientServer> {
  const ctx = sqliteContext();
  await ctx.open();
  const broker = await startBroker();
  const providers = noopProviders();
  providers.set(
    'webhook',
    new WebhookProvider({
      env: { STORAGE_BROKER_URL: broker.url, STORAGE_BROKER_SECRET: broker.secret },
      maxAttempts: 1,
    }),
  );
  const t = await createHttpTestApp(ctx, { providers });
  await t.http.listen({ host: '127.0.0.1', port: 0 });
  const { port } = t.http.server.address() as AddressInfo;
  return {
    t,
    url: `http://127.0.0.1:${port}`,
    broker,
    async close() {
      await t.http.close();
      await broker.close();
      await ctx.close();
    },
  };
}

export interface ClientEnv {
  readonly server?: string;
  readonly token?: string;
}

/** The parent's environment without any `COUNTERSIGN_*` variable. */
export function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('COUNTERSIGN_')));
}

/** The environment of a client run: the parent's without any `COUNTERSIGN_*` variable, plus `env`'s. */
export function clientEnv(env: ClientEnv = {}): NodeJS.ProcessEnv {
  return {
    ...cleanEnv(),
    NO_COLOR: '1',
    ...(env.server === undefined ? {} : { COUNTERSIGN_URL: env.server }),
    ...(env.token === undefined ? {} : { COUNTERSIGN_TOKEN: env.token }),
  };
}

/**
 * Runs the built `countersign …` as a child process. Its environment is the parent's without any
 * `COUNTERSIGN_*` variable, plus `COUNTERSIGN_URL` and `COUNTERSIGN_TOKEN` from `env`.
 */
export function runClient(args: readonly string[], env: ClientEnv = {}): Promise<CliRun> {
  return runBuiltCli(args, clientEnv(env));
}

/**
 * A POST to the API as `identity`, for setting up what a test needs (so that no test relies on another having
 * run first). An answer other than 2xx fails the test.
 */
export async function postAs<T>(server: ClientServer, identity: string, path: string, payload?: unknown): Promise<T> {
  const response = await server.t.call('POST', path, await server.t.tokenFor(identity), payload);
  if (response.statusCode >= 300)
    throw new Error(`POST ${path} as ${identity}: ${response.statusCode} ${response.body}`);
  return response.json<T>();
}

/**
 * A runner of the CLI as one identity or another against `server()`: tokens are minted once per identity, and
 * a run whose output contains any of them fails (a token must never be printed).
 */
export function clientRunner(
  server: () => ClientServer,
): (identity: string, args: readonly string[]) => Promise<CliRun> {
  const tokens = new Map<string, string>();
  return async (identity, args) => {
    let token = tokens.get(identity);
    if (token === undefined) {
      token = await server().t.tokenFor(identity);
      tokens.set(identity, token);
    }
    const run = await runClient(args, { server: server().url, token });
    for (const secret of tokens.values()) {
      if (run.stdout.includes(secret) || run.stderr.includes(secret)) {
        throw new Error(`countersign ${args.join(' ')} printed an API token`);
      }
    }
    return run;
  };
}
