/** The public surface of the `evidence` feature: everything outside it imports from here, nothing from its files. */
export { readOpenedAuditPage } from './audit-open.verb.js';
export { readAuditStatus } from './audit-status.queries.js';
export { readAuditPage, readCheckpointPage, verifyAuditOnline } from './audit.queries.js';
export { type EvidenceBundle } from './evidence-bundle.js';
export { verifyEvidenceBundle } from './evidence-verify.js';
export { exportEvidence } from './evidence.verbs.js';
