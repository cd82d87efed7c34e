// Generated from /openapi.json by openapi-typescript (npm run console:api); do not edit by hand.
export interface paths {
    "/auth/oidc/callback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The OIDC issuer's redirect back: finishes the sign-in and redirects to the console */
        get: operations["finishOidcSignIn"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/oidc/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Sign in through the OIDC issuer: redirects to the issuer's login page */
        get: operations["startOidcSignIn"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness: 200 while the process runs */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Prometheus metrics (an 'audit' holder, or the configured scrape secret) */
        get: operations["getMetrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Readiness: 200 once migrations, policy and scheduler are up and while the database answers */
        get: operations["getReadiness"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin-changes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Administrative changes waiting for, or decided by, a second administrator ('administer' or 'audit') */
        get: operations["listAdminChanges"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin-changes/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One administrative change */
        get: operations["getAdminChange"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin-changes/{id}/approve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Approve a change as a second administrator; it is checked again and applied at once */
        post: operations["approveAdminChange"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin-changes/{id}/reject": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Reject a change, or withdraw your own */
        post: operations["rejectAdminChange"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit/checkpoints": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Signed checkpoints of the audit log, by ascending size */
        get: operations["listAuditCheckpoints"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Audit events in seq order after a given seq, optionally of one actor, action or subject, or about one resource, request or identity (an auditor of some profiles reads only theirs) */
        get: operations["listAuditEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The audit log verified so far: up to which seq the chain and checkpoints are proven good, the last signed checkpoint and whether the witness agrees (incremental: cheap to poll) */
        get: operations["getAuditStatus"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit/streams": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The audit streams: each sink's cursor (the last event it acknowledged), its lag behind the log's head and its last failure */
        get: operations["listAuditStreams"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Verify the stored audit log (hash chain and checkpoints); large logs: countersign audit verify */
        get: operations["verifyAuditLog"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/break-glass": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Emergency access at once, within the profile break-glass limits; reviewed afterwards */
        post: operations["requestBreakGlass"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/break-glass/{id}/review": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Review a break-glass use: keep it, or revoke its grant at once */
        post: operations["reviewBreakGlass"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/break-glass/reviews": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Break-glass uses awaiting review (or overdue, or all) */
        get: operations["listBreakGlassReviews"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/certifications": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Certification campaigns, newest first (certify, audit or administer holders) */
        get: operations["listCertifications"];
        put?: never;
        /** Open a certification campaign; its items are generated at once (certify or administer holders) */
        post: operations["createCertification"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/certifications/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One campaign with its items */
        get: operations["getCertification"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/certifications/{id}/items/{itemId}/decide": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Keep or revoke one item; a revoke is enforced at once */
        post: operations["decideCertificationItem"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/check": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Is this identity allowed this action on this resource right now?
         * @description Ask about yourself, or about anyone with `audit` or `provision` on the resource’s profile (a gateway). Denials are recorded in the audit log as aggregated `check.denied` events every few seconds.
         */
        post: operations["checkAccess"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/drift": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Drift findings (most recently seen first) of the resources you hold a duty on */
        get: operations["getDrift"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/evidence": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Export the signed evidence bundle of a period (verify it offline with `evidence verify`) */
        post: operations["exportEvidence"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/exceptions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** SoD exceptions: all for 'administer' or 'audit' holders, else those concerning you */
        get: operations["listExceptions"];
        put?: never;
        /** Ask for an exception from a separation-of-duties rule (it counts once someone else approves it) */
        post: operations["createException"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/exceptions/{id}/approve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Approve an exception (an administrator who is neither its beneficiary nor its creator) */
        post: operations["approveException"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/exceptions/{id}/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Revoke an exception (its beneficiary or an administrator) */
        post: operations["revokeException"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/grants": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Grants, soonest expiry first: your own, or everyone’s for audit and provision holders */
        get: operations["listGrants"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/identities": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Identities by name, a page at a time ('administer' or 'audit' holders) */
        get: operations["listIdentities"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/identities/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One identity: your own, or anyone's as an 'administer' or 'audit' holder */
        get: operations["getIdentity"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/identities/{name}/disable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Offboard an identity: revoke its grants, cancel its requests, invalidate its tokens */
        post: operations["disableIdentity"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/inbox": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Pending requests whose current approval step names you, newest first, each with its context
         * @description Listed: every pending request whose current step names you as an approver (in its `from`, holding `approve` on the profile). `context.myApproval` says whether approving now would count and why, by the decision the approve endpoint makes. Without `approve` anywhere the inbox is empty.
         */
        get: operations["getInbox"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/integrations/slack/interactions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Slack interactivity: Approve or Deny pressed in a Countersign message
         * @description Authenticated by Slack's request signature (`X-Slack-Signature`, `X-Slack-Request-Timestamp`, the signing secret of a `slack` notifier), not by a bearer token. The decision runs as the identity mapped from the Slack user, through the same approval and denial as the API.
         */
        post: operations["postSlackInteraction"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Who am I: my identity and the duties I hold now */
        get: operations["getMe"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** My open browser sessions (public ids, never their secrets) */
        get: operations["listSessions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/sessions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** End one of my browser sessions */
        delete: operations["endSession"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/notifications/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Notification deliveries, newest first */
        get: operations["listNotificationDeliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/notifications/deliveries/{id}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Put a failed delivery back in the queue, due now */
        post: operations["retryNotificationDelivery"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/policy/changes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Policy change sets, newest first ('administer', 'audit' or 'approve' holders) */
        get: operations["listPolicyChanges"];
        put?: never;
        /** Submit a complete proposed policy (its YAML documents); it applies once governance approves */
        post: operations["createPolicyChange"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/policy/changes/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A policy change set with its documents */
        get: operations["getPolicyChange"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/policy/changes/{id}/approve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Approve the exact documents (their digest); the change applies once governance is satisfied */
        post: operations["approvePolicyChange"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/policy/changes/{id}/reject": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Reject a pending change (a governance approver), or withdraw your own */
        post: operations["rejectPolicyChange"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/policy/plan": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** What a proposed policy would change and who would approve it; writes nothing ('administer', 'audit' or 'approve' holders) */
        post: operations["planPolicyChange"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/profiles": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The resource profiles in force that you hold a duty on */
        get: operations["listProfiles"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/profiles/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A profile in force: actions, approval rules, baseline, break-glass, certification, governance */
        get: operations["getProfile"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/profiles/{name}/explain": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A profile in force explained in words, as `countersign policy explain` prints it: overview, baseline, actions and their approval rules, who holds which duty */
        get: operations["getProfileExplain"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/profiles/{name}/versions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every version of a profile ever loaded, oldest first */
        get: operations["listProfileVersions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/refusals/{id}/request": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Ask approval for a statement the gateway refused you: a request for the profile’s execute action
         * @description The request's `params.sql` is the refused statement's text as recorded; only its sender may ask.
         */
        post: operations["requestFromRefusal"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/requestable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The resources and actions you may ask for, by resource name */
        get: operations["getRequestable"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/requests": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Requests, newest first: your own, or all of them for approvers and auditors */
        get: operations["listRequests"];
        put?: never;
        /**
         * Ask for an action on a resource for a while; the policy decides at once
         * @description A request the policy denies is stored and answered 403 `policy_denied` with its id.
         */
        post: operations["createRequest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/requests/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One request */
        get: operations["getRequest"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/requests/{id}/activate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Turn your approved request into access; the credential is in this answer only */
        post: operations["activateRequest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/requests/{id}/approve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Approve a pending request (never your own) */
        post: operations["approveRequest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/requests/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Withdraw your pending or approved request */
        post: operations["cancelRequest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/requests/{id}/complete": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** End your active grant early */
        post: operations["completeRequest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/requests/{id}/deny": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Deny a pending request */
        post: operations["denyRequest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/requests/{id}/execute": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Run your approved execute action once; the output is in this answer only */
        post: operations["executeRequest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/requests/{id}/extend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Ask to extend your active grant: a new request under the same approval rules, applied at once when the policy approves it, else by activating it once approved; never past maxDuration from the first activation */
        post: operations["extendRequest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/requests/{id}/provision": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Confirm that you created the access of an approved request by hand (manual provider)
         * @description Only a human holding `provision` on the profile who is neither the requester nor an approver confirms.
         */
        post: operations["provisionRequest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/requests/{id}/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Revoke an active grant (its requester, or an administer holder) */
        post: operations["revokeRequest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/requests/preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * What creating this request would decide now, and who could approve each step; stores nothing
         * @description Takes the body of `POST /v1/requests`. A request it would refuse or deny answers 200 with `allowed: false` and the problem `code` creating it would answer; a malformed body is 400 as there.
         */
        post: operations["createRequestPreview"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/resources": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Resources of the profiles you hold a duty on, with their drift */
        get: operations["listResources"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/resources/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A resource with its profile's version, latest observation time and open drift counts */
        get: operations["getResource"];
        /** Register a resource through the API, or update one registered so. Registering or re-binding it (profile, connection, owner, labels) answers 202 with a change a second administrator approves; an update of attributes alone applies at once */
        put: operations["putResource"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/resources/{id}/observations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A resource's observations, newest arrival first, with who sent each and when it arrived */
        get: operations["listResourceObservations"];
        put?: never;
        /** Record a resource's observed configuration and re-evaluate its baseline ('administer' or 'provision') */
        post: operations["createResourceObservation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/resources/{id}/observe": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Ask the resource's provider for its configuration now, record it and re-evaluate the baseline ('administer' or 'provision') */
        post: operations["observeResource"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/resources/{id}/timeline": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Who had what access to a resource when: its grants, requests and drift findings within a window of at most 90 days (default the last 30); others' grants and requests only for those who may see them */
        get: operations["getResourceTimeline"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/role-activations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Role activations, newest first: your own, or all of them for approvers, auditors and administrators */
        get: operations["listRoleActivations"];
        put?: never;
        /**
         * Ask to activate an eligible role for a while; the role’s activation rules decide
         * @description Active at once only when the role’s own rules auto-approve it; otherwise pending on approvers who hold `approve` over everything the role covers. A denial is stored and answered 403 `policy_denied`.
         */
        post: operations["createRoleActivation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/role-activations/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One role activation */
        get: operations["getRoleActivation"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/role-activations/{id}/approve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Approve a pending role activation (never your own); the last approval activates it */
        post: operations["approveRoleActivation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/role-activations/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Withdraw your pending role activation */
        post: operations["cancelRoleActivation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/role-activations/{id}/deny": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Deny a pending role activation */
        post: operations["denyRoleActivation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/role-activations/{id}/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** End an active role activation now (yours, or any as an administrator) */
        post: operations["revokeRoleActivation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/role-assignments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Role assignments from the policy and the API ('administer' or 'audit' holders) */
        get: operations["listRoleAssignments"];
        put?: never;
        /** Propose a role assignment; it applies once a second administrator approves it (POST /v1/admin-changes/{id}/approve). Refused with sod_violation when it would create a separation-of-duties conflict */
        post: operations["createRoleAssignment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/role-assignments/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Remove a role assignment made through the API */
        delete: operations["removeRoleAssignment"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/session": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Who I am signed in as, how, until when (and the CSRF token of a cookie session) */
        get: operations["getSession"];
        put?: never;
        /** Sign in with an API token: starts a browser session (cookie cs_session) */
        post: operations["signInWithToken"];
        /** Sign out: ends this browser session on the server and clears its cookie */
        delete: operations["signOut"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/session/link": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sign in with a one-time login link (countersign login-link): starts a browser session */
        post: operations["signInWithLink"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/session/options": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** How people sign in to this server: through its OIDC issuer, or with an API token */
        get: operations["getSignInOptions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Gateway sessions, newest first: your own, or those on the profiles you approve or audit */
        get: operations["listGatewaySessions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One gateway session with its statements in order (a page from `after`) */
        get: operations["getGatewaySession"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sod/conflicts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every current separation-of-duties conflict, suppressed ones with their exception ('administer' or 'audit') */
        get: operations["listSodConflicts"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/stats/approvals": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Approval health: pending requests and their age, time to approve, the longest queues */
        get: operations["listStatApprovals"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** My API tokens (metadata only) */
        get: operations["listTokens"];
        put?: never;
        /** Mint an API token (shown once) */
        post: operations["createToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tokens/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke an API token (your own, an NHI's you own, or anyone's as an administer holder) */
        delete: operations["revokeToken"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Activation: {
            /** @description shown once and never stored in clear; not in any later answer */
            readonly credential?: {
                [key: string]: string;
            };
            /** @description a gateway-only action: connect through Countersign's gateway; the provider's credential stays sealed */
            gateway?: {
                /** @description the startup database: the resource (or 'resource@grantId' for this grant) */
                database: string;
                /** Format: date-time */
                expiresAt: string;
                /** @description the gateway secret, the password for the gateway: shown once, ends with the grant */
                secret: string;
                /** @description the startup user to connect to the gateway with: you */
                user: string;
            };
            request: components["schemas"]["Request"];
        };
        AdminChange: {
            appliedAt: string | null;
            author: string;
            /** Format: date-time */
            createdAt: string;
            decidedAt: string | null;
            decidedBy: string | null;
            digest: string;
            /** Format: date-time */
            expiresAt: string;
            id: string;
            /** @enum {string} */
            kind: "role_assignment" | "resource";
            /** @description the proposed change, as its author sent it */
            payload: {
                [key: string]: unknown;
            };
            reason: string | null;
            result: {
                [key: string]: unknown;
            } | null;
            /** @enum {string} */
            status: "pending" | "applied" | "rejected" | "cancelled" | "expired";
            target: string;
        };
        ApprovalStats: {
            /** @description approvers by the pending requests whose current step names them (their inbox), longest first */
            readonly longestQueues: {
                identity: string;
                oldestAgeSeconds: number;
                pending: number;
            }[];
            pending: {
                /** @description cumulative, like a Prometheus histogram: each bucket counts every pending request at most that old */
                readonly ageBuckets: {
                    count: number;
                    /** @enum {string} */
                    le: "1h" | "4h" | "1d" | "3d" | "+Inf";
                }[];
                count: number;
                oldestAgeSeconds: number | null;
            };
            readonly perDay: {
                approved: number;
                day: string;
                denied: number;
                p50Seconds: number | null;
            }[];
            readonly perProfile: {
                approved: number;
                decided: number;
                denied: number;
                p50Seconds: number | null;
                p90Seconds: number | null;
                profile: string;
            }[];
            /** Format: date-time */
            since: string;
            /** @enum {string} */
            window: "7d" | "30d" | "90d";
        };
        AuditCheckpoint: {
            head: string;
            keyId: string;
            root: string;
            signature: string;
            size: number;
            /** Format: date-time */
            time: string;
        };
        AuditEvent: {
            action: string;
            actor: string;
            details: {
                [key: string]: unknown;
            };
            hash: string;
            /** @description with ?open=true: each output value of the event by JSON Pointer, opened or still sealed */
            opened?: {
                [key: string]: components["schemas"]["AuditOpenedValue"];
            };
            prevHash: string;
            seq: number;
            subject: string;
            /** Format: date-time */
            time: string;
        };
        AuditOpenedValue: {
            message: string;
            /** @enum {string} */
            sealed: "no_key" | "other_key" | "not_authentic" | "hmac_only";
        } | {
            value: unknown;
        };
        AuditStatus: {
            /** @description the last event when this status was computed */
            headSeq: number;
            lastCheckpoint?: {
                /** Format: date-time */
                at: string;
                keyId: string;
                seq: number;
            };
            /** @description true when nothing wrong was found; verifiedThroughSeq may trail headSeq while a long log is caught up */
            ok: boolean;
            /** @description the first thing found wrong */
            problem?: {
                kind: string;
                message: string;
                seq: number;
            };
            /** Format: date-time */
            verifiedAt: string;
            /** @description every event up to this seq is proven good (chain and checkpoints) */
            verifiedThroughSeq: number;
            witness: {
                /** @description whether every checkpoint the witness holds is the database's */
                agrees?: boolean;
                configured: boolean;
                lastWitnessedSeq?: number;
                message?: string;
            };
        };
        AuditStream: {
            consecutiveFailures: number;
            deliveredAt: string | null;
            /** @description the last event the sink acknowledged */
            deliveredSeq: number;
            kind: string;
            /** @description events appended but not yet acknowledged by the sink */
            lagEvents: number;
            /** @description age of the oldest event not yet acknowledged (0 when caught up) */
            lagSeconds: number;
            lastError: string | null;
            lastErrorAt: string | null;
            sink: string;
            /** @description the sink URL without its password */
            target: string;
        };
        AuditStreams: {
            /** @description the last event of the log */
            headSeq: number;
            readonly streams: components["schemas"]["AuditStream"][];
        };
        AuditVerification: {
            checkpointsVerified: number;
            eventsVerified: number;
            firstBadSeq?: number;
            head?: {
                hash: string;
                seq: number;
            };
            ok: boolean;
            problem?: {
                /** @enum {string} */
                kind: "modified" | "deleted" | "inserted" | "reordered" | "truncated" | "checkpoint_mismatch" | "bad_signature" | "witness_mismatch";
                message: string;
                seq: number;
            };
            root?: string;
            signaturesChecked: boolean;
            witnessCheckpointsVerified: number;
        };
        BreakGlassReview: {
            action: string;
            certifier: string | null;
            /** Format: date-time */
            createdAt: string;
            id: string;
            justification: string | null;
            overdue: boolean;
            profile: string;
            requester: string;
            resource: string;
            reviewBy: string | null;
            reviewedAt: string | null;
            status: string;
        };
        BreakGlassReviewResult: {
            certifier: string;
            /** @enum {string} */
            decision: "keep" | "revoke";
            id: string;
            late: boolean;
            /** Format: date-time */
            reviewedAt: string;
            teardown?: components["schemas"]["CertificationTeardown"];
        };
        CertificationCampaign: {
            closedAt: string | null;
            counts: {
                escalated: number;
                kept: number;
                pending: number;
                revoked: number;
            };
            /** Format: date-time */
            createdAt: string;
            createdBy: string;
            /** Format: date-time */
            deadline: string;
            id: string;
            readonly kinds: ("role_assignment" | "grant" | "break_glass" | "high_risk_request")[];
            name: string;
            /** @enum {string} */
            onMissed: "revoke" | "escalate";
            period: {
                /** Format: date-time */
                from: string;
                /** Format: date-time */
                to: string;
            };
            /** @enum {string} */
            status: "open" | "closed";
        };
        CertificationCampaignDetail: {
            closedAt: string | null;
            counts: {
                escalated: number;
                kept: number;
                pending: number;
                revoked: number;
            };
            /** Format: date-time */
            createdAt: string;
            createdBy: string;
            /** Format: date-time */
            deadline: string;
            id: string;
            readonly items: components["schemas"]["CertificationItem"][];
            readonly kinds: ("role_assignment" | "grant" | "break_glass" | "high_risk_request")[];
            name: string;
            /** @enum {string} */
            onMissed: "revoke" | "escalate";
            period: {
                /** Format: date-time */
                from: string;
                /** Format: date-time */
                to: string;
            };
            /** @enum {string} */
            status: "open" | "closed";
        };
        CertificationDecision: {
            item: components["schemas"]["CertificationItem"];
            teardown?: components["schemas"]["CertificationTeardown"];
        };
        CertificationItem: {
            campaignId: string;
            comment: string | null;
            decidedAt: string | null;
            decidedBy: string | null;
            enforcement: string | null;
            readonly holders: string[];
            id: string;
            /** @enum {string} */
            kind: "role_assignment" | "grant" | "break_glass" | "high_risk_request";
            profile: string | null;
            requestId: string | null;
            role: string | null;
            /** @enum {string} */
            status: "pending" | "escalated" | "kept" | "revoked";
            summary: {
                [key: string]: unknown;
            };
            target: string;
        };
        CertificationTeardown: {
            grantId: string;
            /** @enum {string} */
            outcome: "revoked" | "expired";
            requestId: string;
        } | {
            attempts: number;
            error: string;
            grantId: string;
            /** Format: date-time */
            nextAttemptAt: string;
            /** @constant */
            outcome: "revoke_failed";
            requestId: string;
        } | {
            grantId: string;
            /** @constant */
            outcome: "already_done";
            /** @enum {string} */
            status: "provisioning" | "active" | "revoking" | "revoked" | "expired" | "revoke_failed";
        } | {
            grantId: string;
            /** @constant */
            outcome: "in_progress";
        };
        CheckAnswer: {
            allowed: boolean;
            grantId?: string;
            reason: {
                /** @description one of check.grant, check.standing_role, check.no_grant, check.grant_expired, check.grant_revoked, check.unknown_identity, check.identity_disabled, check.unknown_resource, check.unknown_profile, check.unknown_action */
                code: string;
                message: string;
            };
        };
        CheckQueryInput: {
            action: string;
            identity: string;
            resource: string;
        };
        Delivery: {
            attempts: number;
            /** Format: date-time */
            createdAt: string;
            deliveredAt: string | null;
            event: string;
            id: string;
            lastError: string | null;
            /** Format: date-time */
            nextAttemptAt: string;
            notifier: string;
            /** @enum {string} */
            status: "pending" | "delivered" | "failed";
            urgent: boolean;
        };
        DisabledIdentity: {
            readonly cancelledRequests: string[];
            /** Format: date-time */
            disabledAt: string;
            readonly flaggedIdentities: string[];
            identity: string;
            readonly revokedGrants: string[];
            revokedTokens: number;
        };
        DriftFinding: {
            check: string;
            /** Format: date-time */
            firstSeen: string;
            id: string;
            /** Format: date-time */
            lastSeen: string;
            message: string;
            profileVersion: string | null;
            resolvedAt: string | null;
            resource: string;
            /** @enum {string} */
            severity: "low" | "medium" | "high" | "critical";
            /** @enum {string} */
            status: "open" | "resolved";
        };
        /** @description a countersign.dev/evidence-bundle/v1 document: manifest, signature and sections */
        EvidenceBundle: {
            [key: string]: unknown;
        };
        Execution: {
            output: {
                [key: string]: unknown;
            };
            request: components["schemas"]["Request"];
            summary: {
                [key: string]: unknown;
            };
        };
        Extension: {
            /** @description the extension request: completed once applied, else pending or denied */
            extension: components["schemas"]["Request"];
            /** @description the request whose grant it extends, with its expiry */
            request: components["schemas"]["Request"];
        };
        GatewaySession: {
            action: string;
            applicationName: string | null;
            /** @description true: the SCRAM proof was bound to the TLS connection (SCRAM-SHA-256-PLUS); null: opened before this was recorded */
            channelBound: boolean | null;
            clientAddress: string;
            closedAt: string | null;
            /** @description client, revoked, expired, budget, error, shutdown or abnormal */
            endReason: string | null;
            /** Format: date-time */
            expiresAt: string;
            gatewayId: string;
            grantId: string;
            id: string;
            identity: string;
            /** @enum {string} */
            method: "scram" | "password" | "token";
            /** Format: date-time */
            openedAt: string;
            profile: string;
            /** @description of which refused */
            refused: number;
            requestId: string;
            resource: string;
            /** @description statements recorded so far */
            statements: number;
            /** @enum {string} */
            status: "open" | "closed" | "abnormal";
            tls: boolean;
            upstreamUser: string;
        };
        GatewaySessionDetail: {
            next: number | null;
            session: components["schemas"]["GatewaySession"];
            statements: components["schemas"]["GatewayStatement"][];
        };
        GatewayStatement: {
            allowed: boolean;
            /** Format: date-time */
            at: string;
            builtIn: boolean;
            bytes: number | null;
            commands: string[];
            commandTag: string | null;
            durationMs: number | null;
            /** @description the SQLSTATE the server answered, if it failed */
            errorCode: string | null;
            /** @description the error's DETAIL, opened like the message */
            errorDetail?: string;
            /** @description the error's HINT, opened like the message */
            errorHint?: string;
            /** @description the server's error message, opened for an audit holder (?open=true) like the text */
            errorMessage?: string;
            /** @description why the error message, recorded sealed, is not shown */
            errorSealed?: string;
            fingerprint: string;
            kinds: string[];
            message: string;
            params?: (string | null)[];
            /** @description its portal executed again: it ran with the parameters of the statement with this seq */
            paramsOf?: number;
            /** @description a refused statement: `countersign request create --from-refusal ID` */
            refusalId: string | null;
            rows: number | null;
            rule: string | null;
            /** @description why the text is not shown */
            sealed?: string;
            seq: number;
            tables: string[];
            /** @description opened for an audit holder (?open=true) */
            text?: string;
        };
        Grant: {
            action: string;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            expiresAt: string;
            id: string;
            identity: string;
            provider: string;
            requestId: string;
            resource: string;
            /** Format: date-time */
            revokedAt?: string;
            revokedBy?: string;
            /** @enum {string} */
            status: "provisioning" | "active" | "revoking" | "revoked" | "expired" | "revoke_failed";
        };
        Identity: {
            attributes: {
                [key: string]: string | number | boolean;
            };
            disabled: boolean;
            disabledAt: string | null;
            disabledBy: string | null;
            readonly duties: ("request" | "approve" | "provision" | "use" | "certify" | "administer" | "audit")[];
            email: string | null;
            flagged: {
                /** Format: date-time */
                at: string;
                reason: string | null;
            } | null;
            readonly groups: string[];
            kind: string;
            name: string;
            owner: string | null;
            readonly owns: string[];
        };
        Inbox: {
            readonly items: components["schemas"]["InboxItem"][];
            nextCursor?: string;
            total: number;
        };
        InboxItem: {
            context: {
                action: {
                    maxDuration?: string;
                    maxDurationSeconds?: number;
                    name: string;
                    /** @enum {string} */
                    risk?: "low" | "medium" | "high" | "critical";
                };
                myApproval: {
                    /** @description whether approving now would count (the approve verb would accept it) */
                    counts: boolean;
                    message: string;
                    /** @enum {string} */
                    reason: "requester.unknown" | "requester.disabled" | "requester.no_request_duty" | "requester.role_not_activated" | "requester.not_eligible" | "requester.holds_request" | "requester.eligible" | "resource.unknown" | "profile.unknown" | "profile.rebound" | "profile.version_changed" | "action.unknown" | "action.wrong_kind" | "duration.invalid" | "duration.too_long" | "justification.missing" | "justification.too_long" | "ticket.missing" | "ticket.too_long" | "ticket.mismatch" | "params.invalid" | "rule.matched" | "rule.not_matched" | "rule.none_matched" | "rule.state_unknown" | "rule.context_unknown" | "context.value" | "context.unknown" | "rule.evaluation_error" | "rule.unsatisfiable" | "rule.role_default" | "rule.now_denies" | "rule.changed" | "rule.still_auto" | "break_glass.not_offered" | "break_glass.not_human" | "break_glass.not_allowed" | "break_glass.action_not_covered" | "break_glass.not_applied" | "break_glass.no_longer_allowed" | "break_glass.allowed" | "break_glass.rules_skipped" | "break_glass.condition_met" | "break_glass.condition_not_met" | "break_glass.condition_unknown" | "request.not_pending" | "request.no_open_step" | "request.wrong_status" | "request.unresolvable" | "request.approved" | "approver.unknown" | "approver.disabled" | "approver.not_human" | "approver.no_approve_duty" | "approver.not_in_step" | "approver.independence_unknown" | "approver.not_independent" | "approver.does_not_cover_role" | "approver.holds_approve" | "approver.in_step" | "approver.independent" | "approver.covers_role" | "step.unknown" | "step.satisfied" | "step.counted" | "approval.counted" | "denier.is_requester" | "denier.not_an_approver" | "denial.accepted" | "digest.mismatch" | "digest.content_changed" | "lifecycle.illegal_transition" | "grant.illegal_transition" | "activation.window_passed" | "grant.expired" | "grant.not_active" | "approval.no_longer_counts" | "approval.no_longer_satisfied" | "approval.still_satisfied" | "revalidation.holds" | "provisioning.changed" | "provisioning.unknown" | "extension.none" | "extension.not_a_grant" | "extension.break_glass" | "extension.different_request" | "extension.different_policy" | "extension.policy_changed" | "extension.unanchored" | "extension.past_max_duration" | "extension.entitlement_ends" | "extension.not_later" | "extension.may_ask" | "extension.granted" | "provider.cannot_extend" | "provider.grant_failed" | "provider.revoke_failed" | "provider.extend_failed" | "provision.not_manual" | "provision.not_human" | "provision.no_duty" | "provision.not_requested" | "provision.already_requested" | "provision.holds_duty" | "revoker.not_entitled" | "revoker.requester" | "revoker.administrator" | "sod.own_request" | "sod.not_requester" | "sod.duplicate_approval" | "sod.lifecycle_roles" | "sod.system_actor" | "sod.same_principal" | "sod.rule_conflict" | "sod.conflict_suppressed" | "sod.lifecycle_ok" | "sod.human_only_duty" | "sod.unknown_role" | "sod.assignment_expired" | "sod.no_conflict" | "sod.self_administration" | "sod.own_admin_change" | "sod.own_exception" | "sod.exception_creator" | "sod.own_policy_change" | "sod.certifier_is_holder" | "sod.certifier_assigned" | "sod.exporter_administers" | "sod.exporter_not_auditor" | "sod.exporter_scoped_auditor" | "sod.exporter_ok" | "role.unknown" | "role.standing" | "role.already_active" | "role_activation.not_pending" | "role_activation.not_active" | "role_activation.already_pending" | "role_activation.not_revoker" | "admin.unknown_identity" | "admin.not_administrator" | "admin.author_not_administrator" | "admin.last_holder" | "admin.holds_administer" | "admin.disable_allowed" | "admin.role_change_allowed" | "admin.holders_remain" | "assignment.unknown_role" | "assignment.unknown_subject" | "assignment.expired" | "exception.self_request" | "exception.create_allowed" | "exception.approve_allowed" | "exception.self_revoke" | "exception.revoke_allowed" | "admin_change.approve_allowed" | "admin_change.reject_allowed" | "admin_change.withdrawn" | "resource.connection_free_form" | "resource.connection_not_allowed" | "resource.administrator" | "resource.observer" | "resource.system_observer" | "observation.in_future" | "observation.time_ok" | "reconcile.owned" | "reconcile.age_unknown" | "reconcile.too_young" | "reconcile.in_use" | "reconcile.system" | "reconcile.administrator" | "policy_change.unknown_identity" | "policy_change.disabled" | "policy_change.not_human" | "policy_change.not_administrator" | "policy_change.not_governance_approver" | "policy_change.submit_allowed" | "policy_change.governance_approver" | "policy_change.administrator_approves" | "policy_change.withdrawn" | "policy_change.satisfied" | "policy_change.waiting" | "certification.not_campaign_owner" | "certification.not_reviewer" | "certification.not_human" | "certification.no_certify_duty" | "certification.already_decided" | "certification.window_too_short" | "certification.campaign_owner" | "certification.reviewer" | "certification.certifier_ok" | "certification.window_ok" | "certification.decided" | "certification.escalated" | "certification.missed_privileged" | "certification.missed_revoke" | "certification.missed_escalate" | "token.unknown_identity" | "token.identity_disabled" | "token.ttl_too_long" | "token.chain_ends" | "token.not_self" | "token.not_nhi_owner" | "token.not_owner" | "token.ttl_ok" | "token.operator" | "token.self" | "token.nhi_owner" | "token.own" | "token.administer" | "read.not_reader" | "read.no_profile_duty" | "read.reader_duty" | "read.own_identity" | "read.own_exception" | "read.profile_duty" | "visibility.own" | "visibility.request" | "visibility.approve" | "visibility.provision" | "visibility.use" | "visibility.certify" | "visibility.administer" | "visibility.audit" | "check.grant" | "check.standing_role" | "check.no_grant" | "check.grant_expired" | "check.grant_revoked" | "check.unknown_identity" | "check.identity_disabled" | "check.unknown_resource" | "check.unknown_profile" | "check.unknown_action" | "check.denials_overflowed" | "check_access.self" | "check_access.audit" | "check_access.provision" | "check_access.not_self" | "chat.unknown_user" | "chat.not_human" | "chat.disabled" | "chat.replayed" | "chat.unknown_action" | "audit.clear_secret" | "checkpoint.signed" | "checkpoint.bad_signature" | "checkpoint.due_events" | "checkpoint.due_time" | "checkpoint.requested";
                };
                readonly recentRequests: {
                    action: string;
                    /** Format: date-time */
                    createdAt: string;
                    id: string;
                    /** @enum {string} */
                    status: "pending" | "approved" | "active" | "expired" | "revoked" | "completed" | "denied" | "cancelled" | "timed_out" | "revoke_failed" | "executing" | "needs_review";
                }[];
                requester: {
                    readonly groups: string[];
                    identityKind?: string;
                    /** @enum {string} */
                    kind: "human" | "nhi" | "unknown";
                    name: string;
                    readonly owners?: string[];
                };
                resource: {
                    classification: ("public" | "internal" | "confidential" | "restricted") | null;
                    id: string;
                    readonly openDrift: {
                        check: string;
                        /** @enum {string} */
                        severity: "low" | "medium" | "high" | "critical";
                        /** Format: date-time */
                        since: string;
                    }[];
                    readonly owners: string[];
                    profile: string;
                };
                rule: {
                    name: string;
                    readonly steps: {
                        readonly approvers: string[];
                        readonly from: string[];
                        independent: boolean;
                        required: number;
                        satisfied: boolean;
                        step: number;
                    }[];
                };
            };
            request: components["schemas"]["Request"];
        };
        IssuedToken: {
            /** Format: date-time */
            expiresAt: string;
            id: string;
            identity: string;
            prefix: string;
            token: string;
        };
        Me: {
            /** @enum {string} */
            authenticatedWith: "api_token" | "oidc" | "session";
            readonly duties: ("request" | "approve" | "provision" | "use" | "certify" | "administer" | "audit")[];
            readonly eligible: {
                /** @enum {string} */
                duty: "request" | "approve" | "provision" | "use" | "certify" | "administer" | "audit";
                role: string;
                scope: string;
            }[];
            email: string | null;
            readonly groups: string[];
            readonly holdings: {
                /** @enum {string} */
                duty: "request" | "approve" | "provision" | "use" | "certify" | "administer" | "audit";
                role: string;
                scope: string;
            }[];
            identity: string;
            kind: string;
            owner: string | null;
        };
        Observation: {
            /** @description its place in the resource's arrival order; the newest arrival is current */
            arrival: number;
            drift: {
                critical: number;
                high: number;
                low: number;
                medium: number;
            };
            readonly newFindings: string[];
            observationId: string;
            /** Format: date-time */
            observedAt: string;
            profileVersion: string;
            readonly resolvedFindings: string[];
            resource: string;
            readonly results: {
                check: string;
                message: string;
                /** @enum {string} */
                severity: "low" | "medium" | "high" | "critical";
                status: string;
            }[];
        };
        ObservationRecord: {
            arrival: number;
            id: string;
            /**
             * Format: date-time
             * @description when the sender says the configuration was seen
             */
            observedAt: string;
            /**
             * Format: date-time
             * @description when Countersign recorded it
             */
            receivedAt: string;
            /** @description who sent it */
            sender: string | null;
            /** @enum {string} */
            source: "provider" | "api";
        };
        OpenSession: {
            /** Format: date-time */
            createdAt: string;
            current: boolean;
            /** Format: date-time */
            expiresAt: string;
            id: string;
            /** Format: date-time */
            lastSeenAt: string;
            /** @enum {string} */
            method: "api_token" | "oidc" | "login_link";
        };
        PolicyChange: {
            appliedAt: string | null;
            readonly approvals: {
                approver: string;
                /** Format: date-time */
                at: string;
            }[];
            author: string;
            basePolicyHash: string | null;
            /** Format: date-time */
            createdAt: string;
            decidedAt: string | null;
            decidedBy: string | null;
            description: string | null;
            digest: string;
            id: string;
            /** @enum {string} */
            status: "pending" | "applied" | "rejected" | "cancelled";
            touched: {
                readonly added: string[];
                readonly all: string[];
                readonly changed: string[];
                readonly removed: string[];
                readonly resources?: string[];
            };
        };
        PolicyChangeDetail: {
            appliedAt: string | null;
            readonly approvals: {
                approver: string;
                /** Format: date-time */
                at: string;
            }[];
            author: string;
            basePolicyHash: string | null;
            /** Format: date-time */
            createdAt: string;
            decidedAt: string | null;
            decidedBy: string | null;
            description: string | null;
            /** @description per document, what changed against the policy the change was planned on (unchanged ones left out) */
            readonly diff: components["schemas"]["PolicyDocumentDiff"][];
            digest: string;
            readonly files: {
                path: string;
                text: string;
            }[];
            id: string;
            /** @enum {string} */
            status: "pending" | "applied" | "rejected" | "cancelled";
            touched: {
                readonly added: string[];
                readonly all: string[];
                readonly changed: string[];
                readonly removed: string[];
                readonly resources?: string[];
            };
        };
        PolicyDocumentDiff: {
            /** @enum {string} */
            change: "added" | "removed" | "modified";
            document: string;
            readonly lines: {
                /** @enum {string} */
                op: " " | "+" | "-";
                skipped?: number;
                text: string;
            }[];
        };
        PolicyPlan: {
            basePolicyHash: string | null;
            /** @description per document, what changed against the policy the change was planned on (unchanged ones left out) */
            readonly diff: components["schemas"]["PolicyDocumentDiff"][];
            digest: string;
            readonly eligibleApprovers: string[];
            kinds: {
                contextSources: {
                    readonly added: string[];
                    readonly changed: string[];
                    readonly removed: string[];
                };
                groups: {
                    readonly added: string[];
                    readonly changed: string[];
                    readonly removed: string[];
                };
                identities: {
                    readonly added: string[];
                    readonly changed: string[];
                    readonly removed: string[];
                };
                notifiers: {
                    readonly added: string[];
                    readonly changed: string[];
                    readonly removed: string[];
                };
                resources: {
                    readonly added: string[];
                    readonly changed: string[];
                    readonly removed: string[];
                };
                roles: {
                    readonly added: string[];
                    readonly changed: string[];
                    readonly removed: string[];
                };
                sodRules: {
                    readonly added: string[];
                    readonly changed: string[];
                    readonly removed: string[];
                };
            };
            readonly profiles: {
                readonly approvers: string[];
                /** @enum {string} */
                change: "added" | "changed" | "removed" | "resources";
                from: string | null;
                name: string;
                to: string | null;
            }[];
            readonly requirements: {
                description: string;
                readonly eligible: string[];
                /** @enum {string} */
                kind: "governance" | "administrator";
                profile: string | null;
            }[];
            readonly sodConflicts: {
                identity: string;
                message: string;
                profile: string | null;
                rule: string;
            }[];
            submit: {
                allowed: boolean;
                readonly reasons: {
                    code: string;
                    message: string;
                }[];
            };
            touched: {
                readonly added: string[];
                readonly all: string[];
                readonly changed: string[];
                readonly removed: string[];
                readonly resources?: string[];
            };
            unchanged: boolean;
        };
        Problem: {
            /** @enum {string} */
            code: "unauthenticated" | "forbidden" | "not_found" | "invalid" | "conflict" | "sod_violation" | "policy_denied" | "audit_unavailable" | "database_unavailable" | "provider_failed" | "rate_limited" | "internal";
            detail: string;
            details?: {
                [key: string]: unknown;
            };
            instance: string;
            problems?: string[];
            reasons?: {
                code: string;
                message: string;
            }[];
            status: number;
            title: string;
            type: string;
        };
        Profile: {
            readonly actionDetails: {
                activationWindow: string;
                readonly approval: {
                    message: string | null;
                    name: string;
                    /** @enum {string} */
                    outcome: "auto" | "deny" | "steps";
                    readonly steps: {
                        count: number;
                        readonly from: string[];
                        independent: boolean;
                    }[];
                    summary: string;
                    when: string | null;
                }[];
                description: string | null;
                gateway: {
                    /** @enum {string} */
                    default: "allow" | "deny";
                    readonly masks: {
                        column: string;
                        /** @enum {string} */
                        mask: "hash" | "redact" | "last4";
                        table: string | null;
                    }[];
                    maxBytes: number | null;
                    maxRows: number | null;
                    readonly rules: {
                        message: string | null;
                        name: string;
                        /** @enum {string} */
                        outcome: "allow" | "deny";
                        when: string | null;
                    }[];
                    statementTimeoutSeconds: number | null;
                } | null;
                /** @enum {string} */
                kind: "grant" | "execute";
                maxDuration: string;
                maxDurationSeconds: number;
                name: string;
                params: {
                    [key: string]: unknown;
                } | null;
                pendingTimeout: string;
                requireJustification: boolean;
                risk: string;
                ticketPattern: string | null;
            }[];
            readonly actions: string[];
            readonly baseline: {
                expr: string;
                message: string;
                name: string;
                severity: string;
                whenAbsent: string;
            }[];
            breakGlass: {
                readonly actions: string[];
                readonly allowed: string[];
                maxDuration: string;
                reviewWithin: string;
            } | null;
            certification: {
                every: string;
            } | null;
            classification: string;
            environment: string;
            extends: string | null;
            governance: {
                readonly approvers: string[];
            };
            labels: {
                [key: string]: string;
            };
            loadedAt: string | null;
            name: string;
            readonly owners: string[];
            provider: string;
            version: string;
        };
        ProfileExplanation: {
            profile: string;
            readonly sections: {
                readonly lines: string[];
                title: string;
            }[];
            /** @description the version in force (`GET /v1/profiles/{name}/versions` lists every one) */
            version: string;
        };
        ProfileSummary: {
            readonly actions: string[];
            classification: string;
            environment: string;
            extends: string | null;
            labels: {
                [key: string]: string;
            };
            name: string;
            readonly owners: string[];
            provider: string;
            version: string;
        };
        ProfileVersion: {
            current: boolean;
            /** Format: date-time */
            firstLoadedAt: string;
            policyLoadId: string | null;
            version: string;
        };
        RemovedRoleAssignment: {
            id: string;
            /** Format: date-time */
            removedAt: string;
        };
        Request: {
            action: string;
            /** Format: date-time */
            activatedAt?: string;
            readonly approvals: {
                approver: string;
                /** Format: date-time */
                at: string;
                step: number;
            }[];
            /** Format: date-time */
            approvedAt?: string;
            breakGlass: boolean;
            /** Format: date-time */
            createdAt: string;
            currentStep?: number;
            digest: string;
            duration: string;
            durationSeconds: number;
            /** Format: date-time */
            expiresAt?: string;
            /** @description an extension request: the request whose grant it extends */
            extends?: string;
            grant?: {
                /** Format: date-time */
                expiresAt: string;
                id: string;
                /** @enum {string} */
                status: "provisioning" | "active" | "revoking" | "revoked" | "expired" | "revoke_failed";
            };
            id: string;
            justification?: string;
            matchedRule: string;
            readonly params: {
                [key: string]: unknown;
            };
            profile: string;
            profileVersion: string;
            remainingApprovals: number;
            /** @description the reminders and escalation sent while it was pending (in the answer about one request) */
            readonly reminders?: {
                /** Format: date-time */
                at: string;
                readonly audience: string[];
                /** @enum {string} */
                kind: "reminder" | "escalation";
            }[];
            requester: string;
            resource: string;
            /**
             * Format: date-time
             * @description break-glass: when the use must have been reviewed
             */
            reviewBy?: string;
            /** @enum {string} */
            status: "pending" | "approved" | "active" | "expired" | "revoked" | "completed" | "denied" | "cancelled" | "timed_out" | "revoke_failed" | "executing" | "needs_review";
            statusReason?: string;
            readonly steps: {
                readonly approvers: string[];
                readonly from: string[];
                independent: boolean;
                required: number;
                satisfied: boolean;
                step: number;
            }[];
            ticket?: string;
        };
        Requestable: {
            nextCursor?: string;
            readonly resources: components["schemas"]["RequestableResource"][];
        };
        RequestableResource: {
            readonly actions: {
                /** @description the profile's break-glass covers it for you (POST /v1/break-glass) */
                breakGlass: boolean;
                description?: string;
                maxDuration: string;
                maxDurationSeconds: number;
                name: string;
                /** @description the JSON schema of the action's parameters, when it takes any */
                paramsSchema?: {
                    [key: string]: unknown;
                };
                /** @description may be asked for through POST /v1/requests */
                request: boolean;
                requireJustification: boolean;
                /** @enum {string} */
                risk: "low" | "medium" | "high" | "critical";
                ticketPattern?: string;
            }[];
            resource: {
                /** @enum {string} */
                classification: "public" | "internal" | "confidential" | "restricted";
                id: string;
                profile: string;
            };
        };
        RequestPreview: {
            /** @description creating it now would store it as pending or approved (not refuse or deny it) */
            allowed: boolean;
            autoApproved: boolean;
            code?: string;
            matchedRule?: string;
            maxDurationSeconds?: number;
            message?: string;
            /** @enum {string} */
            reason?: "requester.unknown" | "requester.disabled" | "requester.no_request_duty" | "requester.role_not_activated" | "requester.not_eligible" | "requester.holds_request" | "requester.eligible" | "resource.unknown" | "profile.unknown" | "profile.rebound" | "profile.version_changed" | "action.unknown" | "action.wrong_kind" | "duration.invalid" | "duration.too_long" | "justification.missing" | "justification.too_long" | "ticket.missing" | "ticket.too_long" | "ticket.mismatch" | "params.invalid" | "rule.matched" | "rule.not_matched" | "rule.none_matched" | "rule.state_unknown" | "rule.context_unknown" | "context.value" | "context.unknown" | "rule.evaluation_error" | "rule.unsatisfiable" | "rule.role_default" | "rule.now_denies" | "rule.changed" | "rule.still_auto" | "break_glass.not_offered" | "break_glass.not_human" | "break_glass.not_allowed" | "break_glass.action_not_covered" | "break_glass.not_applied" | "break_glass.no_longer_allowed" | "break_glass.allowed" | "break_glass.rules_skipped" | "break_glass.condition_met" | "break_glass.condition_not_met" | "break_glass.condition_unknown" | "request.not_pending" | "request.no_open_step" | "request.wrong_status" | "request.unresolvable" | "request.approved" | "approver.unknown" | "approver.disabled" | "approver.not_human" | "approver.no_approve_duty" | "approver.not_in_step" | "approver.independence_unknown" | "approver.not_independent" | "approver.does_not_cover_role" | "approver.holds_approve" | "approver.in_step" | "approver.independent" | "approver.covers_role" | "step.unknown" | "step.satisfied" | "step.counted" | "approval.counted" | "denier.is_requester" | "denier.not_an_approver" | "denial.accepted" | "digest.mismatch" | "digest.content_changed" | "lifecycle.illegal_transition" | "grant.illegal_transition" | "activation.window_passed" | "grant.expired" | "grant.not_active" | "approval.no_longer_counts" | "approval.no_longer_satisfied" | "approval.still_satisfied" | "revalidation.holds" | "provisioning.changed" | "provisioning.unknown" | "extension.none" | "extension.not_a_grant" | "extension.break_glass" | "extension.different_request" | "extension.different_policy" | "extension.policy_changed" | "extension.unanchored" | "extension.past_max_duration" | "extension.entitlement_ends" | "extension.not_later" | "extension.may_ask" | "extension.granted" | "provider.cannot_extend" | "provider.grant_failed" | "provider.revoke_failed" | "provider.extend_failed" | "provision.not_manual" | "provision.not_human" | "provision.no_duty" | "provision.not_requested" | "provision.already_requested" | "provision.holds_duty" | "revoker.not_entitled" | "revoker.requester" | "revoker.administrator" | "sod.own_request" | "sod.not_requester" | "sod.duplicate_approval" | "sod.lifecycle_roles" | "sod.system_actor" | "sod.same_principal" | "sod.rule_conflict" | "sod.conflict_suppressed" | "sod.lifecycle_ok" | "sod.human_only_duty" | "sod.unknown_role" | "sod.assignment_expired" | "sod.no_conflict" | "sod.self_administration" | "sod.own_admin_change" | "sod.own_exception" | "sod.exception_creator" | "sod.own_policy_change" | "sod.certifier_is_holder" | "sod.certifier_assigned" | "sod.exporter_administers" | "sod.exporter_not_auditor" | "sod.exporter_scoped_auditor" | "sod.exporter_ok" | "role.unknown" | "role.standing" | "role.already_active" | "role_activation.not_pending" | "role_activation.not_active" | "role_activation.already_pending" | "role_activation.not_revoker" | "admin.unknown_identity" | "admin.not_administrator" | "admin.author_not_administrator" | "admin.last_holder" | "admin.holds_administer" | "admin.disable_allowed" | "admin.role_change_allowed" | "admin.holders_remain" | "assignment.unknown_role" | "assignment.unknown_subject" | "assignment.expired" | "exception.self_request" | "exception.create_allowed" | "exception.approve_allowed" | "exception.self_revoke" | "exception.revoke_allowed" | "admin_change.approve_allowed" | "admin_change.reject_allowed" | "admin_change.withdrawn" | "resource.connection_free_form" | "resource.connection_not_allowed" | "resource.administrator" | "resource.observer" | "resource.system_observer" | "observation.in_future" | "observation.time_ok" | "reconcile.owned" | "reconcile.age_unknown" | "reconcile.too_young" | "reconcile.in_use" | "reconcile.system" | "reconcile.administrator" | "policy_change.unknown_identity" | "policy_change.disabled" | "policy_change.not_human" | "policy_change.not_administrator" | "policy_change.not_governance_approver" | "policy_change.submit_allowed" | "policy_change.governance_approver" | "policy_change.administrator_approves" | "policy_change.withdrawn" | "policy_change.satisfied" | "policy_change.waiting" | "certification.not_campaign_owner" | "certification.not_reviewer" | "certification.not_human" | "certification.no_certify_duty" | "certification.already_decided" | "certification.window_too_short" | "certification.campaign_owner" | "certification.reviewer" | "certification.certifier_ok" | "certification.window_ok" | "certification.decided" | "certification.escalated" | "certification.missed_privileged" | "certification.missed_revoke" | "certification.missed_escalate" | "token.unknown_identity" | "token.identity_disabled" | "token.ttl_too_long" | "token.chain_ends" | "token.not_self" | "token.not_nhi_owner" | "token.not_owner" | "token.ttl_ok" | "token.operator" | "token.self" | "token.nhi_owner" | "token.own" | "token.administer" | "read.not_reader" | "read.no_profile_duty" | "read.reader_duty" | "read.own_identity" | "read.own_exception" | "read.profile_duty" | "visibility.own" | "visibility.request" | "visibility.approve" | "visibility.provision" | "visibility.use" | "visibility.certify" | "visibility.administer" | "visibility.audit" | "check.grant" | "check.standing_role" | "check.no_grant" | "check.grant_expired" | "check.grant_revoked" | "check.unknown_identity" | "check.identity_disabled" | "check.unknown_resource" | "check.unknown_profile" | "check.unknown_action" | "check.denials_overflowed" | "check_access.self" | "check_access.audit" | "check_access.provision" | "check_access.not_self" | "chat.unknown_user" | "chat.not_human" | "chat.disabled" | "chat.replayed" | "chat.unknown_action" | "audit.clear_secret" | "checkpoint.signed" | "checkpoint.bad_signature" | "checkpoint.due_events" | "checkpoint.due_time" | "checkpoint.requested";
            readonly reasons: {
                /** @enum {string} */
                code: "requester.unknown" | "requester.disabled" | "requester.no_request_duty" | "requester.role_not_activated" | "requester.not_eligible" | "requester.holds_request" | "requester.eligible" | "resource.unknown" | "profile.unknown" | "profile.rebound" | "profile.version_changed" | "action.unknown" | "action.wrong_kind" | "duration.invalid" | "duration.too_long" | "justification.missing" | "justification.too_long" | "ticket.missing" | "ticket.too_long" | "ticket.mismatch" | "params.invalid" | "rule.matched" | "rule.not_matched" | "rule.none_matched" | "rule.state_unknown" | "rule.context_unknown" | "context.value" | "context.unknown" | "rule.evaluation_error" | "rule.unsatisfiable" | "rule.role_default" | "rule.now_denies" | "rule.changed" | "rule.still_auto" | "break_glass.not_offered" | "break_glass.not_human" | "break_glass.not_allowed" | "break_glass.action_not_covered" | "break_glass.not_applied" | "break_glass.no_longer_allowed" | "break_glass.allowed" | "break_glass.rules_skipped" | "break_glass.condition_met" | "break_glass.condition_not_met" | "break_glass.condition_unknown" | "request.not_pending" | "request.no_open_step" | "request.wrong_status" | "request.unresolvable" | "request.approved" | "approver.unknown" | "approver.disabled" | "approver.not_human" | "approver.no_approve_duty" | "approver.not_in_step" | "approver.independence_unknown" | "approver.not_independent" | "approver.does_not_cover_role" | "approver.holds_approve" | "approver.in_step" | "approver.independent" | "approver.covers_role" | "step.unknown" | "step.satisfied" | "step.counted" | "approval.counted" | "denier.is_requester" | "denier.not_an_approver" | "denial.accepted" | "digest.mismatch" | "digest.content_changed" | "lifecycle.illegal_transition" | "grant.illegal_transition" | "activation.window_passed" | "grant.expired" | "grant.not_active" | "approval.no_longer_counts" | "approval.no_longer_satisfied" | "approval.still_satisfied" | "revalidation.holds" | "provisioning.changed" | "provisioning.unknown" | "extension.none" | "extension.not_a_grant" | "extension.break_glass" | "extension.different_request" | "extension.different_policy" | "extension.policy_changed" | "extension.unanchored" | "extension.past_max_duration" | "extension.entitlement_ends" | "extension.not_later" | "extension.may_ask" | "extension.granted" | "provider.cannot_extend" | "provider.grant_failed" | "provider.revoke_failed" | "provider.extend_failed" | "provision.not_manual" | "provision.not_human" | "provision.no_duty" | "provision.not_requested" | "provision.already_requested" | "provision.holds_duty" | "revoker.not_entitled" | "revoker.requester" | "revoker.administrator" | "sod.own_request" | "sod.not_requester" | "sod.duplicate_approval" | "sod.lifecycle_roles" | "sod.system_actor" | "sod.same_principal" | "sod.rule_conflict" | "sod.conflict_suppressed" | "sod.lifecycle_ok" | "sod.human_only_duty" | "sod.unknown_role" | "sod.assignment_expired" | "sod.no_conflict" | "sod.self_administration" | "sod.own_admin_change" | "sod.own_exception" | "sod.exception_creator" | "sod.own_policy_change" | "sod.certifier_is_holder" | "sod.certifier_assigned" | "sod.exporter_administers" | "sod.exporter_not_auditor" | "sod.exporter_scoped_auditor" | "sod.exporter_ok" | "role.unknown" | "role.standing" | "role.already_active" | "role_activation.not_pending" | "role_activation.not_active" | "role_activation.already_pending" | "role_activation.not_revoker" | "admin.unknown_identity" | "admin.not_administrator" | "admin.author_not_administrator" | "admin.last_holder" | "admin.holds_administer" | "admin.disable_allowed" | "admin.role_change_allowed" | "admin.holders_remain" | "assignment.unknown_role" | "assignment.unknown_subject" | "assignment.expired" | "exception.self_request" | "exception.create_allowed" | "exception.approve_allowed" | "exception.self_revoke" | "exception.revoke_allowed" | "admin_change.approve_allowed" | "admin_change.reject_allowed" | "admin_change.withdrawn" | "resource.connection_free_form" | "resource.connection_not_allowed" | "resource.administrator" | "resource.observer" | "resource.system_observer" | "observation.in_future" | "observation.time_ok" | "reconcile.owned" | "reconcile.age_unknown" | "reconcile.too_young" | "reconcile.in_use" | "reconcile.system" | "reconcile.administrator" | "policy_change.unknown_identity" | "policy_change.disabled" | "policy_change.not_human" | "policy_change.not_administrator" | "policy_change.not_governance_approver" | "policy_change.submit_allowed" | "policy_change.governance_approver" | "policy_change.administrator_approves" | "policy_change.withdrawn" | "policy_change.satisfied" | "policy_change.waiting" | "certification.not_campaign_owner" | "certification.not_reviewer" | "certification.not_human" | "certification.no_certify_duty" | "certification.already_decided" | "certification.window_too_short" | "certification.campaign_owner" | "certification.reviewer" | "certification.certifier_ok" | "certification.window_ok" | "certification.decided" | "certification.escalated" | "certification.missed_privileged" | "certification.missed_revoke" | "certification.missed_escalate" | "token.unknown_identity" | "token.identity_disabled" | "token.ttl_too_long" | "token.chain_ends" | "token.not_self" | "token.not_nhi_owner" | "token.not_owner" | "token.ttl_ok" | "token.operator" | "token.self" | "token.nhi_owner" | "token.own" | "token.administer" | "read.not_reader" | "read.no_profile_duty" | "read.reader_duty" | "read.own_identity" | "read.own_exception" | "read.profile_duty" | "visibility.own" | "visibility.request" | "visibility.approve" | "visibility.provision" | "visibility.use" | "visibility.certify" | "visibility.administer" | "visibility.audit" | "check.grant" | "check.standing_role" | "check.no_grant" | "check.grant_expired" | "check.grant_revoked" | "check.unknown_identity" | "check.identity_disabled" | "check.unknown_resource" | "check.unknown_profile" | "check.unknown_action" | "check.denials_overflowed" | "check_access.self" | "check_access.audit" | "check_access.provision" | "check_access.not_self" | "chat.unknown_user" | "chat.not_human" | "chat.disabled" | "chat.replayed" | "chat.unknown_action" | "audit.clear_secret" | "checkpoint.signed" | "checkpoint.bad_signature" | "checkpoint.due_events" | "checkpoint.due_time" | "checkpoint.requested";
                message: string;
            }[];
            readonly steps: {
                readonly eligibleApprovers: string[];
                eligibleCount: number;
                readonly from: string[];
                independent: boolean;
                required: number;
                step: number;
            }[];
            readonly warnings: {
                /** @enum {string} */
                code: "no_eligible_approver";
                message: string;
                step: number;
            }[];
        };
        Resource: {
            attributes: {
                [key: string]: string | number | boolean;
            };
            classification: string | null;
            drift: {
                critical: number;
                high: number;
                low: number;
                medium: number;
            };
            environment: string | null;
            labels: {
                [key: string]: string;
            };
            latestObservationAt: string | null;
            name: string;
            owner: string | null;
            profile: string;
            profileVersion: string | null;
            /** @enum {string} */
            source: "policy" | "api" | "discovery";
        };
        ResourceTimeline: {
            readonly drift: {
                check: string;
                id: string;
                /** Format: date-time */
                openedAt: string;
                /** Format: date-time */
                resolvedAt?: string;
                /** @enum {string} */
                severity: "low" | "medium" | "high" | "critical";
            }[];
            /** Format: date-time */
            from: string;
            readonly grants: {
                action: string;
                breakGlass: boolean;
                /** @description null while the grant may still give access */
                end: string | null;
                identity: string;
                requestId: string;
                /** Format: date-time */
                start: string;
                /** @enum {string} */
                status: "provisioning" | "active" | "revoking" | "revoked" | "expired" | "revoke_failed";
            }[];
            readonly requests: {
                action: string;
                /** Format: date-time */
                createdAt: string;
                /**
                 * Format: date-time
                 * @description when it was approved, denied or cancelled
                 */
                decidedAt?: string;
                id: string;
                requester: string;
                /** @enum {string} */
                status: "pending" | "approved" | "active" | "expired" | "revoked" | "completed" | "denied" | "cancelled" | "timed_out" | "revoke_failed" | "executing" | "needs_review";
            }[];
            resource: components["schemas"]["Resource"];
            /** Format: date-time */
            to: string;
            /** @description true for a list cut at 5000 rows (the most recent kept); narrow the window to see all */
            truncated: {
                drift: boolean;
                grants: boolean;
                requests: boolean;
            };
        };
        RevokedToken: {
            id: string;
            /** Format: date-time */
            revokedAt: string;
        };
        RoleActivation: {
            /** Format: date-time */
            activatedAt?: string;
            readonly approvals: {
                approver: string;
                /** Format: date-time */
                at: string;
                step: number;
            }[];
            /** Format: date-time */
            createdAt: string;
            duration: string;
            durationSeconds: number;
            /** Format: date-time */
            endedAt?: string;
            endedBy?: string;
            /** Format: date-time */
            expiresAt?: string;
            id: string;
            justification?: string;
            /** Format: date-time */
            pendingUntil?: string;
            requester: string;
            role: string;
            rule: string;
            /** @enum {string} */
            status: "pending" | "active" | "expired" | "revoked" | "denied" | "cancelled" | "timed_out";
            statusReason?: string;
            readonly steps: {
                count: number;
                readonly from: string[];
                independent: boolean;
            }[];
            ticket?: string;
        };
        RoleAssignment: {
            /** @enum {string} */
            assignment: "standing" | "eligible";
            createdAt: string | null;
            createdBy: string | null;
            expiresAt: string | null;
            id: string;
            role: string;
            /** @enum {string} */
            source: "policy" | "api";
            subject: string;
        };
        Session: {
            csrfToken?: string;
            expiresAt: string | null;
            identity: string;
            /** @enum {string} */
            method: "api_token" | "oidc" | "login_link";
            sessionId?: string;
        };
        SessionOptions: {
            oidc: boolean;
            /** @constant */
            oidcLoginUrl?: "/auth/oidc/login";
            tokenSignIn: boolean;
        };
        SlackInteractionAnswer: {
            /** @description the reason, when refused */
            message?: string;
            /** @enum {string} */
            outcome: "approved" | "denied" | "refused" | "ignored";
        };
        SodConflict: {
            exception: components["schemas"]["SodException"] | null;
            readonly holdings: {
                /** @enum {string} */
                assignment: "standing" | "eligible";
                /** @enum {string} */
                duty: "request" | "approve" | "provision" | "use" | "certify" | "administer" | "audit";
                role: string;
                via: string;
            }[];
            identity: string;
            message: string;
            profile: string | null;
            rule: string;
            /** @enum {string} */
            scope: "profile" | "global";
        };
        SodException: {
            approvedAt: string | null;
            approvedBy: string | null;
            compensatingControl: string;
            /** Format: date-time */
            createdAt: string;
            createdBy: string;
            /** Format: date-time */
            expiresAt: string;
            id: string;
            identity: string;
            justification: string;
            revokedAt: string | null;
            revokedBy: string | null;
            rule: string;
            /** @enum {string} */
            status: "pending" | "active" | "expired" | "revoked";
        };
        SodScan: {
            /** Format: date-time */
            at: string;
            readonly conflicts: components["schemas"]["SodConflict"][];
            readonly humanOnly: {
                /** @enum {string} */
                duty: "request" | "approve" | "provision" | "use" | "certify" | "administer" | "audit";
                identity: string;
                message: string;
                role: string;
            }[];
            identities: number;
            rules: number;
            suppressed: number;
            unsuppressed: number;
        };
        Token: {
            /** Format: date-time */
            createdAt: string;
            createdBy: string;
            description: string | null;
            /** Format: date-time */
            expiresAt: string;
            id: string;
            identity: string;
            lastUsedAt: string | null;
            prefix: string;
            revokedAt: string | null;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    finishOidcSignIn: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
        };
    };
    startOidcSignIn: {
        parameters: {
            query?: {
                return?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
        };
    };
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        status: "ok" | "ready" | "starting" | "database_unavailable";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
        };
    };
    getMetrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Database unavailable: `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "database_unavailable";
                    };
                };
            };
        };
    };
    getReadiness: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        status: "ok" | "ready" | "starting" | "database_unavailable";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Default Response */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        status: "ok" | "ready" | "starting" | "database_unavailable";
                    };
                };
            };
        };
    };
    listAdminChanges: {
        parameters: {
            query?: {
                kind?: "role_assignment" | "resource";
                limit?: number;
                status?: "pending" | "applied" | "rejected" | "cancelled" | "expired";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        readonly changes: components["schemas"]["AdminChange"][];
                    };
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Database unavailable: `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "database_unavailable";
                    };
                };
            };
        };
    };
    getAdminChange: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AdminChange"];
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                    };
                };
            };
            /** @description URI too long: `invalid` */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Database unavailable: `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "database_unavailable";
                    };
                };
            };
        };
    };
    approveAdminChange: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    digest?: string;
                } | null;
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AdminChange"];
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden`, `sod_violation` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden" | "sod_violation";
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                    };
                };
            };
            /** @description Conflict: `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "conflict";
                    };
                };
            };
            /** @description Content too large: `invalid` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description URI too long: `invalid` */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Unsupported media type: `invalid` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Audit log unavailable: `audit_unavailable`, `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "audit_unavailable" | "database_unavailable";
                    };
                };
            };
        };
    };
    rejectAdminChange: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    reason: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AdminChange"];
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                    };
                };
            };
            /** @description Conflict: `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "conflict";
                    };
                };
            };
            /** @description Content too large: `invalid` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description URI too long: `invalid` */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Unsupported media type: `invalid` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Audit log unavailable: `audit_unavailable`, `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "audit_unavailable" | "database_unavailable";
                    };
                };
            };
        };
    };
    listAuditCheckpoints: {
        parameters: {
            query?: {
                after?: number;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        readonly checkpoints: components["schemas"]["AuditCheckpoint"][];
                    };
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Database unavailable: `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "database_unavailable";
                    };
                };
            };
        };
    };
    listAuditEvents: {
        parameters: {
            query?: {
                action?: string;
                actor?: string;
                after?: number;
                /** @description events the identity caused, about it, or on its requests and grants */
                identity?: string;
                limit?: number;
                /** @description true: open the sealed output values (provider errors, rows, command output); audited */
                open?: "true" | "false";
                /** @description events on the request and on its grant */
                request?: string;
                /** @description events on the resource and on the requests and grants for it */
                resource?: string;
                subject?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        readonly events: components["schemas"]["AuditEvent"][];
                        next: number | null;
                    };
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Database unavailable: `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "database_unavailable";
                    };
                };
            };
        };
    };
    getAuditStatus: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditStatus"];
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Database unavailable: `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "database_unavailable";
                    };
                };
            };
        };
    };
    listAuditStreams: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditStreams"];
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Database unavailable: `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "database_unavailable";
                    };
                };
            };
        };
    };
    verifyAuditLog: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditVerification"];
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Database unavailable: `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "database_unavailable";
                    };
                };
            };
        };
    };
    requestBreakGlass: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    action: string;
                    duration: string;
                    justification?: string;
                    params?: {
                        [key: string]: unknown;
                    };
                    resource: string;
                    ticket?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Activation"];
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden`, `policy_denied` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden" | "policy_denied";
                    };
                };
            };
            /** @description Conflict: `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "conflict";
                    };
                };
            };
            /** @description Content too large: `invalid` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Unsupported media type: `invalid` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Provider failed: `provider_failed` */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "provider_failed";
                    };
                };
            };
            /** @description Audit log unavailable: `audit_unavailable`, `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "audit_unavailable" | "database_unavailable";
                    };
                };
            };
        };
    };
    reviewBreakGlass: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    comment?: string;
                    /** @enum {string} */
                    decision: "keep" | "revoke";
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BreakGlassReviewResult"];
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                    };
                };
            };
            /** @description Conflict: `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "conflict";
                    };
                };
            };
            /** @description Content too large: `invalid` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description URI too long: `invalid` */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Unsupported media type: `invalid` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Audit log unavailable: `audit_unavailable`, `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "audit_unavailable" | "database_unavailable";
                    };
                };
            };
        };
    };
    listBreakGlassReviews: {
        parameters: {
            query?: {
                limit?: number;
                status?: "unreviewed" | "overdue" | "all";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        reviews: components["schemas"]["BreakGlassReview"][];
                    };
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Database unavailable: `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "database_unavailable";
                    };
                };
            };
        };
    };
    listCertifications: {
        parameters: {
            query?: {
                status?: "open" | "closed";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        campaigns: components["schemas"]["CertificationCampaign"][];
                    };
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Database unavailable: `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "database_unavailable";
                    };
                };
            };
        };
    };
    createCertification: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description when unreviewed items are revoked or escalated */
                    deadline: string;
                    kinds: ("role_assignment" | "grant" | "break_glass" | "high_risk_request")[];
                    name: string;
                    /** @enum {string} */
                    onMissed?: "revoke" | "escalate";
                    /** @description the period whose access is reviewed */
                    period: {
                        from: string;
                        to: string;
                    };
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CertificationCampaignDetail"];
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Conflict: `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "conflict";
                    };
                };
            };
            /** @description Content too large: `invalid` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Unsupported media type: `invalid` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Audit log unavailable: `audit_unavailable`, `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "audit_unavailable" | "database_unavailable";
                    };
                };
            };
        };
    };
    getCertification: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CertificationCampaignDetail"];
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                    };
                };
            };
            /** @description URI too long: `invalid` */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Database unavailable: `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "database_unavailable";
                    };
                };
            };
        };
    };
    decideCertificationItem: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                itemId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    comment?: string;
                    /** @enum {string} */
                    decision: "keep" | "revoke";
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CertificationDecision"];
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                    };
                };
            };
            /** @description Conflict: `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "conflict";
                    };
                };
            };
            /** @description Content too large: `invalid` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description URI too long: `invalid` */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Unsupported media type: `invalid` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Audit log unavailable: `audit_unavailable`, `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "audit_unavailable" | "database_unavailable";
                    };
                };
            };
        };
    };
    checkAccess: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CheckQueryInput"];
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CheckAnswer"];
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Content too large: `invalid` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Unsupported media type: `invalid` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Database unavailable: `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "database_unavailable";
                    };
                };
            };
        };
    };
    getDrift: {
        parameters: {
            query?: {
                limit?: number;
                resource?: string;
                severity?: "low" | "medium" | "high" | "critical";
                status?: "open" | "resolved";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        readonly findings: components["schemas"]["DriftFinding"][];
                    };
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Database unavailable: `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "database_unavailable";
                    };
                };
            };
        };
    };
    exportEvidence: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description an ISO 8601 date (a date-only `to` includes that whole day) or an RFC 3339 date-time with its zone */
                    from: string;
                    /** @description an ISO 8601 date (a date-only `to` includes that whole day) or an RFC 3339 date-time with its zone */
                    to: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EvidenceBundle"];
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Conflict: `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "conflict";
                    };
                };
            };
            /** @description Content too large: `invalid` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Unsupported media type: `invalid` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Audit log unavailable: `audit_unavailable`, `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "audit_unavailable" | "database_unavailable";
                    };
                };
            };
        };
    };
    listExceptions: {
        parameters: {
            query?: {
                identity?: string;
                rule?: string;
                status?: "pending" | "active" | "expired" | "revoked";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        readonly exceptions: components["schemas"]["SodException"][];
                    };
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Database unavailable: `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "database_unavailable";
                    };
                };
            };
        };
    };
    createException: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    compensatingControl: string;
                    /** @description RFC 3339 expiry (with its zone), at most one year away */
                    expiresAt: string;
                    identity: string;
                    justification: string;
                    rule: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SodException"];
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                    };
                };
            };
            /** @description Conflict: `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "conflict";
                    };
                };
            };
            /** @description Content too large: `invalid` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Unsupported media type: `invalid` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Audit log unavailable: `audit_unavailable`, `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "audit_unavailable" | "database_unavailable";
                    };
                };
            };
        };
    };
    approveException: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SodException"];
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                    };
                };
            };
            /** @description Conflict: `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "conflict";
                    };
                };
            };
            /** @description Content too large: `invalid` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description URI too long: `invalid` */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Unsupported media type: `invalid` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Audit log unavailable: `audit_unavailable`, `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "audit_unavailable" | "database_unavailable";
                    };
                };
            };
        };
    };
    revokeException: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    reason?: string;
                } | null;
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SodException"];
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                    };
                };
            };
            /** @description Conflict: `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "conflict";
                    };
                };
            };
            /** @description Content too large: `invalid` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description URI too long: `invalid` */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Unsupported media type: `invalid` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Audit log unavailable: `audit_unavailable`, `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "audit_unavailable" | "database_unavailable";
                    };
                };
            };
        };
    };
    listGrants: {
        parameters: {
            query?: {
                identity?: string;
                limit?: number;
                resource?: string;
                /** @description comma-separated: provisioning, active, revoking, revoked, expired, revoke_failed (default active) */
                status?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        grants: components["schemas"]["Grant"][];
                    };
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Database unavailable: `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "database_unavailable";
                    };
                };
            };
        };
    };
    listIdentities: {
        parameters: {
            query?: {
                after?: string;
                kind?: "human" | "service" | "pipeline" | "workload";
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        readonly identities: components["schemas"]["Identity"][];
                        next: string | null;
                    };
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Database unavailable: `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "database_unavailable";
                    };
                };
            };
        };
    };
    getIdentity: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Identity"];
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                    };
                };
            };
            /** @description URI too long: `invalid` */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Database unavailable: `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "database_unavailable";
                    };
                };
            };
        };
    };
    disableIdentity: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    reason?: string;
                } | null;
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DisabledIdentity"];
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                    };
                };
            };
            /** @description Conflict: `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "conflict";
                    };
                };
            };
            /** @description Content too large: `invalid` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description URI too long: `invalid` */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Unsupported media type: `invalid` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Audit log unavailable: `audit_unavailable`, `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "audit_unavailable" | "database_unavailable";
                    };
                };
            };
        };
    };
    getInbox: {
        parameters: {
            query?: {
                /** @description the `nextCursor` of the previous page */
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Inbox"];
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Database unavailable: `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "database_unavailable";
                    };
                };
            };
        };
    };
    postSlackInteraction: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": string;
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SlackInteractionAnswer"];
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Content too large: `invalid` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Unsupported media type: `invalid` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
        };
    };
    getMe: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Me"];
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Database unavailable: `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "database_unavailable";
                    };
                };
            };
        };
    };
    listSessions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        sessions: components["schemas"]["OpenSession"][];
                    };
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Database unavailable: `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "database_unavailable";
                    };
                };
            };
        };
    };
    endSession: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description ended */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                    };
                };
            };
            /** @description Conflict: `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "conflict";
                    };
                };
            };
            /** @description Content too large: `invalid` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description URI too long: `invalid` */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Unsupported media type: `invalid` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Audit log unavailable: `audit_unavailable`, `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "audit_unavailable" | "database_unavailable";
                    };
                };
            };
        };
    };
    listNotificationDeliveries: {
        parameters: {
            query?: {
                limit?: number;
                status?: "pending" | "delivered" | "failed";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        readonly deliveries: components["schemas"]["Delivery"][];
                    };
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Database unavailable: `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "database_unavailable";
                    };
                };
            };
        };
    };
    retryNotificationDelivery: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Delivery"];
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                    };
                };
            };
            /** @description Conflict: `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "conflict";
                    };
                };
            };
            /** @description Content too large: `invalid` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description URI too long: `invalid` */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Unsupported media type: `invalid` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Audit log unavailable: `audit_unavailable`, `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "audit_unavailable" | "database_unavailable";
                    };
                };
            };
        };
    };
    listPolicyChanges: {
        parameters: {
            query?: {
                limit?: number;
                status?: "pending" | "applied" | "rejected" | "cancelled";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        readonly changes: components["schemas"]["PolicyChange"][];
                    };
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Database unavailable: `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "database_unavailable";
                    };
                };
            };
        };
    };
    createPolicyChange: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    description?: string;
                    files: {
                        path: string;
                        text: string;
                    }[];
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PolicyChange"];
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Conflict: `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "conflict";
                    };
                };
            };
            /** @description Content too large: `invalid` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Unsupported media type: `invalid` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Audit log unavailable: `audit_unavailable`, `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "audit_unavailable" | "database_unavailable";
                    };
                };
            };
        };
    };
    getPolicyChange: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PolicyChangeDetail"];
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                    };
                };
            };
            /** @description URI too long: `invalid` */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Database unavailable: `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "database_unavailable";
                    };
                };
            };
        };
    };
    approvePolicyChange: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    digest: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        applied: {
                            readonly changedProfiles: {
                                from: string | null;
                                name: string;
                                to: string;
                            }[];
                            loadId: string;
                            policyHash: string;
                            readonly removedProfiles: string[];
                        } | null;
                        change: components["schemas"]["PolicyChange"];
                    };
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                    };
                };
            };
            /** @description Conflict: `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "conflict";
                    };
                };
            };
            /** @description Content too large: `invalid` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description URI too long: `invalid` */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Unsupported media type: `invalid` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Audit log unavailable: `audit_unavailable`, `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "audit_unavailable" | "database_unavailable";
                    };
                };
            };
        };
    };
    rejectPolicyChange: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    reason: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PolicyChange"];
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                    };
                };
            };
            /** @description Conflict: `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "conflict";
                    };
                };
            };
            /** @description Content too large: `invalid` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description URI too long: `invalid` */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Unsupported media type: `invalid` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Audit log unavailable: `audit_unavailable`, `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "audit_unavailable" | "database_unavailable";
                    };
                };
            };
        };
    };
    planPolicyChange: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    description?: string;
                    files: {
                        path: string;
                        text: string;
                    }[];
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PolicyPlan"];
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Content too large: `invalid` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Unsupported media type: `invalid` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Database unavailable: `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "database_unavailable";
                    };
                };
            };
        };
    };
    listProfiles: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        readonly profiles: components["schemas"]["ProfileSummary"][];
                    };
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Database unavailable: `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "database_unavailable";
                    };
                };
            };
        };
    };
    getProfile: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Profile"];
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                    };
                };
            };
            /** @description URI too long: `invalid` */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Database unavailable: `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "database_unavailable";
                    };
                };
            };
        };
    };
    getProfileExplain: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProfileExplanation"];
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                    };
                };
            };
            /** @description URI too long: `invalid` */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Database unavailable: `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "database_unavailable";
                    };
                };
            };
        };
    };
    listProfileVersions: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        readonly versions: components["schemas"]["ProfileVersion"][];
                    };
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                    };
                };
            };
            /** @description URI too long: `invalid` */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Database unavailable: `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "database_unavailable";
                    };
                };
            };
        };
    };
    requestFromRefusal: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    duration?: string;
                    justification?: string;
                    ticket?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Request"];
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden`, `policy_denied` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden" | "policy_denied";
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                    };
                };
            };
            /** @description Conflict: `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "conflict";
                    };
                };
            };
            /** @description Content too large: `invalid` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description URI too long: `invalid` */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Unsupported media type: `invalid` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Audit log unavailable: `audit_unavailable`, `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "audit_unavailable" | "database_unavailable";
                    };
                };
            };
        };
    };
    getRequestable: {
        parameters: {
            query?: {
                /** @description the `nextCursor` of the previous page */
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Requestable"];
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Database unavailable: `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "database_unavailable";
                    };
                };
            };
        };
    };
    listRequests: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
                requester?: string;
                resource?: string;
                /** @description comma-separated: pending, approved, active, expired, revoked, completed, denied, cancelled, timed_out, revoke_failed, executing, needs_review */
                status?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        nextCursor?: string;
                        readonly requests: components["schemas"]["Request"][];
                    };
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Database unavailable: `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "database_unavailable";
                    };
                };
            };
        };
    };
    createRequest: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    action: string;
                    duration: string;
                    justification?: string;
                    params?: {
                        [key: string]: unknown;
                    };
                    resource: string;
                    ticket?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Request"];
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden`, `policy_denied` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden" | "policy_denied";
                    };
                };
            };
            /** @description Conflict: `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "conflict";
                    };
                };
            };
            /** @description Content too large: `invalid` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Unsupported media type: `invalid` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Audit log unavailable: `audit_unavailable`, `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "audit_unavailable" | "database_unavailable";
                    };
                };
            };
        };
    };
    getRequest: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Request"];
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                    };
                };
            };
            /** @description URI too long: `invalid` */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Database unavailable: `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "database_unavailable";
                    };
                };
            };
        };
    };
    activateRequest: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Activation"];
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden`, `policy_denied` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden" | "policy_denied";
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                    };
                };
            };
            /** @description Conflict: `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "conflict";
                    };
                };
            };
            /** @description Content too large: `invalid` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description URI too long: `invalid` */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Unsupported media type: `invalid` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Provider failed: `provider_failed` */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "provider_failed";
                    };
                };
            };
            /** @description Audit log unavailable: `audit_unavailable`, `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "audit_unavailable" | "database_unavailable";
                    };
                };
            };
        };
    };
    approveRequest: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    comment?: string;
                    /** @description the digest you saw (`digest` of the request): the approval binds to exactly that content */
                    digest?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Request"];
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden`, `policy_denied`, `sod_violation` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden" | "policy_denied" | "sod_violation";
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                    };
                };
            };
            /** @description Conflict: `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "conflict";
                    };
                };
            };
            /** @description Content too large: `invalid` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description URI too long: `invalid` */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Unsupported media type: `invalid` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Audit log unavailable: `audit_unavailable`, `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "audit_unavailable" | "database_unavailable";
                    };
                };
            };
        };
    };
    cancelRequest: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    reason?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Request"];
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                    };
                };
            };
            /** @description Conflict: `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "conflict";
                    };
                };
            };
            /** @description Content too large: `invalid` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description URI too long: `invalid` */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Unsupported media type: `invalid` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Audit log unavailable: `audit_unavailable`, `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "audit_unavailable" | "database_unavailable";
                    };
                };
            };
        };
    };
    completeRequest: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    reason?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Request"];
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                    };
                };
            };
            /** @description Conflict: `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "conflict";
                    };
                };
            };
            /** @description Content too large: `invalid` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description URI too long: `invalid` */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Unsupported media type: `invalid` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Provider failed: `provider_failed` */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "provider_failed";
                    };
                };
            };
            /** @description Audit log unavailable: `audit_unavailable`, `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "audit_unavailable" | "database_unavailable";
                    };
                };
            };
        };
    };
    denyRequest: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    reason?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Request"];
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                    };
                };
            };
            /** @description Conflict: `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "conflict";
                    };
                };
            };
            /** @description Content too large: `invalid` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description URI too long: `invalid` */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Unsupported media type: `invalid` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Audit log unavailable: `audit_unavailable`, `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "audit_unavailable" | "database_unavailable";
                    };
                };
            };
        };
    };
    executeRequest: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description the digest you saw (`digest` of the request): the approval binds to exactly that content */
                    digest?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Execution"];
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden`, `policy_denied` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden" | "policy_denied";
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                    };
                };
            };
            /** @description Conflict: `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "conflict";
                    };
                };
            };
            /** @description Content too large: `invalid` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description URI too long: `invalid` */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Unsupported media type: `invalid` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Provider failed: `provider_failed` */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "provider_failed";
                    };
                };
            };
            /** @description Audit log unavailable: `audit_unavailable`, `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "audit_unavailable" | "database_unavailable";
                    };
                };
            };
        };
    };
    extendRequest: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    duration: string;
                    justification?: string;
                    ticket?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Extension"];
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden`, `policy_denied` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden" | "policy_denied";
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                    };
                };
            };
            /** @description Conflict: `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "conflict";
                    };
                };
            };
            /** @description Content too large: `invalid` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description URI too long: `invalid` */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Unsupported media type: `invalid` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Provider failed: `provider_failed` */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "provider_failed";
                    };
                };
            };
            /** @description Audit log unavailable: `audit_unavailable`, `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "audit_unavailable" | "database_unavailable";
                    };
                };
            };
        };
    };
    provisionRequest: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description what you did, kept in the audit log */
                    note?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Request"];
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden`, `sod_violation` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden" | "sod_violation";
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                    };
                };
            };
            /** @description Conflict: `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "conflict";
                    };
                };
            };
            /** @description Content too large: `invalid` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description URI too long: `invalid` */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Unsupported media type: `invalid` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Audit log unavailable: `audit_unavailable`, `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "audit_unavailable" | "database_unavailable";
                    };
                };
            };
        };
    };
    revokeRequest: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    reason?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Request"];
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                    };
                };
            };
            /** @description Conflict: `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "conflict";
                    };
                };
            };
            /** @description Content too large: `invalid` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description URI too long: `invalid` */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Unsupported media type: `invalid` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Provider failed: `provider_failed` */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "provider_failed";
                    };
                };
            };
            /** @description Audit log unavailable: `audit_unavailable`, `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "audit_unavailable" | "database_unavailable";
                    };
                };
            };
        };
    };
    createRequestPreview: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    action: string;
                    duration: string;
                    justification?: string;
                    params?: {
                        [key: string]: unknown;
                    };
                    resource: string;
                    ticket?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RequestPreview"];
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Conflict: `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "conflict";
                    };
                };
            };
            /** @description Content too large: `invalid` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Unsupported media type: `invalid` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Audit log unavailable: `audit_unavailable`, `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "audit_unavailable" | "database_unavailable";
                    };
                };
            };
        };
    };
    listResources: {
        parameters: {
            query?: {
                profile?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        readonly resources: components["schemas"]["Resource"][];
                    };
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Database unavailable: `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "database_unavailable";
                    };
                };
            };
        };
    };
    getResource: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Resource"];
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                    };
                };
            };
            /** @description URI too long: `invalid` */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Database unavailable: `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "database_unavailable";
                    };
                };
            };
        };
    };
    putResource: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    attributes?: {
                        [key: string]: string | number | boolean;
                    };
                    /** @description { name } of a connection the operator allow-listed ('serve --allow-connection'); nothing else */
                    connection?: {
                        [key: string]: string;
                    };
                    labels?: {
                        [key: string]: string;
                    };
                    owner?: string;
                    profile: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Resource"];
                };
            };
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AdminChange"];
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                    };
                };
            };
            /** @description Conflict: `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "conflict";
                    };
                };
            };
            /** @description Content too large: `invalid` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description URI too long: `invalid` */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Unsupported media type: `invalid` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Audit log unavailable: `audit_unavailable`, `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "audit_unavailable" | "database_unavailable";
                    };
                };
            };
        };
    };
    listResourceObservations: {
        parameters: {
            query?: {
                limit?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        readonly observations: components["schemas"]["ObservationRecord"][];
                    };
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                    };
                };
            };
            /** @description URI too long: `invalid` */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Database unavailable: `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "database_unavailable";
                    };
                };
            };
        };
    };
    createResourceObservation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    config: {
                        [key: string]: unknown;
                    };
                    /** @description when the configuration was seen, RFC 3339 with its zone (default: now) */
                    observedAt?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Observation"];
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                    };
                };
            };
            /** @description Conflict: `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "conflict";
                    };
                };
            };
            /** @description Content too large: `invalid` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description URI too long: `invalid` */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Unsupported media type: `invalid` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Audit log unavailable: `audit_unavailable`, `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "audit_unavailable" | "database_unavailable";
                    };
                };
            };
        };
    };
    observeResource: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Observation"];
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                    };
                };
            };
            /** @description Conflict: `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "conflict";
                    };
                };
            };
            /** @description Content too large: `invalid` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description URI too long: `invalid` */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Unsupported media type: `invalid` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Provider failed: `provider_failed` */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "provider_failed";
                    };
                };
            };
            /** @description Audit log unavailable: `audit_unavailable`, `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "audit_unavailable" | "database_unavailable";
                    };
                };
            };
        };
    };
    getResourceTimeline: {
        parameters: {
            query?: {
                /** @description start of the window, ISO 8601 (default: 30 days before to) */
                from?: string;
                /** @description end of the window, ISO 8601 (default: now) */
                to?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ResourceTimeline"];
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                    };
                };
            };
            /** @description URI too long: `invalid` */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Database unavailable: `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "database_unavailable";
                    };
                };
            };
        };
    };
    listRoleActivations: {
        parameters: {
            query?: {
                limit?: number;
                requester?: string;
                role?: string;
                /** @description comma-separated: pending, active, expired, revoked, denied, cancelled, timed_out */
                status?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        readonly roleActivations: components["schemas"]["RoleActivation"][];
                    };
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Database unavailable: `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "database_unavailable";
                    };
                };
            };
        };
    };
    createRoleActivation: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    duration: string;
                    justification?: string;
                    role: string;
                    ticket?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RoleActivation"];
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden`, `policy_denied` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden" | "policy_denied";
                    };
                };
            };
            /** @description Conflict: `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "conflict";
                    };
                };
            };
            /** @description Content too large: `invalid` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Unsupported media type: `invalid` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Audit log unavailable: `audit_unavailable`, `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "audit_unavailable" | "database_unavailable";
                    };
                };
            };
        };
    };
    getRoleActivation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RoleActivation"];
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                    };
                };
            };
            /** @description URI too long: `invalid` */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Database unavailable: `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "database_unavailable";
                    };
                };
            };
        };
    };
    approveRoleActivation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    reason?: string;
                } | null;
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RoleActivation"];
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden`, `sod_violation` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden" | "sod_violation";
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                    };
                };
            };
            /** @description Conflict: `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "conflict";
                    };
                };
            };
            /** @description Content too large: `invalid` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description URI too long: `invalid` */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Unsupported media type: `invalid` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Audit log unavailable: `audit_unavailable`, `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "audit_unavailable" | "database_unavailable";
                    };
                };
            };
        };
    };
    cancelRoleActivation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    reason?: string;
                } | null;
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RoleActivation"];
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                    };
                };
            };
            /** @description Conflict: `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "conflict";
                    };
                };
            };
            /** @description Content too large: `invalid` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description URI too long: `invalid` */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Unsupported media type: `invalid` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Audit log unavailable: `audit_unavailable`, `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "audit_unavailable" | "database_unavailable";
                    };
                };
            };
        };
    };
    denyRoleActivation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    reason?: string;
                } | null;
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RoleActivation"];
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                    };
                };
            };
            /** @description Conflict: `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "conflict";
                    };
                };
            };
            /** @description Content too large: `invalid` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description URI too long: `invalid` */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Unsupported media type: `invalid` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Audit log unavailable: `audit_unavailable`, `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "audit_unavailable" | "database_unavailable";
                    };
                };
            };
        };
    };
    revokeRoleActivation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    reason?: string;
                } | null;
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RoleActivation"];
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                    };
                };
            };
            /** @description Conflict: `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "conflict";
                    };
                };
            };
            /** @description Content too large: `invalid` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description URI too long: `invalid` */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Unsupported media type: `invalid` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Audit log unavailable: `audit_unavailable`, `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "audit_unavailable" | "database_unavailable";
                    };
                };
            };
        };
    };
    listRoleAssignments: {
        parameters: {
            query?: {
                role?: string;
                source?: "policy" | "api";
                subject?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        readonly assignments: components["schemas"]["RoleAssignment"][];
                    };
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Database unavailable: `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "database_unavailable";
                    };
                };
            };
        };
    };
    createRoleAssignment: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    assignment?: "standing" | "eligible";
                    /** @description RFC 3339 time (with its zone) after which the assignment no longer counts */
                    expiresAt?: string;
                    role: string;
                    subject: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AdminChange"];
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden`, `sod_violation` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden" | "sod_violation";
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                    };
                };
            };
            /** @description Conflict: `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "conflict";
                    };
                };
            };
            /** @description Content too large: `invalid` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Unsupported media type: `invalid` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Audit log unavailable: `audit_unavailable`, `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "audit_unavailable" | "database_unavailable";
                    };
                };
            };
        };
    };
    removeRoleAssignment: {
        parameters: {
            query?: {
                reason?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RemovedRoleAssignment"];
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                    };
                };
            };
            /** @description Conflict: `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "conflict";
                    };
                };
            };
            /** @description Content too large: `invalid` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description URI too long: `invalid` */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Unsupported media type: `invalid` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Audit log unavailable: `audit_unavailable`, `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "audit_unavailable" | "database_unavailable";
                    };
                };
            };
        };
    };
    getSession: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Session"];
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Database unavailable: `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "database_unavailable";
                    };
                };
            };
        };
    };
    signInWithToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description an API token (cs_…) */
                    token: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Session"];
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Content too large: `invalid` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Unsupported media type: `invalid` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
        };
    };
    signOut: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description signed out */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Conflict: `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "conflict";
                    };
                };
            };
            /** @description Content too large: `invalid` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Unsupported media type: `invalid` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Audit log unavailable: `audit_unavailable`, `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "audit_unavailable" | "database_unavailable";
                    };
                };
            };
        };
    };
    signInWithLink: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description the secret of a login link */
                    link: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Session"];
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Content too large: `invalid` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Unsupported media type: `invalid` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
        };
    };
    getSignInOptions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionOptions"];
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
        };
    };
    listGatewaySessions: {
        parameters: {
            query?: {
                grant?: string;
                identity?: string;
                limit?: number;
                resource?: string;
                status?: "open" | "closed" | "abnormal";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        readonly sessions: components["schemas"]["GatewaySession"][];
                    };
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Database unavailable: `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "database_unavailable";
                    };
                };
            };
        };
    };
    getGatewaySession: {
        parameters: {
            query?: {
                after?: number;
                limit?: number;
                /** @description true: the statements' text and parameters too (audit holders; the opening is audited) */
                open?: "true" | "false";
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewaySessionDetail"];
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                    };
                };
            };
            /** @description URI too long: `invalid` */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Database unavailable: `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "database_unavailable";
                    };
                };
            };
        };
    };
    listSodConflicts: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SodScan"];
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Database unavailable: `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "database_unavailable";
                    };
                };
            };
        };
    };
    listStatApprovals: {
        parameters: {
            query?: {
                /** @description days of decisions to cover (default 7d) */
                window?: "7d" | "30d" | "90d";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApprovalStats"];
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Database unavailable: `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "database_unavailable";
                    };
                };
            };
        };
    };
    listTokens: {
        parameters: {
            query?: {
                all?: "true" | "false";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        tokens: components["schemas"]["Token"][];
                    };
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Database unavailable: `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "database_unavailable";
                    };
                };
            };
        };
    };
    createToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    description?: string;
                    /** @description whose token: yourself (default) or a non-human identity you own */
                    identity?: string;
                    /** @description lifetime such as 1h (default 1h; at most 12h for humans, 30d for NHIs) */
                    ttl?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IssuedToken"];
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                    };
                };
            };
            /** @description Conflict: `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "conflict";
                    };
                };
            };
            /** @description Content too large: `invalid` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Unsupported media type: `invalid` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Audit log unavailable: `audit_unavailable`, `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "audit_unavailable" | "database_unavailable";
                    };
                };
            };
        };
    };
    revokeToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RevokedToken"];
                };
            };
            /** @description Invalid input: `invalid` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Authentication required: `unauthenticated` */
            401: {
                headers: {
                    /** @description Bearer realm="countersign" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "unauthenticated";
                    };
                };
            };
            /** @description Forbidden: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "not_found";
                    };
                };
            };
            /** @description Conflict: `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "conflict";
                    };
                };
            };
            /** @description Content too large: `invalid` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description URI too long: `invalid` */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Unsupported media type: `invalid` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "invalid";
                    };
                };
            };
            /** @description Too many requests: `rate_limited` */
            429: {
                headers: {
                    /** @description seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
            /** @description Internal error: `internal` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "internal";
                    };
                };
            };
            /** @description Audit log unavailable: `audit_unavailable`, `database_unavailable` */
            503: {
                headers: {
                    /** @description seconds to wait before trying again (when known) */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {unknown} */
                        code?: "audit_unavailable" | "database_unavailable";
                    };
                };
            };
        };
    };
}
