/**
 * `countersign serve`: migrates the database, loads the policy, starts the scheduler, checkpointer and outbox
 * worker, and serves the HTTP API until SIGINT or SIGTERM. With no flags it runs on the embedded default — a
 * SQLite file `countersign.db` in the working directory — with the example policy, and says how to begin.
 */
import { relative } from 'node:path';
import type { Command } from 'commander';
import { parseServeConfig, SERVE_ENVIRONMENT, type ServeFlags } from '../server/serve-config.js';
import { startCountersign, type RunningServer } from '../server/start.js';
import { EXIT_OK, type CommandResult, type RunCommand } from './exit-codes.js';

/** How the user invoked this CLI, so the hints can be pasted as they are (`node dist/cli/main.js` in a checkout). */
function cliInvocation(): string {
  const script = process.argv[1];
  return script && !script.endsWith('/countersign') ? `node ${relative(process.cwd(), script)}` : 'countersign';
}

function gettingStarted(server: RunningServer, db: string): string {
  const cli = cliInvocation();
  return [
    '',
    `Countersign is listening on ${server.url}  (policy: ${server.policySource})`,
    `  API docs:      ${server.url}/docs`,
    `  audit keys:    ${server.keysDir}`,
    ...(server.gatewayAddress
      ? [`  gateway:       postgres://IDENTITY@${server.gatewayAddress}/RESOURCE  (psql; TLS offered)`]
      : []),
    ...(server.dryRun
      ? [
          "  providers:     DRY RUN: nothing is provisioned on real systems (the example policy's resources are",
          '                 fictional); serve your own policy with --policy DIR, or force it with --dry-run false',
        ]
      : []),
    '',
    'Get started (in another terminal):',
    `  export COUNTERSIGN_URL=${server.url}`,
    `  export COUNTERSIGN_TOKEN=$(${cli} token issue --db ${db} --identity alice --ttl 1h)`,
    `  ${cli} request create --resource payments-db --action write --duration 30m --justification "fix INC-1"`,
    `  # alice cannot approve her own request; a DBA (erin) approves, then alice activates: ${cli} grants`,
    '',
  ].join('\n');
}

async function serveCommand(flags: ServeFlags): CommandResult {
  const config = parseServeConfig(flags);
  const server = await startCountersign(config);
  process.stderr.write(`${gettingStarted(server, config.db)}\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  server.logger.info('shutting down');
  await server.close();
  return EXIT_OK;
}

export function registerServeCommands(program: Command, run: RunCommand): void {
  program
    .command('serve')
    .description('run the Countersign server (embedded SQLite and the example policy by default)')
    .option(
      '--db <url>',
      `SQLite path, sqlite:PATH or postgres:// URL (default countersign.db; ${SERVE_ENVIRONMENT.db})`,
    )
    .option(
      '--policy <dir>',
      `policy directory to load (${SERVE_ENVIRONMENT.policy}); default: the last loaded policy, else the example`,
    )
    .option('--port <n>', `port (default 8080; ${SERVE_ENVIRONMENT.port})`)
    .option('--host <host>', `address to listen on (default 127.0.0.1; ${SERVE_ENVIRONMENT.host})`)
    .option(
      '--keys <dir>',
      `audit key directory (default .countersign/keys beside the database; ${SERVE_ENVIRONMENT.keys})`,
    )
    .option('--witness <file>', `JSONL file receiving every signed checkpoint (${SERVE_ENVIRONMENT.witness})`)
    .option(
      '--revocation-journal <dir>',
      `where revokes done while the database refuses writes wait to be recorded (default revocations beside the keys; ${SERVE_ENVIRONMENT.revocationJournal})`,
    )
    .option('--oidc-issuer <url>', `OIDC issuer whose tokens are accepted (${SERVE_ENVIRONMENT.oidcIssuer})`)
    .option('--oidc-audience <aud>', `audience OIDC tokens must carry (${SERVE_ENVIRONMENT.oidcAudience})`)
    .option('--oidc-jwks-uri <url>', `JWKS URL, when not discovered (${SERVE_ENVIRONMENT.oidcJwksUri})`)
    .option('--oidc-groups-claim <claim>', `claim with group names (${SERVE_ENVIRONMENT.oidcGroupsClaim})`)
    .option(
      '--oidc-sync-groups',
      `the groups claim (default \`groups\`) feeds directory groups created by SCIM at sign-in (${SERVE_ENVIRONMENT.oidcSyncGroups})`,
    )
    .option(
      '--oidc-client-id <id>',
      `the console's OIDC client: people sign in through the issuer (${SERVE_ENVIRONMENT.oidcClientId}); the audience defaults to it`,
    )
    .option(
      '--oidc-client-secret-file <path>',
      `file holding the OIDC client secret (${SERVE_ENVIRONMENT.oidcClientSecretFile}); or ${SERVE_ENVIRONMENT.oidcClientSecret}; none for a public client`,
    )
    .option(
      '--public-url <url>',
      `where browsers reach this server; the OIDC redirect URI is <url>/auth/oidc/callback, chat messages link to <url>/requests/ID (default http://HOST:PORT; ${SERVE_ENVIRONMENT.publicUrl})`,
    )
    .option(
      '--slack-api-url <url>',
      `Slack's Web API, for slack notifiers and interactivity (default https://slack.com/api/; ${SERVE_ENVIRONMENT.slackApiUrl})`,
    )
    .option(
      '--trust-proxy <true|addresses>',
      `trust X-Forwarded-* from a reverse proxy (true, or its addresses); needed for Secure cookies behind TLS termination (${SERVE_ENVIRONMENT.trustProxy})`,
    )
    .option(
      '--session-idle <duration>',
      `web-console session idle timeout (default 30m; ${SERVE_ENVIRONMENT.sessionIdle})`,
    )
    .option(
      '--session-max <duration>',
      `web-console session absolute limit (default 12h; ${SERVE_ENVIRONMENT.sessionMax})`,
    )
    .option(
      '--dry-run [bool]',
      `answer every provider with noop (default: on for the bundled example; ${SERVE_ENVIRONMENT.dryRun})`,
    )
    .option('--log-level <level>', `fatal|error|warn|info|debug|trace|silent (${SERVE_ENVIRONMENT.logLevel})`)
    .option('--scheduler-interval-ms <ms>', `scheduler tick (default 1000; ${SERVE_ENVIRONMENT.schedulerIntervalMs})`)
    .option(
      '--observe-interval-ms <ms>',
      `how often resources are observed for drift and reconciled (default 300000; ${SERVE_ENVIRONMENT.observeIntervalMs})`,
    )
    .option(
      '--certification-min-window <duration>',
      `shortest review window of a certification campaign (default 3d; ${SERVE_ENVIRONMENT.certificationMinWindow})`,
    )
    .option(
      '--allow-connection <name=env:VAR|file:PATH>',
      `a connection resources registered through the API may name (repeatable; ${SERVE_ENVIRONMENT.allowConnection}, comma separated)`,
      (value: string, previous?: string) => (previous === undefined ? value : `${previous},${value}`),
    )
    .option(
      '--audit-stream <name=url>',
      `deliver every audit event to a sink: nats://, amqp://, syslog+tcp://, syslog+tls://, hec+https:// (repeatable; ${SERVE_ENVIRONMENT.auditStream}, whitespace separated; secrets by ?tokenEnv= or ?passwordEnv=)`,
      (value: string, previous?: string) => (previous === undefined ? value : `${previous} ${value}`),
    )
    .option(
      '--gateway-listen <host:port>',
      `run the PostgreSQL access gateway on this address, e.g. 127.0.0.1:15432 (${SERVE_ENVIRONMENT.gatewayListen})`,
    )
    .option(
      '--gateway-tls-cert <file>',
      `PEM certificate of the gateway's TLS (with --gateway-tls-key; default: a generated self-signed one; ${SERVE_ENVIRONMENT.gatewayTlsCert})`,
    )
    .option('--gateway-tls-key <file>', `PEM private key of the gateway's TLS (${SERVE_ENVIRONMENT.gatewayTlsKey})`)
    .option(
      '--gateway-client-auth <password|scram>',
      `how gateway clients over TLS log in: password (default; the gateway secret or an API token, in clear inside TLS) or scram (SCRAM-SHA-256-PLUS bound to the certificate; no tokens) (${SERVE_ENVIRONMENT.gatewayClientAuth})`,
    )
    .option(
      '--gateway-journal <dir>',
      `where the gateway journals statements before forwarding them (default gateway-journal beside the keys; ${SERVE_ENVIRONMENT.gatewayJournal})`,
    )
    .option(
      '--gateway-heartbeat <duration>',
      `how often the gateway renews its lease (default 5s; ${SERVE_ENVIRONMENT.gatewayHeartbeat})`,
    )
    .option(
      '--gateway-lease <duration>',
      `how long the gateway's lease outlives a renewal; once it lapses, its sessions are closed as abnormal (at least twice the heartbeat; default 3 heartbeats; ${SERVE_ENVIRONMENT.gatewayLease})`,
    )
    .option(
      '--gateway-abandon-grace <duration>',
      `the scheduler leaves a dead gateway's sessions opened less than this long ago alone (at least the lease; default 30s, or the lease if longer; ${SERVE_ENVIRONMENT.gatewayAbandonGrace})`,
    )
    .addHelpText(
      'after',
      `\nThe Prometheus scrape secret is read from ${SERVE_ENVIRONMENT.metricsToken} only, the OIDC client secret from ${SERVE_ENVIRONMENT.oidcClientSecret} or --oidc-client-secret-file.\nExit codes: 0 stopped cleanly, 2 bad configuration, 4 could not start.`,
    )
    .action((flags: ServeFlags) => run(() => serveCommand(flags)));
}
