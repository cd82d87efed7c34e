/** The public surface of the `grants` feature: everything outside it imports from here, nothing from its files. */
export { endExpiredActivations, expireDueGrants, retryFailedRevokes, timeoutRequests } from './expiry.job.js';
export {
  compensateOverdueGrantIntents,
  completeGrantIntent,
  recordGrantIntent,
  releaseGrantIntent,
} from './grant-intents.js';
export {
  DEFAULT_TEARDOWN_LEASE_MS,
  beginTeardownIn,
  finishTeardown,
  teardownGrant,
  type BegunTeardown,
  type TeardownOutcome,
} from './grant-teardown.js';
export {
  extendGrant,
  findGrantByRequest,
  grantsByRequest,
  listGrants,
  makeGrantsDueNow,
  type GrantSummary,
} from './grants.repo.js';
export { ObservationJob } from './observation.job.js';
export { finishIntent, insertIntent, overdueIntents, type PendingIntent } from './provider-intents.repo.js';
export { isWriteRefused, replayRevocations, revokeRequestWithoutStore } from './revoke-without-store.js';
export { confirmProvisioning, requestManualProvisioning } from './manual-provisioning.verbs.js';
export {
  deleteGatewayCredentials,
  gatewayCredentialsOf,
  gatewayKeysFor,
  gatewaySecretMatches,
  isGatewayOnly,
  keepGatewayCredential,
  openedGatewayCredential,
  type GatewayAccess,
} from './gateway-credentials.repo.js';
export { openGatewayCredential, sealGatewayCredential } from './gateway-credential-seal.js';
