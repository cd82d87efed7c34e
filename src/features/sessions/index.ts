/** The public surface of the `sessions` feature (issue 14): gateway logins, session records, their reads. */
export { findGatewayLogin, verifyGatewayPassword, type GatewayLogin } from './gateway-login.queries.js';
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
