/** Every migration, in apply order. Append new ones; never edit or reorder a released one. */
import { initial } from './0001-initial.js';
import { lifecycle } from './0002-lifecycle.js';
import { auditLog } from './0003-audit-log.js';
import { certifications } from './0004-certifications.js';
import { manualProvisioning } from './0005-manual-provisioning.js';
import { overlayVersion } from './0006-overlay-version.js';
import { changeNotifications } from './0007-change-notifications.js';
import { certificationSuspensions } from './0008-certification-suspensions.js';
import { resourcesOverlay } from './0009-resources-overlay.js';
import { installation } from './0010-installation.js';
import { onePrincipal } from './0011-one-principal.js';
import { adminChanges } from './0012-admin-changes.js';
import { roleActivationRequests } from './0014-role-activation-requests.js';
import { observationArrival } from './0015-observation-arrival.js';
import { providerIntents } from './0017-provider-intents.js';
import { consoleSessions } from './0018-console-sessions.js';
import { auditActorIndex } from './0019-audit-actor-index.js';
import { auditStreamCursors } from './0020-audit-stream-cursors.js';
import { scimDirectory } from './0021-scim-directory.js';
import { chatApprovals } from './0022-chat-approvals.js';
import { gatewaySessions } from './0024-gateway-sessions.js';
import { gatewayCancelKeys } from './0025-gateway-cancel-keys.js';
import { gatewayCancelKeysSealed } from './0026-gateway-cancel-keys-sealed.js';
import { gatewayRecordDetails } from './0027-gateway-record-details.js';
import type { StoreMigration } from './migration.js';

export const MIGRATIONS: readonly StoreMigration[] = [
  initial,
  lifecycle,
  auditLog,
  certifications,
  manualProvisioning,
  overlayVersion,
  changeNotifications,
  certificationSuspensions,
  resourcesOverlay,
  installation,
  onePrincipal,
  adminChanges,
  roleActivationRequests,
  observationArrival,
  providerIntents,
  consoleSessions,
  auditActorIndex,
  auditStreamCursors,
  scimDirectory,
  chatApprovals,
  gatewaySessions,
  gatewayCancelKeys,
  gatewayCancelKeysSealed,
  gatewayRecordDetails,
];
