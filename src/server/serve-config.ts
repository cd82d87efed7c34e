/**
 * The configuration of `countersign serve`: one zod schema over flags and environment, parsed once at start,
 * failing fast with every problem listed. Flags win over environment variables; nothing has a default secret.
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { formatDurationSeconds, parseDurationSeconds } from '../core/duration.js';
import { AppError } from '../core/errors.js';
import { parseSinkSpecs, type AuditSinkSpec } from '../features/audit-stream/index.js';
import { GATEWAY_CLIENT_AUTH } from '../gateway/postgres/client-auth.js';
import { parseLivenessDuration, resolveGatewayLiveness, type LivenessSetting } from '../features/sessions/index.js';

/** The example policy shipped with the package: what `serve` runs with when no `--policy` is given. */
export const BUNDLED_EXAMPLE_POLICY = resolve(dirname(fileURLToPath(import.meta.url)), '../../examples/policy');

const optionalText = z.string().trim().min(1).max(2000).optional();

/** A duration flag (`30m`, `12h`) as milliseconds, between `minSeconds` and `maxSeconds`. */
function durationMs(fallback: string, minSeconds: number, maxSeconds: number) {
  return z
    .string()
    .trim()
    .max(20)
    .default(fallback)
    .transform((text, ctx) => {
      const seconds = parseDurationSeconds(text);
      if (seconds === undefined || seconds < minSeconds || seconds > maxSeconds) {
        const range = `${formatDurationSeconds(minSeconds)} to ${formatDurationSeconds(maxSeconds)}`;
        ctx.addIssue({ code: 'custom', message: `'${text}' is not a duration from ${range} (e.g. 30m, 12h)` });
        return z.NEVER;
      }
      return seconds * 1000;
    });
}

/** A gateway liveness duration as milliseconds, left out when not given (the defaults depend on each other). */
function livenessMs(setting: LivenessSetting) {
  return z
    .string()
    .max(20)
    .optional()
    .transform((text, ctx) => {
      if (text === undefined) return undefined;
      const parsed = parseLivenessDuration(setting, text);
      if ('ms' in parsed) return parsed.ms;
      ctx.addIssue({ code: 'custom', message: parsed.problem });
      return z.NEVER;
    });
}

export const serveConfigSchema = z.strictObject({
  db: z.string().trim().min(1).max(2000).default('countersign.db'),
  /** A policy directory; when left out, the last loaded policy is restored, else the bundled example is loaded. */
  policy: optionalText,
  port: z.coerce.number().int().min(0).max(65_535).default(8080),
  host: z.string().trim().min(1).max(255).default('127.0.0.1'),
  /** Audit key directory (default `.countersign/keys` beside the SQLite file, or in the working directory). */
  keys: optionalText,
  /** JSONL file witnessing every signed checkpoint (default `witness.jsonl` beside the keys directory). */
  witness: optionalText,
  /** Directory of the revocation journal: revokes done while the store refused writes (default `revocations` beside the keys). */
  revocationJournal: optionalText,
  oidcIssuer: z.url().max(2000).optional(),
  oidcAudience: optionalText,
  oidcJwksUri: z.url().max(2000).optional(),
  oidcGroupsClaim: optionalText,
  /**
   * Opt-in for the issuer: its groups claim (`--oidc-groups-claim`, default `groups`) feeds directory groups (the
   * SCIM-provisioned ones) at sign-in and bearer use (issue 13).
   */
  oidcSyncGroups: z
    .union([z.boolean(), z.enum(['true', 'false'])])
    .optional()
    .transform((value) => value === true || value === 'true'),
  /** The console's OIDC client id: with an issuer, people sign in through it (and the audience defaults to it). */
  oidcClientId: z.string().trim().min(1).max(500).optional(),
  /** The client secret (environment only, never a flag value); a public client has none (PKCE only). */
  oidcClientSecret: z.string().min(1).max(2000).optional(),
  /** A file holding the client secret, for secrets mounted as files. */
  oidcClientSecretFile: optionalText,
  /** Where browsers reach this server (`https://countersign.example`); the OIDC redirect URI is built from it. */
  publicUrl: z.url().max(2000).optional(),
  /** Slack's Web API base URL (default `https://slack.com/api/`); a test points it at a local fake of Slack. */
  slackApiUrl: z.url().max(2000).optional(),
  /**
   * Trust `X-Forwarded-For`/`-Proto` from a reverse proxy: `true`, or the proxy's addresses (comma separated).
   * Behind a TLS-terminating proxy this is what lets the session cookie be marked `Secure`.
   */
  trustProxy: z
    .string()
    .trim()
    .max(2000)
    .optional()
    .transform((text) => (text === undefined || text === 'false' ? undefined : text === 'true' ? true : text)),
  /** A web-console session ends after this long without a request (sliding). */
  sessionIdle: durationMs('30m', 60, 86_400),
  /** A web-console session ends this long after sign-in, however active. */
  sessionMax: durationMs('12h', 300, 7 * 86_400),
  /** A static bearer secret for Prometheus scrapers (environment only, so it never shows in `ps`). */
  metricsToken: z.string().min(24).max(512).optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  schedulerIntervalMs: z.coerce.number().int().min(50).max(60_000).default(1000),
  /**
   * Dry run: every provider type is answered by `noop` (nothing is provisioned, revoke always succeeds). Default:
   * on when the policy in force is the bundled example (its databases and clusters are fictional), else off.
   */
  dryRun: z.stringbool().optional(),
  /** How often resources are observed for drift and reconciled through their providers. */
  observeIntervalMs: z.coerce.number().int().min(1000).max(86_400_000).default(300_000),
  /** Shortest review window of a certification campaign, as a duration (`3d`, `72h`); at least one hour. */
  certificationMinWindow: z
    .string()
    .trim()
    .max(20)
    .default('3d')
    .transform((text, ctx) => {
      const seconds = parseDurationSeconds(text);
      if (seconds === undefined || seconds < 3600) {
        ctx.addIssue({ code: 'custom', message: `'${text}' is not a duration of at least 1h (e.g. 3d, 72h)` });
        return z.NEVER;
      }
      return seconds * 1000;
    }),
  /**
   * Connections a resource registered through the API may name (`NAME=env:VARIABLE` or `NAME=file:/PATH`, comma
   * separated, the flag repeatable): the API names one by `{ name }`, never a variable or file of its own.
   */
  allowConnection: z.string().trim().max(20_000).default('').transform(parseAllowedConnections),
  /**
   * Audit stream sinks, `NAME=URL` (whitespace separated, the flag repeatable; see features/audit-stream/sink-spec.ts).
   * Operator-owned: the stream is a tamper-evidence control, so no API call can change or silence it.
   */
  auditStream: z.string().trim().max(20_000).default('').transform(parseAuditStreams),
  /** `HOST:PORT` the PostgreSQL access gateway listens on (issue 14); no gateway when absent. */
  gatewayListen: optionalText,
  /** PEM certificate and key files of the gateway's TLS; without them a self-signed one is generated at start. */
  gatewayTlsCert: optionalText,
  gatewayTlsKey: optionalText,
  /**
   * How the gateway's clients over TLS authenticate: `password` (cleartext inside TLS: the gateway secret or an
   * API token) or `scram` (SCRAM-SHA-256-PLUS bound to the certificate; tokens cannot log in). See docs/gateway.md.
   */
  gatewayClientAuth: z.enum(GATEWAY_CLIENT_AUTH).default('password'),
  /** Where the gateway journals statements before forwarding them (default `gateway-journal` beside the keys). */
  gatewayJournal: optionalText,
  /** How often the gateway renews its lease `gateway:<id>`, and how long the lease lasts (5 s and 15 s). */
  gatewayHeartbeat: livenessMs('heartbeat'),
  gatewayLease: livenessMs('lease'),
  /** The scheduler leaves alone sessions opened less than this long ago when it closes a dead gateway's (30 s). */
  gatewayAbandonGrace: livenessMs('grace'),
});
/** The parsed settings; `parseServeConfig` fills the gateway liveness defaults, which depend on each other. */
export type ServeConfig = z.output<typeof serveConfigSchema> & {
  readonly gatewayHeartbeat: number;
  readonly gatewayLease: number;
  readonly gatewayAbandonGrace: number;
};
export type ServeFlags = Partial<Record<keyof ServeConfig, string | undefined>>;

const CONNECTION_ENTRY = /^([a-z0-9][a-z0-9._-]{0,62})=(env|file):(.+)$/;
const VARIABLE = /^[A-Za-z_][A-Za-z0-9_]{0,199}$/;

/** `NAME=env:VAR,NAME=file:/PATH` → name → what the PostgreSQL provider reads (`dsnEnv` / `dsnFile`). */
function parseAllowedConnections(
  text: string,
  ctx: z.RefinementCtx,
): ReadonlyMap<string, Readonly<Record<string, string>>> {
  const allowed = new Map<string, Readonly<Record<string, string>>>();
  for (const entry of text.split(',').map((part) => part.trim())) {
    if (entry === '') continue;
    const match = CONNECTION_ENTRY.exec(entry);
    const [, name, kind, where] = match ?? [];
    if (name === undefined || where === undefined) {
      ctx.addIssue({ code: 'custom', message: `'${entry}' is not NAME=env:VARIABLE or NAME=file:/PATH` });
    } else if (allowed.has(name)) {
      ctx.addIssue({ code: 'custom', message: `connection '${name}' is allow-listed twice` });
    } else if (kind === 'env' && !VARIABLE.test(where)) {
      ctx.addIssue({ code: 'custom', message: `'${where}' is not an environment variable name` });
    } else if (kind === 'file' && !isAbsolute(where)) {
      ctx.addIssue({ code: 'custom', message: `the file of connection '${name}' must be an absolute path` });
    } else {
      allowed.set(name, kind === 'env' ? { dsnEnv: where } : { dsnFile: where });
    }
  }
  return allowed;
}

function parseAuditStreams(text: string, ctx: z.RefinementCtx): readonly AuditSinkSpec[] {
  const parsed = parseSinkSpecs(text);
  if (parsed.ok) return parsed.sinks;
  for (const problem of parsed.problems) ctx.addIssue({ code: 'custom', message: problem });
  return [];
}

/** Environment variables read for each setting (flags win). */
export const SERVE_ENVIRONMENT: Readonly<Record<keyof ServeConfig, string>> = {
  db: 'COUNTERSIGN_DB',
  policy: 'COUNTERSIGN_POLICY',
  port: 'COUNTERSIGN_PORT',
  host: 'COUNTERSIGN_HOST',
  keys: 'COUNTERSIGN_KEYS',
  witness: 'COUNTERSIGN_WITNESS',
  revocationJournal: 'COUNTERSIGN_REVOCATION_JOURNAL',
  oidcIssuer: 'COUNTERSIGN_OIDC_ISSUER',
  oidcAudience: 'COUNTERSIGN_OIDC_AUDIENCE',
  oidcJwksUri: 'COUNTERSIGN_OIDC_JWKS_URI',
  oidcGroupsClaim: 'COUNTERSIGN_OIDC_GROUPS_CLAIM',
  oidcSyncGroups: 'COUNTERSIGN_OIDC_SYNC_GROUPS',
  oidcClientId: 'COUNTERSIGN_OIDC_CLIENT_ID',
  oidcClientSecret: 'COUNTERSIGN_OIDC_CLIENT_SECRET',
  oidcClientSecretFile: 'COUNTERSIGN_OIDC_CLIENT_SECRET_FILE',
  publicUrl: 'COUNTERSIGN_PUBLIC_URL',
  slackApiUrl: 'COUNTERSIGN_SLACK_API_URL',
  trustProxy: 'COUNTERSIGN_TRUST_PROXY',
  sessionIdle: 'COUNTERSIGN_SESSION_IDLE',
  sessionMax: 'COUNTERSIGN_SESSION_MAX',
  metricsToken: 'COUNTERSIGN_METRICS_TOKEN',
  logLevel: 'COUNTERSIGN_LOG_LEVEL',
  schedulerIntervalMs: 'COUNTERSIGN_SCHEDULER_INTERVAL_MS',
  observeIntervalMs: 'COUNTERSIGN_OBSERVE_INTERVAL_MS',
  certificationMinWindow: 'COUNTERSIGN_CERTIFICATION_MIN_WINDOW',
  allowConnection: 'COUNTERSIGN_ALLOW_CONNECTIONS',
  dryRun: 'COUNTERSIGN_DRY_RUN',
  auditStream: 'COUNTERSIGN_AUDIT_STREAMS',
  gatewayListen: 'COUNTERSIGN_GATEWAY_LISTEN',
  gatewayTlsCert: 'COUNTERSIGN_GATEWAY_TLS_CERT',
  gatewayTlsKey: 'COUNTERSIGN_GATEWAY_TLS_KEY',
  gatewayClientAuth: 'COUNTERSIGN_GATEWAY_CLIENT_AUTH',
  gatewayJournal: 'COUNTERSIGN_GATEWAY_JOURNAL',
  gatewayHeartbeat: 'COUNTERSIGN_GATEWAY_HEARTBEAT',
  gatewayLease: 'COUNTERSIGN_GATEWAY_LEASE',
  gatewayAbandonGrace: 'COUNTERSIGN_GATEWAY_ABANDON_GRACE',
};

/** Settings read from the environment only, so that a secret never shows in `ps`. */
const ENVIRONMENT_ONLY: ReadonlySet<keyof ServeConfig> = new Set(['metricsToken', 'oidcClientSecret']);

/** Parses flags over environment; throws `invalid` listing every problem. */
export function parseServeConfig(flags: ServeFlags, env: NodeJS.ProcessEnv = process.env): ServeConfig {
  const raw: Record<string, string> = {};
  for (const [key, variable] of Object.entries(SERVE_ENVIRONMENT) as [keyof ServeConfig, string][]) {
    const value = (ENVIRONMENT_ONLY.has(key) ? undefined : flags[key]) ?? env[variable];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const parsed = serveConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? '');
      const variable = SERVE_ENVIRONMENT[key as keyof ServeConfig];
      return `${key}${variable ? ` (--${kebab(key)} or ${variable})` : ''}: ${issue.message}`;
    });
    throw new AppError('invalid', `the server configuration is invalid:\n  ${problems.join('\n  ')}`, { problems });
  }
  // Checked whether or not this server runs a gateway: its scheduler's grace is measured against the lease.
  const { liveness, problems } = resolveGatewayLiveness(
    {
      ...(parsed.data.gatewayHeartbeat === undefined ? {} : { heartbeatMs: parsed.data.gatewayHeartbeat }),
      ...(parsed.data.gatewayLease === undefined ? {} : { leaseMs: parsed.data.gatewayLease }),
      ...(parsed.data.gatewayAbandonGrace === undefined ? {} : { graceMs: parsed.data.gatewayAbandonGrace }),
    },
    { heartbeat: '--gateway-heartbeat', lease: '--gateway-lease', grace: '--gateway-abandon-grace' },
  );
  if (problems.length > 0) {
    throw new AppError('invalid', `the server configuration is invalid:\n  ${problems.join('\n  ')}`, { problems });
  }
  // The API's bearer verification keeps working with only a client id: its audience is the client id.
  const config = {
    ...parsed.data,
    oidcAudience: parsed.data.oidcAudience ?? parsed.data.oidcClientId,
    gatewayHeartbeat: liveness.heartbeatMs,
    gatewayLease: liveness.leaseMs,
    gatewayAbandonGrace: liveness.graceMs,
  };
  if ((config.oidcIssuer === undefined) !== (config.oidcAudience === undefined)) {
    throw new AppError(
      'invalid',
      'OIDC needs both an issuer (--oidc-issuer) and an audience (--oidc-audience or --oidc-client-id)',
    );
  }
  if (config.oidcClientSecret !== undefined && config.oidcClientSecretFile !== undefined) {
    throw new AppError(
      'invalid',
      `give the OIDC client secret once: ${SERVE_ENVIRONMENT.oidcClientSecret} or --oidc-client-secret-file, not both`,
    );
  }
  if (config.oidcClientId === undefined && (config.oidcClientSecret ?? config.oidcClientSecretFile) !== undefined) {
    throw new AppError('invalid', 'an OIDC client secret needs a client id (--oidc-client-id)');
  }
  return config;
}

function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}
