/**
 * A SCIM client against the HTTP test app: a SCIM client token minted by the operator verb, and calls with
 * `application/scim+json` bodies as identity providers send them.
 */
import type { LightMyRequestResponse } from 'fastify';
import { issueScimToken } from '../../src/features/directory/index.js';
import { SYSTEM_OPERATOR } from '../../src/policy/model.js';
import type { HttpTestApp } from './http-fixtures.js';

export type ScimMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ScimClient {
  readonly token: string;
  call(
    method: ScimMethod,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
}

export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';

export async function scimClient(t: HttpTestApp, client = 'okta', ttl = '30d'): Promise<ScimClient> {
  const { token } = await issueScimToken({ app: t.app, actor: SYSTEM_OPERATOR, input: { client, ttl } });
  return {
    token,
    call(method, path, body, headers = {}) {
      return t.http.inject({
        method,
        url: `/scim/v2${path}`,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body !== undefined ? { 'content-type': 'application/scim+json' } : {}),
          ...headers,
        },
        ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
      });
    },
  };
}

/** A PATCH body as IdPs send it. */
export function patchOp(...operations: readonly Record<string, unknown>[]): Record<string, unknown> {
  return { schemas: [PATCH_OP], Operations: operations };
}
