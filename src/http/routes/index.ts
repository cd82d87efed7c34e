/**
 * Every route module of the API, in registration order. Add a resource's `register…Routes` here (one line);
 * `buildApp` registers them all under the guard and the OpenAPI document.
 */
import type { RouteDeps, ZodFastify } from '../app.js';
import { registerAdminChangeRoutes } from './admin-changes.routes.js';
import { registerApprovalStatsRoutes } from './approval-stats.routes.js';
import { registerAssignmentRoutes } from './assignments.routes.js';
import { registerAuditRoutes } from './audit.routes.js';
import { registerAuditStatusRoutes } from './audit-status.routes.js';
import { registerAuditStreamRoutes } from './audit-streams.routes.js';
import { registerDeliveryRoutes } from './deliveries.routes.js';
import { registerDriftRoutes } from './drift.routes.js';
import { registerExceptionRoutes } from './exceptions.routes.js';
import { registerIdentityRoutes } from './identities.routes.js';
import { registerPolicyChangeRoutes } from './policy-changes.routes.js';
import { registerProfileRoutes } from './profiles.routes.js';
import { registerProvisioningRoutes } from './provisioning.routes.js';
import { registerResourceRoutes } from './resources.routes.js';
import { registerSodRoutes } from './sod.routes.js';
import { registerMeRoutes } from './me.routes.js';
import { registerEvidenceRoutes } from './evidence.routes.js';
import { registerCertificationRoutes } from './certifications.routes.js';
import { registerCheckRoutes } from './check.routes.js';
import { registerGrantRoutes } from './grants.routes.js';
import { registerInboxRoutes } from './inbox.routes.js';
import { registerRequestRoutes } from './requests.routes.js';
import { registerRoleActivationRoutes } from './role-activations.routes.js';
import { registerTokenRoutes } from './tokens.routes.js';
import { registerSessionRoutes } from './session.routes.js';
import { registerOidcLoginRoutes } from './oidc-login.routes.js';
import { registerTimelineRoutes } from './timeline.routes.js';
import { registerScimRoutes } from './scim.routes.js';
import { registerSlackRoutes } from './slack.routes.js';
import { registerGatewaySessionRoutes } from './gateway-sessions.routes.js';

export type RouteModule = (app: ZodFastify, deps: RouteDeps) => void;

export const ROUTE_MODULES: readonly RouteModule[] = [
  registerMeRoutes,
  registerTokenRoutes,
  registerSessionRoutes,
  registerOidcLoginRoutes,
  registerAssignmentRoutes,
  registerAdminChangeRoutes,
  registerAuditRoutes,
  registerAuditStatusRoutes,
  registerAuditStreamRoutes,
  registerDeliveryRoutes,
  registerDriftRoutes,
  registerExceptionRoutes,
  registerIdentityRoutes,
  registerPolicyChangeRoutes,
  registerProfileRoutes,
  registerResourceRoutes,
  registerTimelineRoutes,
  registerSodRoutes,
  registerRequestRoutes,
  registerInboxRoutes,
  registerApprovalStatsRoutes,
  registerRoleActivationRoutes,
  registerProvisioningRoutes,
  registerGrantRoutes,
  registerGatewaySessionRoutes,
  registerCheckRoutes,
  registerEvidenceRoutes,
  registerCertificationRoutes,
  // SCIM 2.0 at /scim/v2 (issue 13): its own client tokens and error format, outside /v1 and the OpenAPI document.
  registerScimRoutes,
  registerSlackRoutes,
];
