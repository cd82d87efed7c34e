/** The public surface of the `directory` feature (SCIM 2.0 and OIDC groups claims, issue 13). */
export { createScimUser, deleteScimUser, patchScimUser, replaceScimUser } from './scim-users.verbs.js';
export { createScimGroup, deleteScimGroup, patchScimGroup, replaceScimGroup } from './scim-groups.verbs.js';
export { getScimResource, listScimResources, MAX_SCIM_PAGE, type ScimListInput } from './scim.queries.js';
export { listOf, resourceTypes, schemas, serviceProviderConfig } from './scim-discovery.js';
export { ERROR_SCHEMA, GROUP_SCHEMA, PATCH_OP_SCHEMA, USER_SCHEMA } from './scim-documents.js';
export {
  DEFAULT_SCIM_TOKEN_TTL,
  issueScimToken,
  listScimTokens,
  revokeScimToken,
  verifyScimToken,
  type IssuedScimToken,
  type ScimTokenSummary,
} from './scim-tokens.verbs.js';
export { SCIM_TOKEN_PREFIX, scimActor } from './scim-token.js';
export { syncOidcGroups } from './oidc-groups.verbs.js';
export type { ScimCall } from './scim-call.js';
