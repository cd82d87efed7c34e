/** The public surface of the `governance` feature: everything outside it imports from here, nothing from its files. */
export { getAdminChange, listAdminChanges } from './admin-changes.queries.js';
export { expireSodExceptions } from './exceptions.job.js';
export { getPolicyChange, listPolicyChanges } from './policy-changes.queries.js';
export { planPolicyChangeSet } from './policy-plan.verb.js';
export { latestPolicyLoadId, loadPolicy, restorePolicy } from './policy-sync.js';
export { listExceptions, scanSodConflicts } from './sod.queries.js';
export { approveAdminChange, rejectAdminChange } from './admin-changes.verbs.js';
export { approveException, createException, revokeException } from './exceptions.verbs.js';
export { approvePolicyChange, rejectPolicyChange, submitPolicyChange } from './policy-changes.verbs.js';
