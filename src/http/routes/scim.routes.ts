/**
 * The SCIM 2.0 service provider (RFC 7643/7644) at `/scim/v2`, for identity providers (Okta, Entra ID, authentik,
 * JumpCloud) provisioning people and directory groups. It has its own credentials: a SCIM client token
 * (`scim_…`, `countersign scim token issue`), checked by this scope's hook; the guard lets no API token, session
 * or OIDC token in here (`access: 'scim'`), and a SCIM token is nothing to the guard of `/v1`. Bodies and answers
 * are `application/scim+json` (plain JSON is accepted too); errors are SCIM errors (`…:messages:2.0:Error`, with
 * `status` and `scimType`). These routes are not in the OpenAPI document: SCIM documents itself (`/Schemas`).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, isAppError } from '../../core/errors.js';
import type { ScimDocument, ScimPatchOperation } from '../../decide/scim-patch.js';
import {
  createScimGroup,
  createScimUser,
  deleteScimGroup,
  deleteScimUser,
  ERROR_SCHEMA,
  getScimResource,
  listOf,
  listScimResources,
  patchScimGroup,
  patchScimUser,
  replaceScimGroup,
  replaceScimUser,
  resourceTypes,
  schemas,
  SCIM_TOKEN_PREFIX,
  serviceProviderConfig,
  verifyScimToken,
  type ScimCall,
} from '../../features/directory/index.js';
import type { RouteDeps, ZodFastify } from '../app.js';
import { attemptKeys } from '../auth/failure-limiter.js';
import { toProblem } from '../problem.js';
import { jsonDepth, MAX_JSON_DEPTH } from '../request-body.js';
import { projectScim } from './scim-projection.js';

export const SCIM_PREFIX = '/scim/v2';
const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8';
/** A SCIM body may carry a large group's members. */
const SCIM_BODY_LIMIT = 4 * 1024 * 1024;
const MAX_OPERATIONS = 1000;

const clients = new WeakMap<FastifyRequest, string>();

function send(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply.code(status).header('content-type', SCIM_CONTENT_TYPE).serializer(JSON.stringify).send(body);
}

function sendScimError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const { status: mapped, problem } = toProblem(error, request.url.split('?')[0] ?? request.url);
  const details = isAppError(error) ? error.details : {};
  const status = typeof details.scimStatus === 'number' ? details.scimStatus : mapped;
  if (status >= 500) request.log.error({ err: error }, 'SCIM request failed');
  if (status === 401) void reply.header('www-authenticate', 'Bearer realm="countersign-scim"');
  if (status === 429 && typeof details.retryAfterSeconds === 'number') {
    void reply.header('retry-after', String(details.retryAfterSeconds));
  }
  const scimType = typeof details.scimType === 'string' ? details.scimType : undefined;
  return send(reply, status, {
    schemas: [ERROR_SCHEMA],
    status: String(status),
    ...(scimType !== undefined ? { scimType } : {}),
    detail: problem.detail,
  });
}

function rateLimited(wait: number): AppError {
  return new AppError('rate_limited', `too many failed authentications; try again in ${wait}s`, {
    retryAfterSeconds: wait,
  });
}

function bodyObject(body: unknown): ScimDocument {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new AppError('invalid', 'the body must be a SCIM resource (a JSON object)', { scimType: 'invalidSyntax' });
  }
  return body as ScimDocument;
}

function patchOperations(body: unknown): ScimPatchOperation[] {
  const document = bodyObject(body);
  const key = Object.keys(document).find((k) => k.toLowerCase() === 'operations');
  const operations = key === undefined ? undefined : document[key];
  if (!Array.isArray(operations) || operations.length === 0 || operations.length > MAX_OPERATIONS) {
    throw new AppError('invalid', `a PATCH needs 1 to ${MAX_OPERATIONS} Operations`, { scimType: 'invalidSyntax' });
  }
  return operations.map((operation: unknown) => {
    const o = bodyObject(operation);
    const field = (name: string) => o[Object.keys(o).find((k) => k.toLowerCase() === name) ?? name];
    const op = field('op');
    const path = field('path');
    if (
      typeof op !== 'string' ||
      (path !== undefined && typeof path !== 'string') ||
      String(path ?? '').length > 1000
    ) {
      throw new AppError('invalid', 'each operation needs an op and at most a string path', {
        scimType: 'invalidSyntax',
      });
    }
    return { op, ...(path !== undefined ? { path } : {}), value: field('value') };
  });
}

function queryText(query: unknown, name: string, max = 2000): string | undefined {
  const record = (query ?? {}) as Record<string, unknown>;
  const value = record[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length > max) {
    throw new AppError('invalid', `'${name}' must be one text of at most ${max} characters`, {
      scimType: 'invalidValue',
    });
  }
  return value;
}

function queryNumber(query: unknown, name: string): number | undefined {
  const text = queryText(query, name, 12);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value))
    throw new AppError('invalid', `'${name}' must be an integer`, { scimType: 'invalidValue' });
  return value;
}

export function registerScimRoutes(app: ZodFastify, deps: RouteDeps): void {
  void app.register(
    async (scope) => {
      scope.setErrorHandler(sendScimError);
      scope.setNotFoundHandler((request, reply) =>
        sendScimError(new AppError('not_found', `no SCIM endpoint at '${request.url.split('?')[0]}'`), request, reply),
      );
      const parse = scope.getDefaultJsonParser('error', 'error');
      scope.addContentTypeParser('application/scim+json', { parseAs: 'string' }, (request, body, done) => {
        const text = typeof body === 'string' ? body : body.toString('utf8');
        if (jsonDepth(text) > MAX_JSON_DEPTH) {
          done(new AppError('invalid', `the JSON body is nested deeper than ${MAX_JSON_DEPTH} levels`), undefined);
          return;
        }
        parse(request, text, done);
      });

      scope.addHook('onRequest', async (request) => {
        const header = request.headers.authorization;
        const match = header === undefined ? null : /^Bearer +(\S+)$/i.exec(header);
        const token = match?.[1];
        const now = deps.app.clock.now();
        const keys = header === undefined ? undefined : attemptKeys(header, request.ip);
        // As the guard does: a credential that failed too often is not checked again; an address over its limit
        // waits for its failures only, so a valid token is never locked out by others' guesses.
        const wait = keys === undefined ? undefined : deps.authFailures.blockedFor(keys.credential, now);
        if (wait !== undefined) throw rateLimited(wait);
        try {
          // An API token (or anything else) is refused without a look-up: only SCIM client tokens get in here.
          if (token === undefined || !token.startsWith(SCIM_TOKEN_PREFIX)) {
            throw new AppError('unauthenticated', 'this needs a SCIM client token (scim_…) as a bearer token');
          }
          clients.set(request, (await verifyScimToken(deps.app, token)).client);
        } catch (error) {
          if (keys !== undefined && isAppError(error) && error.code === 'unauthenticated') {
            deps.authFailures.recordFailure(keys.credential, now);
            const addressWait = deps.authFailures.blockedFor(keys.address, now);
            deps.authFailures.recordFailure(keys.address, now);
            if (addressWait !== undefined) throw rateLimited(addressWait);
          }
          throw error;
        }
      });

      const config = { access: 'scim' as const };
      const options = { config, schema: { hide: true }, bodyLimit: SCIM_BODY_LIMIT };
      const baseUrl = (request: FastifyRequest) => `${request.protocol}://${request.host}${SCIM_PREFIX}`;
      const call = <I>(request: FastifyRequest, input: I): ScimCall<I> => {
        const ifMatch = request.headers['if-match'];
        return {
          app: deps.app,
          client: clients.get(request) ?? '',
          baseUrl: baseUrl(request),
          input,
          ...(typeof ifMatch === 'string' ? { ifMatch } : {}),
        };
      };
      const answer = (request: FastifyRequest, reply: FastifyReply, status: number, document: ScimDocument) => {
        const meta = document.meta as { version?: string; location?: string } | undefined;
        if (meta?.version !== undefined) void reply.header('etag', meta.version);
        if (status === 201 && meta?.location !== undefined) void reply.header('location', meta.location);
        return send(
          reply,
          status,
          projectScim(document, queryText(request.query, 'attributes'), queryText(request.query, 'excludedAttributes')),
        );
      };

      scope.get('/ServiceProviderConfig', options, async (request, reply) =>
        send(reply, 200, serviceProviderConfig(baseUrl(request))),
      );
      scope.get('/ResourceTypes', options, async (request, reply) =>
        send(reply, 200, listOf(resourceTypes(baseUrl(request)))),
      );
      scope.get<{ Params: { id: string } }>('/ResourceTypes/:id', options, async (request, reply) => {
        const found = resourceTypes(baseUrl(request)).find((r) => r.id === request.params.id);
        if (found === undefined) throw new AppError('not_found', `resource type '${request.params.id}' does not exist`);
        return send(reply, 200, found);
      });
      scope.get('/Schemas', options, async (request, reply) => send(reply, 200, listOf(schemas(baseUrl(request)))));
      scope.get<{ Params: { id: string } }>('/Schemas/:id', options, async (request, reply) => {
        const found = schemas(baseUrl(request)).find((s) => s.id === request.params.id);
        if (found === undefined) throw new AppError('not_found', `schema '${request.params.id}' does not exist`);
        return send(reply, 200, found);
      });

      for (const type of ['User', 'Group'] as const) {
        const path = `/${type}s`;
        scope.get(path, options, async (request, reply) => {
          const list = await listScimResources(
            deps.app,
            type,
            {
              ...optional('filter', queryText(request.query, 'filter')),
              ...optional('startIndex', queryNumber(request.query, 'startIndex')),
              ...optional('count', queryNumber(request.query, 'count')),
            },
            baseUrl(request),
          );
          const attributes = queryText(request.query, 'attributes');
          const excluded = queryText(request.query, 'excludedAttributes');
          return send(reply, 200, {
            ...list,
            Resources: list.Resources.map((r) => projectScim(r, attributes, excluded)),
          });
        });
        scope.get<{ Params: { id: string } }>(`${path}/:id`, options, async (request, reply) =>
          answer(request, reply, 200, await getScimResource(deps.app, type, request.params.id, baseUrl(request))),
        );
        scope.post(path, options, async (request, reply) => {
          const document = bodyObject(request.body);
          const created =
            type === 'User'
              ? await createScimUser(call(request, document))
              : await createScimGroup(call(request, document));
          return answer(request, reply, 201, created);
        });
        scope.put<{ Params: { id: string } }>(`${path}/:id`, options, async (request, reply) => {
          const input = { id: request.params.id, document: bodyObject(request.body) };
          const replaced =
            type === 'User'
              ? await replaceScimUser(call(request, input))
              : await replaceScimGroup(call(request, input));
          return answer(request, reply, 200, replaced);
        });
        scope.patch<{ Params: { id: string } }>(`${path}/:id`, options, async (request, reply) => {
          const input = { id: request.params.id, operations: patchOperations(request.body) };
          const patched =
            type === 'User' ? await patchScimUser(call(request, input)) : await patchScimGroup(call(request, input));
          return answer(request, reply, 200, patched);
        });
        scope.delete<{ Params: { id: string } }>(`${path}/:id`, options, async (request, reply) => {
          const input = { id: request.params.id };
          if (type === 'User') await deleteScimUser(call(request, input));
          else await deleteScimGroup(call(request, input));
          return reply.code(204).send();
        });
      }
    },
    { prefix: SCIM_PREFIX },
  );
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}
