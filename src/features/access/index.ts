/** The public surface of the `access` feature: everything outside it imports from here, nothing from its files. */
export { getIdentity, listAssignments, listIdentities } from './admin.queries.js';
export { TOKEN_PREFIX } from './api-token.js';
export { CheckService } from './check-service.js';
export { offboardIdentityIn, recordOffboarding, type OffboardingResult } from './offboarding.js';
export { timeOutRoleActivations } from './role-activation.job.js';
export { MAX_ROLE_ACTIVATION_PAGE, listRoleActivations, showRoleActivation } from './role-activations.queries.js';
export { applyRoleAssignment, checkAssignment, proposeRoleAssignment, removeAssignment } from './assignments.verbs.js';
export { disableIdentity } from './identities.verbs.js';
export { describeMe } from './me.verbs.js';
export {
  approveRoleActivation,
  cancelRoleActivation,
  createRoleActivation,
  createRoleActivationSchema,
  denyRoleActivation,
  revokeRoleActivation,
} from './role-activation.verbs.js';
export { issueToken, listTokens, revokeToken, verifyToken } from './tokens.verbs.js';
export { identityForOidcClaims } from './oidc-identity.queries.js';
export { csrfTokenOf, generateSecret, hashSecret, looksLikeSecret } from './session-secret.js';
export { savePendingOidcLogin, takePendingOidcLogin, type PendingOidcLogin } from './sessions.repo.js';
export {
  authenticateSession,
  endSession,
  listSessions,
  signInWithToken,
  startOidcSession,
  type AuthenticatedSession,
  type SessionEndReason,
  type SignInContext,
  type StartedSession,
} from './sessions.verbs.js';
export {
  DEFAULT_LOGIN_LINK_TTL_SECONDS,
  MAX_LOGIN_LINK_TTL_SECONDS,
  issueLoginLink,
  signInWithLink,
} from './login-links.verbs.js';
