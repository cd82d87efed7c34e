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
