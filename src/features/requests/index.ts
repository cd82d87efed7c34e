/** The public surface of the `requests` feature: everything outside it imports from here, nothing from its files. */
export { approvalStats, approvalStatsQuerySchema } from './approval-stats.queries.js';
export { flagOverdueExecutions } from './execution-outcome.job.js';
export { sendDueReminders } from './reminders.job.js';
export { remindersOf, type SentReminder } from './request-reminders.repo.js';
export { inboxQuerySchema, listInbox } from './inbox.queries.js';
export { previewRequest } from './request-preview.verb.js';
export { gatherRequestContext, gatherStoredRequestContext } from './request-context.js';
export { listRequestable, requestableQuerySchema } from './requestable.queries.js';
export { grantCall, type ProvisionPlan } from './request-provision.js';
export { loadRequestView, resolveTarget, retryOnVersionConflict, wrongActionKind } from './request-verb-support.js';
export { listVisibleGrants, listVisibleRequests, showVisibleRequest } from './requests.queries.js';
export {
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  findRequest,
  getRequest,
  isVersionConflict,
  moveRequest,
  moveRequests,
  updateRequest,
  versionConflict,
} from './requests.repo.js';
export {
  activateRequest,
  approveRequest,
  breakGlass,
  cancelRequest,
  completeRequest,
  createRequest,
  createRequestSchema,
  denyRequest,
  executeRequest,
  extendRequest,
  extendRequestSchema,
  revokeRequest,
  type RequestList,
  type RequestView,
} from './requests.verbs.js';
