/**
 * A small policy whose approval rules consult context sources (docs/integrations.md), pointed at the simulated
 * services of `context-fakes.ts`: alice and dan request, bob (dba) approves.
 * - `oncall-db` (resource `pager-db`): `read` is approved by policy for whoever PagerDuty has on call, otherwise
 *   a DBA approves; `fix` the same through Opsgenie; break-glass needs the requester on call.
 * - `ticketed-db` (resource `ticket-db`): `write` is denied unless the Jira ticket exists and is In Progress;
 *   approved by policy for the ticket's assignee; otherwise a DBA approves.
 * - `cmdb-db` (resource `cmdb-db`): `read` approved by policy when the CMDB says the requester owns the service
 *   and it is not frozen.
 */
import { parsePolicySources } from '../../../src/policy/load.js';
import { formatProblem } from '../../../src/policy/load.js';
import type { PolicySet } from '../../../src/policy/model.js';

export const ALICE_EMAIL = 'alice@example.com';
export const DAN_EMAIL = 'dan@example.com';

export function contextPolicyYaml(
  baseUrl: string,
  options: { pagerDutyTimeout?: string; cacheTtl?: string } = {},
): string {
  const timeout = options.pagerDutyTimeout ?? '2s';
  const ttl = options.cacheTtl ?? '60s';
  return `
apiVersion: countersign.dev/v1
kind: Group
metadata: { name: dev }
spec: {}
---
apiVersion: countersign.dev/v1
kind: Group
metadata: { name: dba }
spec: {}
---
apiVersion: countersign.dev/v1
kind: Identity
metadata: { name: alice }
spec: { kind: human, email: ${ALICE_EMAIL}, groups: [dev] }
---
apiVersion: countersign.dev/v1
kind: Identity
metadata: { name: dan }
spec: { kind: human, email: ${DAN_EMAIL}, groups: [dev] }
---
apiVersion: countersign.dev/v1
kind: Identity
metadata: { name: bob }
spec: { kind: human, email: bob@example.com, groups: [dba] }
---
apiVersion: countersign.dev/v1
kind: Role
metadata: { name: requesters }
spec: { duties: [request, use], profiles: ['*'], subjects: [group:dev] }
---
apiVersion: countersign.dev/v1
kind: Role
metadata: { name: approvers }
spec: { duties: [approve, administer], profiles: ['*'], subjects: [group:dba] }
---
apiVersion: countersign.dev/v1
kind: ContextSource
metadata: { name: pd }
spec:
  type: pagerduty
  baseUrl: ${baseUrl}
  tokenEnv: TEST_PD_TOKEN
  schedules: [PSCHED1]
  timeout: ${timeout}
  cacheTtl: ${ttl}
---
apiVersion: countersign.dev/v1
kind: ContextSource
metadata: { name: og }
spec:
  type: opsgenie
  baseUrl: ${baseUrl}
  tokenEnv: TEST_OG_KEY
  schedule: ops-primary
  cacheTtl: 0s
---
apiVersion: countersign.dev/v1
kind: ContextSource
metadata: { name: jira }
spec:
  type: jira
  baseUrl: ${baseUrl}
  auth: basic
  userEnv: TEST_JIRA_USER
  tokenEnv: TEST_JIRA_TOKEN
  tickets: true
  cacheTtl: 0s
---
apiVersion: countersign.dev/v1
kind: ContextSource
metadata: { name: cmdb }
spec:
  type: http
  baseUrl: ${baseUrl}/cmdb
  path: /services/{resource}
  tokenEnv: TEST_CMDB_TOKEN
  fields: { owner: '$.service.owner', frozen: '$.service.changeFreeze' }
---
apiVersion: countersign.dev/v1
kind: ResourceProfile
metadata: { name: oncall-db }
spec:
  classification: confidential
  environment: production
  owners: [group:dba]
  provider: { type: noop }
  actions:
    read:
      risk: low
      grant: { role: ro }
      maxDuration: 8h
      requireJustification: false
      approval:
        - { name: on-call, when: 'context.pd.contains(requester.id)', auto: true }
        - { name: a-dba, steps: [ { from: [group:dba] } ] }
    fix:
      risk: medium
      grant: { role: rw }
      maxDuration: 8h
      requireJustification: false
      approval:
        - { name: on-call, when: 'requester.id in context.og.identities', auto: true }
        - { name: a-dba, steps: [ { from: [group:dba] } ] }
  breakGlass:
    allowed: [group:dev]
    actions: [read]
    maxDuration: 1h
    reviewWithin: 24h
    when: 'context.pd.contains(requester.id)'
---
apiVersion: countersign.dev/v1
kind: ResourceProfile
metadata: { name: ticketed-db }
spec:
  classification: confidential
  environment: production
  owners: [group:dba]
  provider: { type: noop }
  actions:
    write:
      risk: high
      grant: { role: rw }
      maxDuration: 8h
      requireJustification: false
      approval:
        - { name: ticket-in-progress, when: '!ticket.exists || ticket.status != "In Progress"', deny: the ticket must exist and be In Progress }
        - { name: assignee, when: 'ticket.assignee == requester.id', auto: true }
        - { name: a-dba, steps: [ { from: [group:dba] } ] }
---
apiVersion: countersign.dev/v1
kind: ResourceProfile
metadata: { name: cmdb-db }
spec:
  classification: internal
  environment: production
  owners: [group:dba]
  provider: { type: noop }
  actions:
    read:
      risk: low
      grant: { role: ro }
      maxDuration: 8h
      requireJustification: false
      approval:
        - { name: owner, when: 'context.cmdb.frozen == false && context.cmdb.owner == requester.id', auto: true }
        - { name: a-dba, steps: [ { from: [group:dba] } ] }
---
apiVersion: countersign.dev/v1
kind: Resource
metadata: { name: pager-db }
spec: { profile: oncall-db }
---
apiVersion: countersign.dev/v1
kind: Resource
metadata: { name: ticket-db }
spec: { profile: ticketed-db }
---
apiVersion: countersign.dev/v1
kind: Resource
metadata: { name: cmdb-db }
spec: { profile: cmdb-db }
`;
}

export function contextPolicy(
  baseUrl: string,
  options: { pagerDutyTimeout?: string; cacheTtl?: string } = {},
): PolicySet {
  const loaded = parsePolicySources([{ path: 'context-policy.yaml', text: contextPolicyYaml(baseUrl, options) }]);
  if (!loaded.policy) throw new Error(loaded.problems.map(formatProblem).join('\n'));
  return loaded.policy;
}
