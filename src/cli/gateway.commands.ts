/**
 * `countersign gateway --db URL --listen HOST:PORT`: runs only the PostgreSQL access gateway, as a separate
 * stateless process against the database the servers use (see server/gateway-process.ts), until SIGINT or
 * SIGTERM. Each gateway process needs its own `--journal` directory (kept across its restarts).
 */
import type { Command } from 'commander';
import { createLogger } from '../server/start.js';
import { startGatewayProcess } from '../server/gateway-process.js';
import { AppError } from '../core/errors.js';
import { GATEWAY_CLIENT_AUTH, type GatewayClientAuth } from '../gateway/postgres/client-auth.js';
import { parseLivenessDuration, resolveGatewayLiveness } from '../features/sessions/index.js';
import { EXIT_OK, type CommandResult, type RunCommand } from './exit-codes.js';
import { checkMetricsSettings, METRICS_TOKEN_VARIABLE } from '../server/gateway-metrics-listener.js';

interface GatewayFlags {
  readonly db?: string;
  readonly listen?: string;
  readonly keys?: string;
  readonly tlsCert?: string;
  readonly tlsKey?: string;
  readonly clientAuth?: string;
  readonly journal?: string;
  readonly logLevel?: string;
  readonly heartbeat?: string;
  readonly lease?: string;
  readonly metricsListen?: string;
}

/** The lease's timings from flags over environment, checked before anything starts; `invalid` lists every problem. */
function leaseTimings(flags: GatewayFlags): { heartbeatMs: number; leaseMs: number } {
  const problems: string[] = [];
  const read = (setting: 'heartbeat' | 'lease', flag: string, variable: string): number | undefined => {
    const text = flags[setting] || process.env[variable];
    if (!text) return undefined;
    const parsed = parseLivenessDuration(setting, text);
    if ('ms' in parsed) return parsed.ms;
    problems.push(`${flag} (or ${variable}): ${parsed.problem}`);
    return undefined;
  };
  const heartbeatMs = read('heartbeat', '--heartbeat', 'COUNTERSIGN_GATEWAY_HEARTBEAT');
  const leaseMs = read('lease', '--lease', 'COUNTERSIGN_GATEWAY_LEASE');
  if (problems.length === 0) {
    // No grace here: the scheduler that closes a dead gateway's sessions runs in `serve`, which checks its own.
    const resolved = resolveGatewayLiveness(
      { ...(heartbeatMs === undefined ? {} : { heartbeatMs }), ...(leaseMs === undefined ? {} : { leaseMs }) },
      { heartbeat: '--heartbeat', lease: '--lease', grace: 'the grace' },
    );
    problems.push(...resolved.problems);
    if (problems.length === 0) return resolved.liveness;
  }
  throw new AppError('invalid', `the gateway configuration is invalid:\n  ${problems.join('\n  ')}`, { problems });
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

async function gatewayCommand(flags: GatewayFlags): CommandResult {
  const db = flags.db ?? process.env.COUNTERSIGN_DB;
  const listen = flags.listen ?? process.env.COUNTERSIGN_GATEWAY_LISTEN;
  if (!db) throw new AppError('invalid', 'the database is required: --db URL (or COUNTERSIGN_DB)');
  if (!listen)
    throw new AppError('invalid', 'the address is required: --listen HOST:PORT (or COUNTERSIGN_GATEWAY_LISTEN)');
  const level = flags.logLevel ?? process.env.COUNTERSIGN_LOG_LEVEL ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new AppError('invalid', `'${level}' is not a log level (${LOG_LEVELS.join('|')})`);
  }
  const { heartbeatMs, leaseMs } = leaseTimings(flags);
  const clientAuth = flags.clientAuth ?? process.env.COUNTERSIGN_GATEWAY_CLIENT_AUTH ?? 'password';
  if (!(GATEWAY_CLIENT_AUTH as readonly string[]).includes(clientAuth)) {
    throw new AppError(
      'invalid',
      `'${clientAuth}' is not a client authentication (${GATEWAY_CLIENT_AUTH.join('|')}; COUNTERSIGN_GATEWAY_CLIENT_AUTH)`,
    );
  }
  const metricsListen = flags.metricsListen ?? process.env.COUNTERSIGN_GATEWAY_METRICS_LISTEN;
  if (metricsListen) checkMetricsSettings(metricsListen, process.env[METRICS_TOKEN_VARIABLE]);
  const logger = createLogger(level as (typeof LOG_LEVELS)[number]);
  const running = await startGatewayProcess(
    {
      db,
      listen,
      ...(flags.keys ? { keys: flags.keys } : {}),
      ...(flags.tlsCert ? { tlsCert: flags.tlsCert } : {}),
      ...(flags.tlsKey ? { tlsKey: flags.tlsKey } : {}),
      clientAuth: clientAuth as GatewayClientAuth,
      ...(flags.journal ? { journal: flags.journal } : {}),
      heartbeatMs,
      leaseMs,
      ...(metricsListen ? { metricsListen, metricsToken: process.env[METRICS_TOKEN_VARIABLE] } : {}),
    },
    logger,
  );
  const { gateway } = running;
  process.stderr.write(
    [
      '',
      `Countersign gateway listening on ${gateway.host}:${gateway.port} (PostgreSQL protocol)`,
      `  TLS certificate: ${gateway.tls.generated ? 'generated, self-signed' : 'from files'}, SHA-256 ${gateway.tls.fingerprint256}`,
      `  client auth:     ${clientAuth === 'scram' ? 'scram (SCRAM-SHA-256-PLUS over TLS; no API tokens)' : 'password (over TLS: the gateway secret or an API token)'}`,
      ...(running.metrics
        ? [
            `  metrics:         http://${running.metrics.host}:${running.metrics.port}/metrics (Bearer $${METRICS_TOKEN_VARIABLE})`,
          ]
        : []),
      `  connect:         psql "host=${gateway.host} port=${gateway.port} user=IDENTITY dbname=RESOURCE sslmode=require${clientAuth === 'scram' ? ' channel_binding=require' : ''}"`,
      '',
    ].join('\n'),
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  logger.info('gateway shutting down');
  await running.close();
  return EXIT_OK;
}

export function registerGatewayCommands(program: Command, run: RunCommand): void {
  program
    .command('gateway')
    .description('run only the PostgreSQL access gateway, against the database the servers use')
    .option('--db <url>', "the servers' database: postgres:// URL or SQLite path (COUNTERSIGN_DB)")
    .option('--listen <host:port>', 'address to listen on, e.g. 0.0.0.0:15432 (COUNTERSIGN_GATEWAY_LISTEN)')
    .option(
      '--keys <dir>',
      "the installation's key directory, shared with the servers (default .countersign/keys beside the database)",
    )
    .option('--tls-cert <file>', 'PEM certificate for TLS (with --tls-key; default: a generated self-signed one)')
    .option('--tls-key <file>', 'PEM private key for TLS')
    .option(
      '--client-auth <password|scram>',
      'how clients over TLS log in: password (default; the gateway secret or an API token, in clear inside TLS) or scram (SCRAM-SHA-256-PLUS bound to the certificate; no tokens) (COUNTERSIGN_GATEWAY_CLIENT_AUTH)',
    )
    .option(
      '--journal <dir>',
      "this gateway's statement journal (default gateway-journal beside the keys); one per process",
    )
    .option('--log-level <level>', `${LOG_LEVELS.join('|')} (COUNTERSIGN_LOG_LEVEL)`)
    .option(
      '--heartbeat <duration>',
      'how often this gateway renews its lease, e.g. 5s (default 5s; COUNTERSIGN_GATEWAY_HEARTBEAT)',
    )
    .option(
      '--lease <duration>',
      "how long the lease outlives a renewal: once it lapses, the servers close this gateway's sessions as abnormal; at least twice the heartbeat, at most the servers' --gateway-abandon-grace (default 3 heartbeats; COUNTERSIGN_GATEWAY_LEASE)",
    )
    .option(
      '--metrics-listen <host:port>',
      `serve Prometheus metrics at http://HOST:PORT/metrics, with the scrape secret from ${METRICS_TOKEN_VARIABLE} (COUNTERSIGN_GATEWAY_METRICS_LISTEN)`,
    )
    .addHelpText('after', '\nExit codes: 0 stopped cleanly, 2 bad configuration, 4 could not start.')
    .action((flags: GatewayFlags) => run(() => gatewayCommand(flags)));
}
