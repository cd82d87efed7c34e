/**
 * The HTTP API (SPEC §4): `buildApp` assembles Fastify with zod validation of input and output, the OpenAPI
 * 3.1 document (`/openapi.json`, docs at `/docs`), problem+json errors (`problem.ts`), authentication and the
 * per-route duty guard (`guard.ts`), metrics, health and readiness. It never listens; the caller does.
 *
 * Adding routes (one `<resource>.routes.ts` file per resource under `src/http/routes/`):
 *   1. export `function registerXRoutes(app: ZodFastify, deps: RouteDeps): void` and add it to
 *      `ROUTE_MODULES` in `src/http/routes/index.ts`;
 *   2. every route declares `config: { access }` — a `Duty` (the caller must hold it on at least one profile;
 *      the verb's pure decision then checks the real entitlement), `'authenticated'` (any identity, for
 *      self-service routes), or `'public'` (health and docs only). A route without it fails at start-up;
 *   3. declare `schema: { body?, querystring?, params?, response: { 200: … } }` with zod, every string
 *      bounded (`.max()`), responses built from verb results (never rows), plus `tags` and `summary`; the
 *      operationId and the generic error answers are added by `openapi.ts` (name extra problem codes the verb
 *      can answer, such as `sod_violation`, in `config.problems`; see docs/api.md);
 *   4. the handler reads `principalOf(request).identity` as the actor, calls one verb and returns its value;
 *      throw (or let through) `AppError`s: `problem.ts` maps them, and `test/http/route-guard.test.ts`
 *      checks the new route's 401/403 automatically (add self-service routes to its list).
 */
import fastifyCookie from '@fastify/cookie';
import fastifyEtag from '@fastify/etag';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import { CheckService } from '../features/access/index.js';
import type { AppContext } from '../app/context.js';
import type { SlackSettings } from '../features/chat/index.js';
import type { Authenticator } from './auth/authenticator.js';
import { FailureLimiter } from './auth/failure-limiter.js';
import type { OidcLogin } from './auth/oidc-login.js';
import { SessionAuthenticator } from './auth/session-authenticator.js';
import type { SessionLifetime } from '../decide/session.decide.js';
import { DEFAULT_TOKEN_LIMITS, type TokenLimits } from '../decide/token.decide.js';
import { DATABASE_RETRY_AFTER_SECONDS } from '../store/errors.js';
import { defaultConsoleDir, installConsole } from './console.js';
import { installGuard, isPublicDocsRoute, type RegisteredRoute } from './guard.js';
import { installJsonBodyParser } from './request-body.js';
import { createMetrics, type Metrics } from './metrics.js';
import { registerOpenApi } from './openapi.js';
import { sendProblem } from './problem.js';
import { installRouterErrors, MAX_PATH_PARAM_LENGTH } from './router-errors.js';
import { ROUTE_MODULES } from './routes/index.js';

export type { RouteAccess } from './guard.js';
export { principalOf } from './guard.js';

export type ZodFastify = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/** What route modules receive besides the Fastify instance. */
export interface RouteDeps {
  readonly app: AppContext;
  readonly metrics: Metrics;
  readonly tokenLimits: TokenLimits;
  /**
   * The in-memory `check` service (`POST /v1/check`). It hears of the changes verbs commit through the app's
   * change feed (subscribed by `buildApp`); routes never tell it, nor the authentication cache, by hand.
   */
  readonly checks: CheckService;
  /** Web-console sign-in (issue 12): the session cookie's authenticator and CSRF check. */
  readonly sessions: SessionAuthenticator;
  /** The console's OIDC relying party, when an issuer and a client id are configured. */
  readonly oidcLogin?: OidcLogin;
  /** The guard's limiter: public sign-in routes count their failures in it as bad bearer tokens are. */
  readonly authFailures: FailureLimiter;
  /** Where Slack's Web API is and where the `slack` notifiers' secrets come from (issue 13). */
  readonly slack: SlackSettings;
}

/** Web-console sign-in settings (`serve --session-idle/--session-max/--public-url/--oidc-client-id`). */
export interface SignInConfig {
  readonly lifetime?: SessionLifetime;
  /** The origin of `--public-url`, accepted in `Origin` besides the request's own. */
  readonly publicOrigin?: string;
  readonly oidcLogin?: OidcLogin;
}

export interface BuildAppDeps {
  readonly app: AppContext;
  readonly auth: Authenticator;
  /** A pino logger (with credentials redacted); no logging when left out. */
  readonly logger?: FastifyBaseLogger;
  readonly metrics?: Metrics;
  /** True once migrations, policy and scheduler are up (`/readyz`). */
  readonly ready: () => boolean;
  /**
   * A static bearer secret for Prometheus scrapers. `/metrics` answers an `audit` holder, or a request
   * carrying exactly this secret; scrapers cannot hold `audit` (it is human-only), hence the separate secret.
   */
  readonly metricsToken?: string;
  readonly tokenLimits?: TokenLimits;
  /** The `check` service to share with the wiring; one is created (and flushed on close) when left out. */
  readonly checks?: CheckService;
  /** Authentication failures tolerated per client address per minute before `rate_limited`. */
  readonly authFailureLimit?: number;
  /** Trust `X-Forwarded-For` from a reverse proxy (Fastify's `trustProxy`); off by default. */
  readonly trustProxy?: boolean | string;
  /** Largest request body in bytes (default 64 KiB); policy plan and submission have their own (4 MiB). */
  readonly bodyLimit?: number;
  /** The built web console (`dist/console`); found beside the server when left out, `null` for none. */
  readonly consoleDir?: string | null;
  /** Web-console sign-in: session lifetime, public origin, OIDC relying party (defaults: 30m idle, 12h, none). */
  readonly signIn?: SignInConfig;
  /** Slack's Web API base URL and secrets' environment, for the interactions route (default: Slack, `process.env`). */
  readonly slack?: SlackSettings;
}

export const DEFAULT_BODY_LIMIT = 64 * 1024;

const routeTables = new WeakMap<FastifyInstance, RegisteredRoute[]>();

/** Every route registered on an app built by `buildApp`, with its declared access (HEAD routes included). */
export function registeredRoutes(app: FastifyInstance): readonly RegisteredRoute[] {
  return routeTables.get(app) ?? [];
}

const healthSchema = z.object({ status: z.enum(['ok', 'ready', 'starting', 'database_unavailable']) });

/** How long `/readyz` waits for the database to answer before it reports it unavailable. */
const READY_PING_TIMEOUT_MS = 2000;

/** True when the database answers a trivial query in time. */
async function databaseAnswers(database: AppContext['database']): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), READY_PING_TIMEOUT_MS);
  });
  const ping = sql`select 1`.execute(database.db).then(
    () => true,
    () => false,
  );
  try {
    return await Promise.race([ping, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Builds the HTTP application; call `ready()`/`listen()` (or `inject()`) on the result. */
export function buildApp(deps: BuildAppDeps): ZodFastify {
  const metrics = deps.metrics ?? createMetrics({ processMetrics: false });
  const fastify = Fastify({
    bodyLimit: deps.bodyLimit ?? DEFAULT_BODY_LIMIT,
    routerOptions: { maxParamLength: MAX_PATH_PARAM_LENGTH },
    // The router's own refusals (malformed percent-encoding, too long a parameter) as problem+json too.
    frameworkErrors: (error, request, reply) => sendProblem(error, request, reply),
    trustProxy: deps.trustProxy ?? false,
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: false }),
  });
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  installJsonBodyParser(app);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler((error, request, reply) => sendProblem(error, request, reply));
  // Unmatched requests: 405 with Allow when the path serves other methods, else 404 (router-errors.ts).
  installRouterErrors(app);

  // Cookies (web-console sessions, issue 12): registered before the guard, whose hook reads `request.cookies`.
  void app.register(fastifyCookie);
  const sessions = new SessionAuthenticator(deps.app, {
    ...(deps.signIn?.lifetime ? { lifetime: deps.signIn.lifetime } : {}),
    ...(deps.signIn?.publicOrigin ? { publicOrigin: deps.signIn.publicOrigin } : {}),
  });
  const authFailures = new FailureLimiter({ maxFailures: deps.authFailureLimit ?? 10 });

  const routes: RegisteredRoute[] = [];
  routeTables.set(app, routes);
  installGuard(app, {
    app: deps.app,
    auth: deps.auth,
    limiter: authFailures,
    sessions,
    routes,
    ...(deps.metricsToken !== undefined ? { metricsToken: deps.metricsToken } : {}),
  });

  // The web console's files and pages, and the security headers of every answer (console.ts).
  installConsole(app, deps.consoleDir === undefined ? defaultConsoleDir() : (deps.consoleDir ?? undefined));
  // Pages poll the API: an unchanged answer costs a 304 (ETag), and nothing is reused without asking.
  void app.register(fastifyEtag);
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.method === 'GET' && request.url.startsWith('/v1/') && !reply.hasHeader('cache-control')) {
      void reply.header('cache-control', 'private, no-cache');
    }
    return payload;
  });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpRequests.inc({ method: request.method, route, status: String(reply.statusCode) });
    metrics.httpDuration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });

  // The OpenAPI document and its docs UI (openapi.ts): before the routes, which it documents as they come.
  registerOpenApi(app);

  void app.register(async (scope) => {
    const typed = scope.withTypeProvider<ZodTypeProvider>();
    typed.get(
      '/healthz',
      {
        config: { access: 'public' },
        schema: {
          tags: ['health'],
          operationId: 'getHealth',
          summary: 'Liveness: 200 while the process runs',
          response: { 200: healthSchema },
        },
      },
      async () => ({ status: 'ok' as const }),
    );
    typed.get(
      '/readyz',
      {
        config: { access: 'public' },
        schema: {
          tags: ['health'],
          operationId: 'getReadiness',
          summary: 'Readiness: 200 once migrations, policy and scheduler are up and while the database answers',
          response: { 200: healthSchema, 503: healthSchema },
        },
      },
      async (_request, reply) => {
        if (!deps.ready()) return reply.code(503).send({ status: 'starting' as const });
        if (!(await databaseAnswers(deps.app.database))) {
          void reply.header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
          return reply.code(503).send({ status: 'database_unavailable' as const });
        }
        return { status: 'ready' as const };
      },
    );
    typed.get(
      '/metrics',
      {
        config: { access: 'metrics' },
        schema: {
          tags: ['health'],
          operationId: 'getMetrics',
          summary: "Prometheus metrics (an 'audit' holder, or the configured scrape secret)",
        },
      },
      async (_request, reply) => reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
    );
    typed.get('/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async (_request, reply) =>
      reply.type('application/json').send(JSON.stringify(app.swagger())),
    );
    const checks =
      deps.checks ??
      new CheckService(deps.app, {
        onError: (error) => app.log.error({ err: error }, 'check service: background refresh or flush failed'),
      });
    if (deps.checks === undefined) scope.addHook('onClose', () => checks.close());
    // What verbs commit reaches the check index and the authentication cache after commit (app/change-events.ts).
    const unsubscribe = deps.app.changes.subscribe((changes) => {
      checks.changed(changes);
      deps.auth.changed?.(changes);
    });
    scope.addHook('onClose', async () => {
      unsubscribe();
    });
    const routeDeps: RouteDeps = {
      app: deps.app,
      metrics,
      tokenLimits: deps.tokenLimits ?? DEFAULT_TOKEN_LIMITS,
      checks,
      sessions,
      authFailures,
      slack: deps.slack ?? {},
      ...(deps.signIn?.oidcLogin ? { oidcLogin: deps.signIn.oidcLogin } : {}),
    };
    for (const register of ROUTE_MODULES) register(typed, routeDeps);
  });
  return app;
}

export { isPublicDocsRoute };
