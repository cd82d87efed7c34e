/**
 * SCIM reads: one user or group by id, and lists with `filter`, `startIndex`/`count` paging (RFC 7644 §3.4.2).
 * The common lookups IdPs make before they write (`userName eq "…"`, `displayName eq "…"`, `externalId eq "…"`)
 * go to the index; any other filter is evaluated on the documents in memory, in creation order.
 */
import type { AppContext } from '../../app/context.js';
import { inReadTransaction } from '../../app/snapshot.queries.js';
import { matchesScimFilter, parseScimFilter, ScimFilterError, type ScimFilter } from '../../decide/scim-filter.js';
import type { ScimDocument } from '../../decide/scim-patch.js';
import { allResources, findResource, findResourceBy, type ScimResourceType } from './directory.repo.js';
import { LIST_RESPONSE_SCHEMA, scimError, type StoredResource } from './scim-documents.js';
import { groupDocumentIn } from './scim-groups.verbs.js';
import { userDocumentIn } from './scim-users.verbs.js';

export const MAX_SCIM_PAGE = 200;

export interface ScimListInput {
  readonly filter?: string;
  readonly startIndex?: number;
  readonly count?: number;
}

export interface ScimListResponse {
  readonly schemas: readonly string[];
  readonly totalResults: number;
  readonly startIndex: number;
  readonly itemsPerPage: number;
  readonly Resources: readonly ScimDocument[];
}

export async function getScimResource(
  app: AppContext,
  type: ScimResourceType,
  id: string,
  baseUrl: string,
): Promise<ScimDocument> {
  return inReadTransaction(app, async (trx) => {
    const resource = await findResource(trx, type, id);
    if (resource === undefined) throw scimError('not_found', undefined, `${type.toLowerCase()} '${id}' does not exist`);
    return documentOf({ trx }, type, resource, baseUrl);
  });
}

export async function listScimResources(
  app: AppContext,
  type: ScimResourceType,
  input: ScimListInput,
  baseUrl: string,
): Promise<ScimListResponse> {
  let filter: ScimFilter | undefined;
  try {
    filter = input.filter === undefined || input.filter.trim() === '' ? undefined : parseScimFilter(input.filter);
  } catch (error) {
    if (error instanceof ScimFilterError) throw scimError('invalid', 'invalidFilter', error.message);
    throw error;
  }
  const startIndex = Math.max(1, Math.floor(input.startIndex ?? 1));
  const count = Math.min(MAX_SCIM_PAGE, Math.max(0, Math.floor(input.count ?? 100)));
  return inReadTransaction(app, async (trx) => {
    const indexed = filter === undefined ? undefined : indexedLookup(type, filter);
    let candidates: StoredResource[];
    if (indexed !== undefined) {
      const found = await findResourceBy(trx, type, indexed);
      candidates = found === undefined ? [] : [found];
    } else {
      candidates = await allResources(trx, type);
    }
    let documents: ScimDocument[];
    let total: number;
    if (filter === undefined) {
      total = candidates.length;
      const page = candidates.slice(startIndex - 1, startIndex - 1 + count);
      documents = [];
      for (const resource of page) documents.push(await documentOf({ trx }, type, resource, baseUrl));
    } else {
      const matching: ScimDocument[] = [];
      for (const resource of candidates) {
        const document = await documentOf({ trx }, type, resource, baseUrl);
        if (matchesScimFilter(document, filter)) matching.push(document);
      }
      total = matching.length;
      documents = matching.slice(startIndex - 1, startIndex - 1 + count);
    }
    return {
      schemas: [LIST_RESPONSE_SCHEMA],
      totalResults: total,
      startIndex,
      itemsPerPage: documents.length,
      Resources: documents,
    };
  });
}

function documentOf(
  scope: Parameters<typeof userDocumentIn>[0],
  type: ScimResourceType,
  resource: StoredResource,
  baseUrl: string,
): Promise<ScimDocument> {
  return type === 'User' ? userDocumentIn(scope, resource, baseUrl) : groupDocumentIn(scope, resource, baseUrl);
}

/** `userName eq "x"` (User) or `displayName eq "x"` (Group): answered from the unique index. */
function indexedLookup(type: ScimResourceType, filter: ScimFilter): { display: string } | undefined {
  if (filter.op !== 'eq' || typeof filter.compValue !== 'string') return undefined;
  const attribute = filter.attrPath.replace(/^urn:ietf:params:scim:schemas:core:2\.0:(User|Group):/i, '').toLowerCase();
  const key = type === 'User' ? 'username' : 'displayname';
  return attribute === key ? { display: filter.compValue } : undefined;
}
