/** The public surface of the `sessions` feature (issue 14): gateway logins, session records, their reads. */
export {
  endedGatewayGrants,
  findGatewayLogin,
  verifyGatewayPassword,
  type GatewayLogin,
} from './gateway-login.queries.js';
export {
  openGatewaySession,
  type GatewaySessionMeta,
  type GatewayStatementContext,
  type OpenedGatewaySession,
  type UpstreamConnection,
} from './gateway-session-open.verb.js';
export {
  closeAbnormally,
  gatewayLeaseName,
  startSessionRecorder,
  type SessionRecorder,
  type SessionRecorderOptions,
} from './session-recorder.js';
export type {
  GatewayEndReason,
  RecordedDecision,
  RecordedFacts,
  StatementOutcome,
  StatementRecord,
} from './session-records.js';
export { closeAbandonedSessions } from './abandoned-sessions.job.js';
export { parseLivenessDuration, resolveGatewayLiveness, type LivenessSetting } from './gateway-liveness.js';
export { findCancelKey, publishCancelKey, withdrawCancelKeys, type CancelKey } from './cancel-keys.repo.js';
export { cancelKeySecrets, type CancelKeySecrets } from './cancel-key-seal.js';
export {
  MAX_SESSION_PAGE,
  MAX_STATEMENT_PAGE,
  listSessions,
  listSessionsSchema,
  showSession,
  showSessionSchema,
  type ListSessionsInput,
  type ShowSessionInput,
} from './sessions.queries.js';
export {
  createRequestFromRefusal,
  requestFromRefusalSchema,
  sqlExecuteAction,
  type RequestFromRefusalInput,
} from './refusal-request.verb.js';
