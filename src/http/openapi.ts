/**
 * The OpenAPI 3.1 document (`/openapi.json`), from which the web console's typed client is generated, so it must
 * say exactly what the server does. Routes declare only their zod schemas, `tags` and `summary`; everything a
 * client needs besides is added here, for every route alike (routes added tomorrow included):
 * - an `operationId` derived from method and path (`approveRequest` for `POST /v1/requests/{id}/approve`),
 *   unless the route's schema names its own; two routes with one id fail at start-up;
 * - the error answers the route can give, each an RFC 9457 `Problem` (`problem.ts`) naming its possible `code`s:
 *   what the framework and the guard answer (400, 401, 403, 404, 413, 414, 415, 429, 500, 503), what any write
 *   can meet (409 on a concurrent change, 503 when the audit log cannot be written), and the extra codes a route
 *   declares in `config.problems` (`sod_violation`, `provider_failed`, …);
 * - `security: []` on public routes (the guard puts the bearer scheme on the others), and `servers`;
 * - only the components the operations use (the zod registry also holds each view's input twin).
 */
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import type { ErrorCode } from '../core/errors.js';
import { PROBLEM_BY_CODE, PROBLEM_CONTENT_TYPE, titleOfStatus } from './problem.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Problem codes this route answers beyond the generic ones every route gets (see `openapi.ts`). */
    problems?: readonly ErrorCode[];
    /** A POST that writes nothing (a query with a body): it documents no 409 and no `audit_unavailable`. */
    readOnly?: boolean;
  }
}

/** Methods whose body Fastify reads (and may refuse as too large, 413, or of the wrong media type, 415). */
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const PROBLEM_REF = { $ref: '#/components/schemas/Problem' };

/** A status of Fastify's own, reported with the `invalid` code (`problem.ts`). */
type FrameworkStatus = 413 | 414 | 415;

// ---- operationId ---------------------------------------------------------------------------------------------

function isParam(segment: string): boolean {
  return segment.startsWith(':') || segment.startsWith('{');
}

/** `requests`, `deliveries` (not `status`, `access`). */
function isPlural(word: string): boolean {
  return /[^su]s$/.test(word);
}

/** `role-activations` → `['role', 'activation']`: the words of a path segment, the last one singular. */
function singularWords(segment: string): string[] {
  const words = segment.split(/[-_.]/).filter((word) => word !== '');
  const last = words.pop() ?? '';
  const singular = last.endsWith('ies') ? `${last.slice(0, -3)}y` : isPlural(last) ? last.slice(0, -1) : last;
  return [...words, singular];
}

function pluralWords(segment: string): string[] {
  return segment.split(/[-_.]/).filter((word) => word !== '');
}

function camelCase(words: readonly string[]): string {
  return words
    .map((word, index) => (index === 0 ? word.toLowerCase() : word.charAt(0).toUpperCase() + word.slice(1)))
    .join('');
}

/**
 * The operationId of a route that does not name its own: a verb and the things the path names, in camelCase.
 * `GET /v1/requests` → `listRequests`, `GET /v1/requests/:id` → `getRequest`, `GET /v1/me` → `getMe`,
 * `GET /v1/resources/:id/timeline` → `getResourceTimeline`, `POST /v1/requests` →
 * `createRequest`, `POST /v1/requests/:id/approve` → `approveRequest`, `PUT /v1/resources/:id` → `putResource`,
 * `DELETE /v1/tokens/:id` → `deleteToken`. The `/v1` prefix is left out.
 */
export function operationIdOf(method: string, url: string): string {
  const segments = url.split('/').filter((segment) => segment !== '' && segment !== 'v1');
  const nouns = segments.filter((segment) => !isParam(segment));
  const last = segments.at(-1) ?? '';
  const endsWithParam = isParam(last);
  const verb = method.toUpperCase();
  const singular = (parts: readonly string[]) => parts.flatMap(singularWords);
  if (verb === 'GET') {
    if (endsWithParam || !isPlural(last)) return camelCase(['get', ...singular(nouns)]);
    return camelCase(['list', ...singular(nouns.slice(0, -1)), ...pluralWords(last)]);
  }
  if (verb === 'POST') {
    const onOneThing = segments.length >= 2 && isParam(segments.at(-2) ?? '') && !endsWithParam;
    // `POST …/{id}/approve` acts on one thing; `POST …/{id}/observations` adds to its collection.
    if (onOneThing && !isPlural(last)) return camelCase([...pluralWords(last), ...singular(nouns.slice(0, -1))]);
    return camelCase(['create', ...singular(nouns)]);
  }
  const verbs: Readonly<Record<string, string>> = { PUT: 'put', PATCH: 'update', DELETE: 'delete' };
  return camelCase([verbs[verb] ?? verb.toLowerCase(), ...singular(nouns)]);
}

/**
 * Gives every documented route an operationId (its schema's own, or `operationIdOf`), and refuses a second
 * route with the same one at registration, so the generated client can never have two functions of one name.
 */
function installOperationIds(app: FastifyInstance): void {
  const taken = new Map<string, string>();
  app.addHook('onRoute', (route) => {
    const methods = [route.method].flat().filter((method) => method !== 'HEAD');
    const [method] = methods;
    if (method === undefined || route.schema?.hide === true) return;
    if (methods.length > 1 && route.schema?.operationId === undefined) {
      throw new Error(`route ${methods.join(',')} ${route.url} serves several methods: name its schema.operationId`);
    }
    const declared = route.schema?.operationId;
    const operationId = typeof declared === 'string' ? declared : operationIdOf(method, route.url);
    const where = `${method} ${route.url}`;
    const other = taken.get(operationId);
    if (other !== undefined) throw new Error(`routes ${other} and ${where} share the operationId '${operationId}'`);
    taken.set(operationId, where);
    route.schema = { ...route.schema, operationId };
  });
}

// ---- error responses -----------------------------------------------------------------------------------------

/** The problem codes a route can answer, by HTTP status. */
export function problemsOf(route: RouteOptions): Map<number, Set<ErrorCode | FrameworkStatus>> {
  const byStatus = new Map<number, Set<ErrorCode | FrameworkStatus>>();
  const add = (code: ErrorCode) => {
    const status = PROBLEM_BY_CODE[code].status;
    byStatus.set(status, (byStatus.get(status) ?? new Set()).add(code));
  };
  const addFramework = (status: FrameworkStatus) => byStatus.set(status, new Set([status]));
  const methods = [route.method].flat();
  const config = route.config ?? {};
  const guarded = config.access !== 'public';
  const schema = route.schema ?? {};
  const hasParams = route.url.split('/').some(isParam);
  const readsBody = methods.some((method) => BODY_METHODS.has(method));
  add('internal');
  // Input refused by its schema (or, on a guarded route, by the verb), or a path with malformed encoding.
  if (guarded || hasParams || schema.body !== undefined || schema.querystring !== undefined) add('invalid');
  // Every guarded route: a missing or refused credential, too many failures, the database.
  if (guarded)
    for (const code of ['unauthenticated', 'forbidden', 'rate_limited', 'database_unavailable'] as const) add(code);
  if (hasParams) {
    add('not_found');
    addFramework(414);
  }
  if (readsBody) {
    addFramework(413);
    addFramework(415);
  }
  // Every write is audited in its transaction, and a concurrent change to the same rows makes it a conflict.
  if (guarded && readsBody && config.readOnly !== true) {
    add('conflict');
    add('audit_unavailable');
  }
  for (const code of config.problems ?? []) add(code);
  return byStatus;
}

const HEADERS_BY_STATUS: Readonly<Record<number, Record<string, unknown>>> = {
  401: { 'www-authenticate': { type: 'string', description: 'Bearer realm="countersign"' } },
  429: { 'retry-after': { type: 'integer', description: 'seconds to wait before trying again' } },
  503: { 'retry-after': { type: 'integer', description: 'seconds to wait before trying again (when known)' } },
};

/** The OpenAPI response of one error status: a `Problem` whose `code` is one of `codes`. */
function problemResponse(status: number, codes: ReadonlySet<ErrorCode | FrameworkStatus>): Record<string, unknown> {
  const appCodes = [...codes].map((code) => (typeof code === 'number' ? 'invalid' : code));
  const unique = [...new Set(appCodes)].sort();
  const headers = HEADERS_BY_STATUS[status];
  return {
    description: `${titleOfStatus(status, unique[0] ?? 'invalid')}: ${unique.map((code) => `\`${code}\``).join(', ')}`,
    content: {
      [PROBLEM_CONTENT_TYPE]: {
        schema: { allOf: [PROBLEM_REF, { type: 'object', properties: { code: { enum: unique } } }] },
      },
    },
    ...(headers === undefined ? {} : { headers }),
  };
}

type TransformInput = Parameters<typeof jsonSchemaTransform>[0] & { readonly route: RouteOptions };

/** The zod transform, then the operation's error answers and, on public routes, `security: []`. */
function transformRoute(input: TransformInput): ReturnType<typeof jsonSchemaTransform> {
  const result = jsonSchemaTransform(input);
  const schema = { ...(result.schema as Record<string, unknown>) };
  if (schema.hide === true) return result;
  // Parameters are listed from an object's properties; a free-form record (an issuer's redirect) has none to
  // list, and its JSON Schema keywords must not be read as parameter names.
  for (const where of ['querystring', 'params', 'headers']) {
    const parameters = schema[where] as { properties?: unknown } | undefined;
    if (parameters !== undefined && parameters.properties === undefined) delete schema[where];
  }
  const response = { ...(schema.response as Record<string, unknown> | undefined) };
  for (const [status, codes] of problemsOf(input.route)) {
    // A route that documents a status itself (readiness's 503) keeps its own answer.
    if (response[String(status)] === undefined) response[String(status)] = problemResponse(status, codes);
  }
  // Without a success answer of its own (metrics' text), a route still documents that it answers 200.
  if (!Object.keys(response).some((status) => status.startsWith('2')))
    response['200'] = { type: 'null', description: 'Success' };
  const publicRoute = input.route.config?.access === 'public';
  return {
    ...result,
    schema: { ...schema, response, ...(publicRoute ? { security: [] } : {}) } as typeof result.schema,
  };
}

// ---- components ----------------------------------------------------------------------------------------------

function collectRefs(value: unknown, into: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) collectRefs(item, into);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key === '$ref' && typeof item === 'string') into.add(item);
      else collectRefs(item, into);
    }
  }
}

/** Only the component schemas reachable from the operations (a generated client gets no unused types). */
export function pruneUnusedSchemas<T extends { paths?: unknown; components?: { schemas?: Record<string, unknown> } }>(
  document: T,
): T {
  const schemas = document.components?.schemas;
  if (schemas === undefined) return document;
  const prefix = '#/components/schemas/';
  const used = new Set<string>();
  const pending: unknown[] = [document.paths];
  const seen = new Set<string>();
  while (pending.length > 0) {
    const refs = new Set<string>();
    collectRefs(pending.pop(), refs);
    for (const ref of refs) {
      if (!ref.startsWith(prefix) || seen.has(ref)) continue;
      seen.add(ref);
      const name = ref.slice(prefix.length);
      used.add(name);
      pending.push(schemas[name]);
    }
  }
  const kept = Object.fromEntries(Object.entries(schemas).filter(([name]) => used.has(name)));
  return { ...document, components: { ...document.components, schemas: kept } };
}

// ---- registration --------------------------------------------------------------------------------------------

/**
 * Registers the document (`app.swagger()`), the docs UI at `/docs` and the operationId check. Call it before any
 * route is registered: routes registered earlier are not documented.
 */
export function registerOpenApi(app: FastifyInstance): void {
  installOperationIds(app);
  void app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Countersign API',
        version: '1',
        description:
          'Request, approve, provision just in time, revoke and certify privileged access. Every error is an RFC 9457 ' +
          '`application/problem+json` document with a stable `code` (see the `Problem` schema).',
        license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
      },
      servers: [{ url: '/', description: 'this server' }],
      components: {
        securitySchemes: {
          bearer: {
            type: 'http',
            scheme: 'bearer',
            description: 'An API token (`cs_…`) or an OIDC token from the configured issuer',
          },
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: 'cs_session',
            description:
              "The web console's session (HttpOnly, SameSite=Strict; see POST /v1/session). A state-changing request must also carry the session's X-CSRF-Token header.",
          },
        },
      },
    },
    transform: (input) => transformRoute(input as TransformInput),
    transformObject: (input) => pruneUnusedSchemas(jsonSchemaTransformObject(input)),
  });
  void app.register(fastifySwaggerUi, { routePrefix: '/docs' });
}
