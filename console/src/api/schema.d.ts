// Generated from /openapi.json by openapi-typescript (npm run console:api); do not edit by hand.
export interface paths {
  '/healthz': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Liveness: 200 while the process runs */
    get: {
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
            'application/json': {
              /** @enum {string} */
              status: 'ok' | 'ready' | 'starting' | 'database_unavailable';
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/metrics': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Prometheus metrics (an 'audit' holder, or the configured scrape secret) */
    get: {
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
          content?: never;
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/readyz': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Readiness: 200 once migrations, policy and scheduler are up and while the database answers */
    get: {
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
            'application/json': {
              /** @enum {string} */
              status: 'ok' | 'ready' | 'starting' | 'database_unavailable';
            };
          };
        };
        /** @description Default Response */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** @enum {string} */
              status: 'ok' | 'ready' | 'starting' | 'database_unavailable';
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/admin-changes': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Administrative changes waiting for, or decided by, a second administrator ('administer' or 'audit') */
    get: {
      parameters: {
        query?: {
          kind?: 'role_assignment' | 'resource';
          limit?: number;
          status?: 'pending' | 'applied' | 'rejected' | 'cancelled' | 'expired';
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
            'application/json': {
              readonly changes: components['schemas']['AdminChange'][];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/admin-changes/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One administrative change */
    get: {
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
            'application/json': components['schemas']['AdminChange'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/admin-changes/{id}/approve': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Approve a change as a second administrator; it is checked again and applied at once */
    post: {
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
          'application/json': {
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
            'application/json': components['schemas']['AdminChange'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/admin-changes/{id}/reject': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Reject a change, or withdraw your own */
    post: {
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
          'application/json': {
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
            'application/json': components['schemas']['AdminChange'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/audit/checkpoints': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Signed checkpoints of the audit log, by ascending size */
    get: {
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
            'application/json': {
              readonly checkpoints: components['schemas']['AuditCheckpoint'][];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/audit/events': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Audit events in seq order after a given seq, optionally of one actor, action or subject (an auditor of some profiles reads only theirs) */
    get: {
      parameters: {
        query?: {
          action?: string;
          actor?: string;
          after?: number;
          limit?: number;
          /** @description true: open the sealed output values (provider errors, rows, command output); audited */
          open?: 'true' | 'false';
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
            'application/json': {
              readonly events: components['schemas']['AuditEvent'][];
              next: number | null;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/audit/verify': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Verify the stored audit log (hash chain and checkpoints); large logs: countersign audit verify */
    get: {
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
            'application/json': components['schemas']['AuditVerification'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/break-glass': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Emergency access at once, within the profile break-glass limits; reviewed afterwards */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
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
            'application/json': components['schemas']['Activation'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/break-glass/{id}/review': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Review a break-glass use: keep it, or revoke its grant at once */
    post: {
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
          'application/json': {
            comment?: string;
            /** @enum {string} */
            decision: 'keep' | 'revoke';
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
            'application/json': components['schemas']['BreakGlassReviewResult'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/break-glass/reviews': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Break-glass uses awaiting review (or overdue, or all) */
    get: {
      parameters: {
        query?: {
          limit?: number;
          status?: 'unreviewed' | 'overdue' | 'all';
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
            'application/json': {
              reviews: components['schemas']['BreakGlassReview'][];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/certifications': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Certification campaigns, newest first (certify, audit or administer holders) */
    get: {
      parameters: {
        query?: {
          status?: 'open' | 'closed';
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
            'application/json': {
              campaigns: components['schemas']['CertificationCampaign'][];
            };
          };
        };
      };
    };
    put?: never;
    /** Open a certification campaign; its items are generated at once (certify or administer holders) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            deadline: number;
            kinds: ('role_assignment' | 'grant' | 'break_glass' | 'high_risk_request')[];
            name: string;
            /** @enum {string} */
            onMissed?: 'revoke' | 'escalate';
            period: {
              from: number;
              to: number;
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
            'application/json': components['schemas']['CertificationCampaignDetail'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/certifications/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One campaign with its items */
    get: {
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
            'application/json': components['schemas']['CertificationCampaignDetail'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/certifications/{id}/items/{itemId}/decide': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Keep or revoke one item; a revoke is enforced at once */
    post: {
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
          'application/json': {
            comment?: string;
            /** @enum {string} */
            decision: 'keep' | 'revoke';
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
            'application/json': components['schemas']['CertificationDecision'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/check': {
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
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['CheckQueryInput'];
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['CheckAnswer'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/drift': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Drift findings (most recently seen first) of the resources you hold a duty on */
    get: {
      parameters: {
        query?: {
          limit?: number;
          resource?: string;
          severity?: 'low' | 'medium' | 'high' | 'critical';
          status?: 'open' | 'resolved';
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
            'application/json': {
              readonly findings: components['schemas']['DriftFinding'][];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/evidence': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Export the signed evidence bundle of a period (verify it offline with `evidence verify`) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @description epoch milliseconds, an ISO date (a date-only `to` includes that whole day) or an ISO date-time */
            from: number | string;
            /** @description epoch milliseconds, an ISO date (a date-only `to` includes that whole day) or an ISO date-time */
            to: number | string;
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
            'application/json': components['schemas']['EvidenceBundle'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/exceptions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** SoD exceptions: all for 'administer' or 'audit' holders, else those concerning you */
    get: {
      parameters: {
        query?: {
          identity?: string;
          rule?: string;
          status?: 'pending' | 'active' | 'expired' | 'revoked';
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
            'application/json': {
              readonly exceptions: components['schemas']['SodException'][];
            };
          };
        };
      };
    };
    put?: never;
    /** Ask for an exception from a separation-of-duties rule (it counts once someone else approves it) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            compensatingControl: string;
            /** @description ISO-8601 expiry, at most one year away */
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
            'application/json': components['schemas']['SodException'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/exceptions/{id}/approve': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Approve an exception (an administrator who is neither its beneficiary nor its creator) */
    post: {
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
            'application/json': components['schemas']['SodException'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/exceptions/{id}/revoke': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Revoke an exception (its beneficiary or an administrator) */
    post: {
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
          'application/json': {
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
            'application/json': components['schemas']['SodException'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/grants': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Grants, soonest expiry first: your own, or everyone’s for audit and provision holders */
    get: {
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
            'application/json': {
              grants: components['schemas']['Grant'][];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/identities': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Identities by name, a page at a time ('administer' or 'audit' holders) */
    get: {
      parameters: {
        query?: {
          after?: string;
          kind?: 'human' | 'service' | 'pipeline' | 'workload';
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
            'application/json': {
              readonly identities: components['schemas']['Identity'][];
              next: string | null;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/identities/{name}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One identity: your own, or anyone's as an 'administer' or 'audit' holder */
    get: {
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
            'application/json': components['schemas']['Identity'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/identities/{name}/disable': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Offboard an identity: revoke its grants, cancel its requests, invalidate its tokens */
    post: {
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
          'application/json': {
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
            'application/json': components['schemas']['DisabledIdentity'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/me': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Who am I: my identity and the duties I hold now */
    get: {
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
            'application/json': components['schemas']['Me'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/notifications/deliveries': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Notification deliveries, newest first */
    get: {
      parameters: {
        query?: {
          limit?: number;
          status?: 'pending' | 'delivered' | 'failed';
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
            'application/json': {
              readonly deliveries: components['schemas']['Delivery'][];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/notifications/deliveries/{id}/retry': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Put a failed delivery back in the queue, due now */
    post: {
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
            'application/json': components['schemas']['Delivery'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/policy/changes': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Policy change sets, newest first ('administer', 'audit' or 'approve' holders) */
    get: {
      parameters: {
        query?: {
          limit?: number;
          status?: 'pending' | 'applied' | 'rejected' | 'cancelled';
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
            'application/json': {
              readonly changes: components['schemas']['PolicyChange'][];
            };
          };
        };
      };
    };
    put?: never;
    /** Submit a complete proposed policy (its YAML documents); it applies once governance approves */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
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
            'application/json': components['schemas']['PolicyChange'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/policy/changes/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A policy change set with its documents */
    get: {
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
            'application/json': components['schemas']['PolicyChangeDetail'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/policy/changes/{id}/approve': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Approve the exact documents (their digest); the change applies once governance is satisfied */
    post: {
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
          'application/json': {
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
            'application/json': {
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
              change: components['schemas']['PolicyChange'];
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/policy/changes/{id}/reject': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Reject a pending change (a governance approver), or withdraw your own */
    post: {
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
          'application/json': {
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
            'application/json': components['schemas']['PolicyChange'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/policy/plan': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** What a proposed policy would change and who would approve it; writes nothing ('administer', 'audit' or 'approve' holders) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
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
            'application/json': components['schemas']['PolicyPlan'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/profiles': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The resource profiles in force that you hold a duty on */
    get: {
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
            'application/json': {
              readonly profiles: components['schemas']['ProfileSummary'][];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/profiles/{name}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A profile in force: actions, approval rules, baseline, break-glass, certification, governance */
    get: {
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
            'application/json': components['schemas']['Profile'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/profiles/{name}/explain': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A profile in force explained in words, as `countersign policy explain` prints it: overview, baseline, actions and their approval rules, who holds which duty */
    get: {
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
            'application/json': components['schemas']['ProfileExplanation'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/profiles/{name}/versions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Every version of a profile ever loaded, oldest first */
    get: {
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
            'application/json': {
              readonly versions: components['schemas']['ProfileVersion'][];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/requests': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Requests, newest first: your own, or all of them for approvers and auditors */
    get: {
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
            'application/json': {
              nextCursor?: string;
              readonly requests: components['schemas']['Request'][];
            };
          };
        };
      };
    };
    put?: never;
    /**
     * Ask for an action on a resource for a while; the policy decides at once
     * @description A request the policy denies is stored and answered 403 `policy_denied` with its id.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
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
            'application/json': components['schemas']['Request'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/requests/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One request */
    get: {
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
            'application/json': components['schemas']['Request'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/requests/{id}/activate': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Turn your approved request into access; the credential is in this answer only */
    post: {
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
            'application/json': components['schemas']['Activation'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/requests/{id}/approve': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Approve a pending request (never your own) */
    post: {
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
          'application/json': {
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
            'application/json': components['schemas']['Request'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/requests/{id}/cancel': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Withdraw your pending or approved request */
    post: {
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
          'application/json': {
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
            'application/json': components['schemas']['Request'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/requests/{id}/complete': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** End your active grant early */
    post: {
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
          'application/json': {
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
            'application/json': components['schemas']['Request'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/requests/{id}/deny': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Deny a pending request */
    post: {
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
          'application/json': {
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
            'application/json': components['schemas']['Request'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/requests/{id}/execute': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Run your approved execute action once; the output is in this answer only */
    post: {
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
          'application/json': {
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
            'application/json': components['schemas']['Execution'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/requests/{id}/extend': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Ask to extend your active grant: a new request under the same approval rules, applied at once when the policy approves it, else by activating it once approved; never past maxDuration from the first activation */
    post: {
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
          'application/json': {
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
            'application/json': components['schemas']['Extension'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/requests/{id}/provision': {
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
    post: {
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
          'application/json': {
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
            'application/json': components['schemas']['Request'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/requests/{id}/revoke': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Revoke an active grant (its requester, or an administer holder) */
    post: {
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
          'application/json': {
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
            'application/json': components['schemas']['Request'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/resources': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Resources of the profiles you hold a duty on, with their drift */
    get: {
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
            'application/json': {
              readonly resources: components['schemas']['Resource'][];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/resources/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A resource with its profile's version, latest observation time and open drift counts */
    get: {
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
            'application/json': components['schemas']['Resource'];
          };
        };
      };
    };
    /** Register a resource through the API, or update one registered so. Registering or re-binding it (profile, connection, owner, labels) answers 202 with a change a second administrator approves; an update of attributes alone applies at once */
    put: {
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
          'application/json': {
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
            'application/json': components['schemas']['Resource'];
          };
        };
        /** @description Default Response */
        202: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['AdminChange'];
          };
        };
      };
    };
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/resources/{id}/observations': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A resource's observations, newest arrival first, with who sent each and when it arrived */
    get: {
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
            'application/json': {
              readonly observations: components['schemas']['ObservationRecord'][];
            };
          };
        };
      };
    };
    put?: never;
    /** Record a resource's observed configuration and re-evaluate its baseline ('administer' or 'provision') */
    post: {
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
          'application/json': {
            config: {
              [key: string]: unknown;
            };
            /** @description when the configuration was seen (default: now) */
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
            'application/json': components['schemas']['Observation'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/resources/{id}/observe': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Ask the resource's provider for its configuration now, record it and re-evaluate the baseline ('administer' or 'provision') */
    post: {
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
            'application/json': components['schemas']['Observation'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/resources/{id}/timeline': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Who had what access to a resource when: its grants, requests and drift findings within a window of at most 90 days (default the last 30); others' grants and requests only for those who may see them */
    get: {
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
            'application/json': components['schemas']['ResourceTimeline'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/role-activations': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Role activations, newest first: your own, or all of them for approvers, auditors and administrators */
    get: {
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
            'application/json': {
              readonly roleActivations: components['schemas']['RoleActivation'][];
            };
          };
        };
      };
    };
    put?: never;
    /**
     * Ask to activate an eligible role for a while; the role’s activation rules decide
     * @description Active at once only when the role’s own rules auto-approve it; otherwise pending on approvers who hold `approve` over everything the role covers. A denial is stored and answered 403 `policy_denied`.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
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
            'application/json': components['schemas']['RoleActivation'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/role-activations/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One role activation */
    get: {
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
            'application/json': components['schemas']['RoleActivation'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/role-activations/{id}/approve': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Approve a pending role activation (never your own); the last approval activates it */
    post: {
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
          'application/json': {
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
            'application/json': components['schemas']['RoleActivation'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/role-activations/{id}/cancel': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Withdraw your pending role activation */
    post: {
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
          'application/json': {
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
            'application/json': components['schemas']['RoleActivation'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/role-activations/{id}/deny': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Deny a pending role activation */
    post: {
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
          'application/json': {
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
            'application/json': components['schemas']['RoleActivation'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/role-activations/{id}/revoke': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** End an active role activation now (yours, or any as an administrator) */
    post: {
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
          'application/json': {
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
            'application/json': components['schemas']['RoleActivation'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/role-assignments': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Role assignments from the policy and the API ('administer' or 'audit' holders) */
    get: {
      parameters: {
        query?: {
          role?: string;
          source?: 'policy' | 'api';
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
            'application/json': {
              readonly assignments: components['schemas']['RoleAssignment'][];
            };
          };
        };
      };
    };
    put?: never;
    /** Propose a role assignment; it applies once a second administrator approves it (POST /v1/admin-changes/{id}/approve). Refused with sod_violation when it would create a separation-of-duties conflict */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @enum {string} */
            assignment?: 'standing' | 'eligible';
            /** @description ISO-8601 time after which the assignment no longer counts */
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
            'application/json': components['schemas']['AdminChange'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/role-assignments/{id}': {
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
    delete: {
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
            'application/json': components['schemas']['RemovedRoleAssignment'];
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/sod/conflicts': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Every current separation-of-duties conflict, suppressed ones with their exception ('administer' or 'audit') */
    get: {
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
            'application/json': components['schemas']['SodScan'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/tokens': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** My API tokens (metadata only) */
    get: {
      parameters: {
        query?: {
          all?: 'true' | 'false';
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
            'application/json': {
              tokens: components['schemas']['Token'][];
            };
          };
        };
      };
    };
    put?: never;
    /** Mint an API token (shown once) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
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
            'application/json': components['schemas']['IssuedToken'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/tokens/{id}': {
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
    delete: {
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
            'application/json': components['schemas']['RevokedToken'];
          };
        };
      };
    };
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
      request: components['schemas']['Request'];
    };
    ActivationInput: {
      /** @description shown once and never stored in clear; not in any later answer */
      readonly credential?: {
        [key: string]: string;
      };
      request: components['schemas']['RequestInput'];
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
      kind: 'role_assignment' | 'resource';
      /** @description the proposed change, as its author sent it */
      payload: {
        [key: string]: unknown;
      };
      reason: string | null;
      result: {
        [key: string]: unknown;
      } | null;
      /** @enum {string} */
      status: 'pending' | 'applied' | 'rejected' | 'cancelled' | 'expired';
      target: string;
    };
    AdminChangeInput: {
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
      kind: 'role_assignment' | 'resource';
      /** @description the proposed change, as its author sent it */
      payload: {
        [key: string]: unknown;
      };
      reason: string | null;
      result: {
        [key: string]: unknown;
      } | null;
      /** @enum {string} */
      status: 'pending' | 'applied' | 'rejected' | 'cancelled' | 'expired';
      target: string;
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
    AuditCheckpointInput: {
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
        [key: string]: components['schemas']['AuditOpenedValue'];
      };
      prevHash: string;
      seq: number;
      subject: string;
      /** Format: date-time */
      time: string;
    };
    AuditEventInput: {
      action: string;
      actor: string;
      details: {
        [key: string]: unknown;
      };
      hash: string;
      /** @description with ?open=true: each output value of the event by JSON Pointer, opened or still sealed */
      opened?: {
        [key: string]: components['schemas']['AuditOpenedValueInput'];
      };
      prevHash: string;
      seq: number;
      subject: string;
      /** Format: date-time */
      time: string;
    };
    AuditOpenedValue:
      | {
          message: string;
          /** @enum {string} */
          sealed: 'no_key' | 'other_key' | 'not_authentic' | 'hmac_only';
        }
      | {
          value: unknown;
        };
    AuditOpenedValueInput:
      | {
          message: string;
          /** @enum {string} */
          sealed: 'no_key' | 'other_key' | 'not_authentic' | 'hmac_only';
        }
      | {
          value: unknown;
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
        kind:
          | 'modified'
          | 'deleted'
          | 'inserted'
          | 'reordered'
          | 'truncated'
          | 'checkpoint_mismatch'
          | 'bad_signature'
          | 'witness_mismatch';
        message: string;
        seq: number;
      };
      root?: string;
      signaturesChecked: boolean;
      witnessCheckpointsVerified: number;
    };
    AuditVerificationInput: {
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
        kind:
          | 'modified'
          | 'deleted'
          | 'inserted'
          | 'reordered'
          | 'truncated'
          | 'checkpoint_mismatch'
          | 'bad_signature'
          | 'witness_mismatch';
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
    BreakGlassReviewInput: {
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
      decision: 'keep' | 'revoke';
      id: string;
      late: boolean;
      /** Format: date-time */
      reviewedAt: string;
      teardown?: components['schemas']['CertificationTeardown'];
    };
    BreakGlassReviewResultInput: {
      certifier: string;
      /** @enum {string} */
      decision: 'keep' | 'revoke';
      id: string;
      late: boolean;
      /** Format: date-time */
      reviewedAt: string;
      teardown?: components['schemas']['CertificationTeardownInput'];
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
      readonly kinds: ('role_assignment' | 'grant' | 'break_glass' | 'high_risk_request')[];
      name: string;
      /** @enum {string} */
      onMissed: 'revoke' | 'escalate';
      period: {
        /** Format: date-time */
        from: string;
        /** Format: date-time */
        to: string;
      };
      /** @enum {string} */
      status: 'open' | 'closed';
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
      readonly items: components['schemas']['CertificationItem'][];
      readonly kinds: ('role_assignment' | 'grant' | 'break_glass' | 'high_risk_request')[];
      name: string;
      /** @enum {string} */
      onMissed: 'revoke' | 'escalate';
      period: {
        /** Format: date-time */
        from: string;
        /** Format: date-time */
        to: string;
      };
      /** @enum {string} */
      status: 'open' | 'closed';
    };
    CertificationCampaignDetailInput: {
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
      readonly items: components['schemas']['CertificationItemInput'][];
      readonly kinds: ('role_assignment' | 'grant' | 'break_glass' | 'high_risk_request')[];
      name: string;
      /** @enum {string} */
      onMissed: 'revoke' | 'escalate';
      period: {
        /** Format: date-time */
        from: string;
        /** Format: date-time */
        to: string;
      };
      /** @enum {string} */
      status: 'open' | 'closed';
    };
    CertificationCampaignInput: {
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
      readonly kinds: ('role_assignment' | 'grant' | 'break_glass' | 'high_risk_request')[];
      name: string;
      /** @enum {string} */
      onMissed: 'revoke' | 'escalate';
      period: {
        /** Format: date-time */
        from: string;
        /** Format: date-time */
        to: string;
      };
      /** @enum {string} */
      status: 'open' | 'closed';
    };
    CertificationDecision: {
      item: components['schemas']['CertificationItem'];
      teardown?: components['schemas']['CertificationTeardown'];
    };
    CertificationDecisionInput: {
      item: components['schemas']['CertificationItemInput'];
      teardown?: components['schemas']['CertificationTeardownInput'];
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
      kind: 'role_assignment' | 'grant' | 'break_glass' | 'high_risk_request';
      profile: string | null;
      requestId: string | null;
      role: string | null;
      /** @enum {string} */
      status: 'pending' | 'escalated' | 'kept' | 'revoked';
      summary: {
        [key: string]: unknown;
      };
      target: string;
    };
    CertificationItemInput: {
      campaignId: string;
      comment: string | null;
      decidedAt: string | null;
      decidedBy: string | null;
      enforcement: string | null;
      readonly holders: string[];
      id: string;
      /** @enum {string} */
      kind: 'role_assignment' | 'grant' | 'break_glass' | 'high_risk_request';
      profile: string | null;
      requestId: string | null;
      role: string | null;
      /** @enum {string} */
      status: 'pending' | 'escalated' | 'kept' | 'revoked';
      summary: {
        [key: string]: unknown;
      };
      target: string;
    };
    CertificationTeardown:
      | {
          grantId: string;
          /** @enum {string} */
          outcome: 'revoked' | 'expired';
          requestId: string;
        }
      | {
          attempts: number;
          error: string;
          grantId: string;
          /** Format: date-time */
          nextAttemptAt: string;
          /** @constant */
          outcome: 'revoke_failed';
          requestId: string;
        }
      | {
          grantId: string;
          /** @constant */
          outcome: 'already_done';
          /** @enum {string} */
          status: 'provisioning' | 'active' | 'revoking' | 'revoked' | 'expired' | 'revoke_failed';
        }
      | {
          grantId: string;
          /** @constant */
          outcome: 'in_progress';
        };
    CertificationTeardownInput:
      | {
          grantId: string;
          /** @enum {string} */
          outcome: 'revoked' | 'expired';
          requestId: string;
        }
      | {
          attempts: number;
          error: string;
          grantId: string;
          /** Format: date-time */
          nextAttemptAt: string;
          /** @constant */
          outcome: 'revoke_failed';
          requestId: string;
        }
      | {
          grantId: string;
          /** @constant */
          outcome: 'already_done';
          /** @enum {string} */
          status: 'provisioning' | 'active' | 'revoking' | 'revoked' | 'expired' | 'revoke_failed';
        }
      | {
          grantId: string;
          /** @constant */
          outcome: 'in_progress';
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
    CheckAnswerInput: {
      allowed: boolean;
      grantId?: string;
      reason: {
        /** @description one of check.grant, check.standing_role, check.no_grant, check.grant_expired, check.grant_revoked, check.unknown_identity, check.identity_disabled, check.unknown_resource, check.unknown_profile, check.unknown_action */
        code: string;
        message: string;
      };
    };
    CheckQuery: {
      action: string;
      identity: string;
      resource: string;
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
      status: 'pending' | 'delivered' | 'failed';
      urgent: boolean;
    };
    DeliveryInput: {
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
      status: 'pending' | 'delivered' | 'failed';
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
    DisabledIdentityInput: {
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
      severity: 'low' | 'medium' | 'high' | 'critical';
      /** @enum {string} */
      status: 'open' | 'resolved';
    };
    DriftFindingInput: {
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
      severity: 'low' | 'medium' | 'high' | 'critical';
      /** @enum {string} */
      status: 'open' | 'resolved';
    };
    /** @description a countersign.dev/evidence-bundle/v1 document: manifest, signature and sections */
    EvidenceBundle: {
      [key: string]: unknown;
    };
    /** @description a countersign.dev/evidence-bundle/v1 document: manifest, signature and sections */
    EvidenceBundleInput: {
      [key: string]: unknown;
    };
    Execution: {
      output: {
        [key: string]: unknown;
      };
      request: components['schemas']['Request'];
      summary: {
        [key: string]: unknown;
      };
    };
    ExecutionInput: {
      output: {
        [key: string]: unknown;
      };
      request: components['schemas']['RequestInput'];
      summary: {
        [key: string]: unknown;
      };
    };
    Extension: {
      /** @description the extension request: completed once applied, else pending or denied */
      extension: components['schemas']['Request'];
      /** @description the request whose grant it extends, with its expiry */
      request: components['schemas']['Request'];
    };
    ExtensionInput: {
      /** @description the extension request: completed once applied, else pending or denied */
      extension: components['schemas']['RequestInput'];
      /** @description the request whose grant it extends, with its expiry */
      request: components['schemas']['RequestInput'];
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
      status: 'provisioning' | 'active' | 'revoking' | 'revoked' | 'expired' | 'revoke_failed';
    };
    GrantInput: {
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
      status: 'provisioning' | 'active' | 'revoking' | 'revoked' | 'expired' | 'revoke_failed';
    };
    Identity: {
      attributes: {
        [key: string]: string | number | boolean;
      };
      disabled: boolean;
      disabledAt: string | null;
      disabledBy: string | null;
      readonly duties: ('request' | 'approve' | 'provision' | 'use' | 'certify' | 'administer' | 'audit')[];
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
    IdentityInput: {
      attributes: {
        [key: string]: string | number | boolean;
      };
      disabled: boolean;
      disabledAt: string | null;
      disabledBy: string | null;
      readonly duties: ('request' | 'approve' | 'provision' | 'use' | 'certify' | 'administer' | 'audit')[];
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
    IssuedToken: {
      /** Format: date-time */
      expiresAt: string;
      id: string;
      identity: string;
      prefix: string;
      token: string;
    };
    IssuedTokenInput: {
      /** Format: date-time */
      expiresAt: string;
      id: string;
      identity: string;
      prefix: string;
      token: string;
    };
    Me: {
      /** @enum {string} */
      authenticatedWith: 'api_token' | 'oidc' | 'session';
      readonly duties: ('request' | 'approve' | 'provision' | 'use' | 'certify' | 'administer' | 'audit')[];
      readonly eligible: {
        /** @enum {string} */
        duty: 'request' | 'approve' | 'provision' | 'use' | 'certify' | 'administer' | 'audit';
        role: string;
        scope: string;
      }[];
      email: string | null;
      readonly groups: string[];
      readonly holdings: {
        /** @enum {string} */
        duty: 'request' | 'approve' | 'provision' | 'use' | 'certify' | 'administer' | 'audit';
        role: string;
        scope: string;
      }[];
      identity: string;
      kind: string;
      owner: string | null;
    };
    MeInput: {
      /** @enum {string} */
      authenticatedWith: 'api_token' | 'oidc' | 'session';
      readonly duties: ('request' | 'approve' | 'provision' | 'use' | 'certify' | 'administer' | 'audit')[];
      readonly eligible: {
        /** @enum {string} */
        duty: 'request' | 'approve' | 'provision' | 'use' | 'certify' | 'administer' | 'audit';
        role: string;
        scope: string;
      }[];
      email: string | null;
      readonly groups: string[];
      readonly holdings: {
        /** @enum {string} */
        duty: 'request' | 'approve' | 'provision' | 'use' | 'certify' | 'administer' | 'audit';
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
        severity: 'low' | 'medium' | 'high' | 'critical';
        status: string;
      }[];
    };
    ObservationInput: {
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
        severity: 'low' | 'medium' | 'high' | 'critical';
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
      source: 'provider' | 'api';
    };
    ObservationRecordInput: {
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
      source: 'provider' | 'api';
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
      status: 'pending' | 'applied' | 'rejected' | 'cancelled';
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
      digest: string;
      readonly files: {
        path: string;
        text: string;
      }[];
      id: string;
      /** @enum {string} */
      status: 'pending' | 'applied' | 'rejected' | 'cancelled';
      touched: {
        readonly added: string[];
        readonly all: string[];
        readonly changed: string[];
        readonly removed: string[];
        readonly resources?: string[];
      };
    };
    PolicyChangeDetailInput: {
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
      readonly files: {
        path: string;
        text: string;
      }[];
      id: string;
      /** @enum {string} */
      status: 'pending' | 'applied' | 'rejected' | 'cancelled';
      touched: {
        readonly added: string[];
        readonly all: string[];
        readonly changed: string[];
        readonly removed: string[];
        readonly resources?: string[];
      };
    };
    PolicyChangeInput: {
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
      status: 'pending' | 'applied' | 'rejected' | 'cancelled';
      touched: {
        readonly added: string[];
        readonly all: string[];
        readonly changed: string[];
        readonly removed: string[];
        readonly resources?: string[];
      };
    };
    PolicyPlan: {
      basePolicyHash: string | null;
      digest: string;
      readonly eligibleApprovers: string[];
      kinds: {
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
        change: 'added' | 'changed' | 'removed' | 'resources';
        from: string | null;
        name: string;
        to: string | null;
      }[];
      readonly requirements: {
        description: string;
        readonly eligible: string[];
        /** @enum {string} */
        kind: 'governance' | 'administrator';
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
    PolicyPlanInput: {
      basePolicyHash: string | null;
      digest: string;
      readonly eligibleApprovers: string[];
      kinds: {
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
        change: 'added' | 'changed' | 'removed' | 'resources';
        from: string | null;
        name: string;
        to: string | null;
      }[];
      readonly requirements: {
        description: string;
        readonly eligible: string[];
        /** @enum {string} */
        kind: 'governance' | 'administrator';
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
      code: string;
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
    ProblemInput: {
      code: string;
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
          outcome: 'auto' | 'deny' | 'steps';
          readonly steps: {
            count: number;
            readonly from: string[];
            independent: boolean;
          }[];
          summary: string;
          when: string | null;
        }[];
        description: string | null;
        /** @enum {string} */
        kind: 'grant' | 'execute';
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
    ProfileExplanationInput: {
      profile: string;
      readonly sections: {
        readonly lines: string[];
        title: string;
      }[];
      /** @description the version in force (`GET /v1/profiles/{name}/versions` lists every one) */
      version: string;
    };
    ProfileInput: {
      readonly actionDetails: {
        activationWindow: string;
        readonly approval: {
          message: string | null;
          name: string;
          /** @enum {string} */
          outcome: 'auto' | 'deny' | 'steps';
          readonly steps: {
            count: number;
            readonly from: string[];
            independent: boolean;
          }[];
          summary: string;
          when: string | null;
        }[];
        description: string | null;
        /** @enum {string} */
        kind: 'grant' | 'execute';
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
    ProfileSummaryInput: {
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
    ProfileVersionInput: {
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
    RemovedRoleAssignmentInput: {
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
        status: 'provisioning' | 'active' | 'revoking' | 'revoked' | 'expired' | 'revoke_failed';
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
      requester: string;
      resource: string;
      /**
       * Format: date-time
       * @description break-glass: when the use must have been reviewed
       */
      reviewBy?: string;
      /** @enum {string} */
      status:
        | 'pending'
        | 'approved'
        | 'active'
        | 'expired'
        | 'revoked'
        | 'completed'
        | 'denied'
        | 'cancelled'
        | 'timed_out'
        | 'revoke_failed'
        | 'executing'
        | 'needs_review';
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
    RequestInput: {
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
        status: 'provisioning' | 'active' | 'revoking' | 'revoked' | 'expired' | 'revoke_failed';
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
      requester: string;
      resource: string;
      /**
       * Format: date-time
       * @description break-glass: when the use must have been reviewed
       */
      reviewBy?: string;
      /** @enum {string} */
      status:
        | 'pending'
        | 'approved'
        | 'active'
        | 'expired'
        | 'revoked'
        | 'completed'
        | 'denied'
        | 'cancelled'
        | 'timed_out'
        | 'revoke_failed'
        | 'executing'
        | 'needs_review';
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
      source: 'policy' | 'api' | 'discovery';
    };
    ResourceInput: {
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
      source: 'policy' | 'api' | 'discovery';
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
        severity: 'low' | 'medium' | 'high' | 'critical';
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
        status: 'provisioning' | 'active' | 'revoking' | 'revoked' | 'expired' | 'revoke_failed';
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
        status:
          | 'pending'
          | 'approved'
          | 'active'
          | 'expired'
          | 'revoked'
          | 'completed'
          | 'denied'
          | 'cancelled'
          | 'timed_out'
          | 'revoke_failed'
          | 'executing'
          | 'needs_review';
      }[];
      resource: components['schemas']['Resource'];
      /** Format: date-time */
      to: string;
      /** @description true for a list cut at 5000 rows (the most recent kept); narrow the window to see all */
      truncated: {
        drift: boolean;
        grants: boolean;
        requests: boolean;
      };
    };
    ResourceTimelineInput: {
      readonly drift: {
        check: string;
        id: string;
        /** Format: date-time */
        openedAt: string;
        /** Format: date-time */
        resolvedAt?: string;
        /** @enum {string} */
        severity: 'low' | 'medium' | 'high' | 'critical';
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
        status: 'provisioning' | 'active' | 'revoking' | 'revoked' | 'expired' | 'revoke_failed';
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
        status:
          | 'pending'
          | 'approved'
          | 'active'
          | 'expired'
          | 'revoked'
          | 'completed'
          | 'denied'
          | 'cancelled'
          | 'timed_out'
          | 'revoke_failed'
          | 'executing'
          | 'needs_review';
      }[];
      resource: components['schemas']['ResourceInput'];
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
    RevokedTokenInput: {
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
      status: 'pending' | 'active' | 'expired' | 'revoked' | 'denied' | 'cancelled' | 'timed_out';
      statusReason?: string;
      readonly steps: {
        count: number;
        readonly from: string[];
        independent: boolean;
      }[];
      ticket?: string;
    };
    RoleActivationInput: {
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
      status: 'pending' | 'active' | 'expired' | 'revoked' | 'denied' | 'cancelled' | 'timed_out';
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
      assignment: 'standing' | 'eligible';
      createdAt: string | null;
      createdBy: string | null;
      expiresAt: string | null;
      id: string;
      role: string;
      /** @enum {string} */
      source: 'policy' | 'api';
      subject: string;
    };
    RoleAssignmentInput: {
      /** @enum {string} */
      assignment: 'standing' | 'eligible';
      createdAt: string | null;
      createdBy: string | null;
      expiresAt: string | null;
      id: string;
      role: string;
      /** @enum {string} */
      source: 'policy' | 'api';
      subject: string;
    };
    SodConflict: {
      exception: components['schemas']['SodException'] | null;
      readonly holdings: {
        /** @enum {string} */
        assignment: 'standing' | 'eligible';
        /** @enum {string} */
        duty: 'request' | 'approve' | 'provision' | 'use' | 'certify' | 'administer' | 'audit';
        role: string;
        via: string;
      }[];
      identity: string;
      message: string;
      profile: string | null;
      rule: string;
      /** @enum {string} */
      scope: 'profile' | 'global';
    };
    SodConflictInput: {
      exception: components['schemas']['SodExceptionInput'] | null;
      readonly holdings: {
        /** @enum {string} */
        assignment: 'standing' | 'eligible';
        /** @enum {string} */
        duty: 'request' | 'approve' | 'provision' | 'use' | 'certify' | 'administer' | 'audit';
        role: string;
        via: string;
      }[];
      identity: string;
      message: string;
      profile: string | null;
      rule: string;
      /** @enum {string} */
      scope: 'profile' | 'global';
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
      status: 'pending' | 'active' | 'expired' | 'revoked';
    };
    SodExceptionInput: {
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
      status: 'pending' | 'active' | 'expired' | 'revoked';
    };
    SodScan: {
      /** Format: date-time */
      at: string;
      readonly conflicts: components['schemas']['SodConflict'][];
      readonly humanOnly: {
        /** @enum {string} */
        duty: 'request' | 'approve' | 'provision' | 'use' | 'certify' | 'administer' | 'audit';
        identity: string;
        message: string;
        role: string;
      }[];
      identities: number;
      rules: number;
      suppressed: number;
      unsuppressed: number;
    };
    SodScanInput: {
      /** Format: date-time */
      at: string;
      readonly conflicts: components['schemas']['SodConflictInput'][];
      readonly humanOnly: {
        /** @enum {string} */
        duty: 'request' | 'approve' | 'provision' | 'use' | 'certify' | 'administer' | 'audit';
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
    TokenInput: {
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
export type operations = Record<string, never>;
