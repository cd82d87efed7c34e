/**
 * The installation the server-memory benchmark (`memory.bench.ts`) measures: a generated policy directory and
 * the rows of a used store, written in one transaction into a database the real server has already migrated
 * and loaded the policy into (so the profile versions and the policy's own rows are the app's). Set-up, not the
 * thing measured; the shape is described in `memory.bench.ts`'s header.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../src/store/database.js';
import type { NewRow } from '../src/store/schema.js';

export const PROFILES = 200;
export const TEAMS = 20;
export const IDENTITIES = 2_000;
export const RESOURCES = 100_000;
export const ACTIVE_GRANTS = 10_000;
/** Ended requests kept as history: expired and revoked grants, and requests denied or cancelled before one. */
export const EXPIRED = 14_000;
export const REVOKED = 6_000;
export const NEVER_GRANTED = 4_000;
/** Names the bench calls the API as: the gateway asks `check` about others; the auditor lists everything. */
export const GATEWAY = 'edge-gateway';
export const AUDITOR = 'auditor-1';

const ACTIONS = ['read', 'write', 'admin'] as const;

export function identityName(i: number): string {
  return `user-${String(i).padStart(4, '0')}`;
}

export function profileName(i: number): string {
  return `svc-${String(i).padStart(3, '0')}`;
}

export function resourceName(i: number): string {
  return `res-${String(i).padStart(6, '0')}`;
}

export function teamOf(identity: number): number {
  return identity % TEAMS;
}

/** Resource `i` belongs to profile `i mod PROFILES`, and profile `p` to team `p mod TEAMS`. */
export function profileOf(resource: number): number {
  return resource % PROFILES;
}

function doc(kind: string, name: string, spec: string): string {
  return `apiVersion: countersign.dev/v1\nkind: ${kind}\nmetadata: { name: ${name} }\nspec: ${spec}\n`;
}

/** Writes the policy files: groups and roles, the identities, and the profiles, one file each. */
export function writePolicy(dir: string): void {
  const teams = Array.from({ length: TEAMS }, (_, t) => `team-${t}`);
  const base = [
    doc('Group', 'engineers', '{ description: Everyone who asks for access }'),
    doc('Group', 'reviewers', '{ description: Approve writes }'),
    doc('Group', 'security', '{ description: Approve admin actions and policy }'),
    doc('Group', 'auditors', '{ description: Read everything }'),
    ...teams.map((team) => doc('Group', team, `{ description: The ${team} service team }`)),
    doc('Role', 'requester', '{ duties: [request], profiles: ["*"], subjects: [group:engineers] }'),
    doc('Role', 'reviewer', '{ duties: [approve], profiles: ["*"], subjects: [group:reviewers, group:security] }'),
    doc('Role', 'auditor', '{ duties: [audit], profiles: ["*"], subjects: [group:auditors] }'),
    doc('Role', 'access-gateway', `{ duties: [provision], profiles: ["*"], subjects: [identity:${GATEWAY}] }`),
    // Each team uses its own services' staging copies standing (a `use` role over a tenth of the profiles).
    ...teams.map((team, t) => {
      const own = Array.from({ length: PROFILES / TEAMS }, (_, k) => profileName(t + k * TEAMS));
      return doc(
        'Role',
        `${team}-standing`,
        `{ duties: [use], profiles: [${own.join(', ')}], subjects: [group:${team}] }`,
      );
    }),
  ];
  writeFileSync(join(dir, 'base.yaml'), base.join('---\n'));

  const people = [
    doc('Identity', AUDITOR, '{ kind: human, email: auditor-1@example.com, groups: [auditors] }'),
    doc('Identity', GATEWAY, `{ kind: workload, owner: ${AUDITOR} }`),
  ];
  for (let i = 0; i < IDENTITIES; i += 1) {
    const groups = ['engineers', `team-${teamOf(i)}`];
    if (i % 25 === 0) groups.push('reviewers');
    if (i % 100 === 1) groups.push('security');
    const name = identityName(i);
    people.push(doc('Identity', name, `{ kind: human, email: ${name}@example.com, groups: [${groups.join(', ')}] }`));
  }
  writeFileSync(join(dir, 'identities.yaml'), people.join('---\n'));

  const profiles: string[] = [];
  for (let p = 0; p < PROFILES; p += 1) {
    profiles.push(`apiVersion: countersign.dev/v1
kind: ResourceProfile
metadata: { name: ${profileName(p)} }
spec:
  classification: confidential
  environment: ${p % 2 === 0 ? 'production' : 'staging'}
  owners: [group:team-${p % TEAMS}]
  provider: { type: noop }
  actions:
    read:
      risk: low
      grant: { role: reader }
      maxDuration: 8h
      approval:
        - { name: reads-are-routine, auto: true }
    write:
      risk: medium
      grant: { role: writer }
      maxDuration: 8h
      approval:
        - name: one-reviewer
          steps:
            - { from: [group:reviewers], count: 1 }
    admin:
      risk: high
      grant: { role: owner }
      maxDuration: 4h
      approval:
        - name: reviewer-then-security
          steps:
            - { from: [group:reviewers], count: 1 }
            - { from: [group:security], count: 1 }
  governance: { approvers: [group:security] }
`);
  }
  writeFileSync(join(dir, 'profiles.yaml'), profiles.join('---\n'));
}

/** Deterministic pseudo-random numbers, so two runs populate the same store. */
export function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

export interface Populated {
  /** Active grants, for the checks that should be allowed. */
  readonly active: readonly { identity: string; resource: string; action: string }[];
}

/**
 * Inserts the resources, requests, approvals and grants into the migrated store at `dbPath` (the server is not
 * running), all in one transaction.
 */
export async function populate(dbPath: string): Promise<Populated> {
  const database = await openDatabase(dbPath);
  const random = lcg(42);
  const pick = (n: number): number => Math.floor(random() * n);
  const now = Date.now();
  const active: { identity: string; resource: string; action: string }[] = [];
  try {
    const versions = new Map(
      (await database.db.selectFrom('profiles').select(['name', 'current_version']).execute()).map((row) => [
        row.name,
        row.current_version,
      ]),
    );
    await database.db.transaction().execute(async (trx) => {
      const chunk = 1_000;
      for (let start = 0; start < RESOURCES; start += chunk) {
        const rows: NewRow<'resources'>[] = [];
        for (let i = start; i < start + chunk; i += 1) {
          const p = profileOf(i);
          rows.push({
            name: resourceName(i),
            profile: profileName(p),
            labels: JSON.stringify({ team: `team-${p % TEAMS}`, env: p % 2 === 0 ? 'production' : 'staging' }),
            owner: `group:team-${p % TEAMS}`,
            connection: JSON.stringify({ name: `cluster-${i % 8}` }),
            attributes: JSON.stringify({ region: ['eu-west-1', 'us-east-1', 'ap-south-1'][i % 3], tier: i % 4 }),
            source: i % 5 === 0 ? 'discovery' : 'api',
            created_at: now - 90 * 86_400_000,
            updated_at: now - 30 * 86_400_000,
          });
        }
        await trx.insertInto('resources').values(rows).execute();
      }

      const total = ACTIVE_GRANTS + EXPIRED + REVOKED + NEVER_GRANTED;
      let requests: NewRow<'requests'>[] = [];
      let grants: NewRow<'grants'>[] = [];
      let approvals: NewRow<'approvals'>[] = [];
      const flush = async (): Promise<void> => {
        if (requests.length > 0) await trx.insertInto('requests').values(requests).execute();
        if (approvals.length > 0) await trx.insertInto('approvals').values(approvals).execute();
        if (grants.length > 0) await trx.insertInto('grants').values(grants).execute();
        requests = [];
        grants = [];
        approvals = [];
      };
      for (let n = 0; n < total; n += 1) {
        const who = pick(IDENTITIES);
        const r = pick(RESOURCES);
        const identity = identityName(who);
        const resource = resourceName(r);
        const profile = profileName(profileOf(r));
        const action = ACTIONS[n % 10 < 6 ? 0 : n % 10 < 9 ? 1 : 2] as string;
        const kind =
          n < ACTIVE_GRANTS
            ? 'active'
            : n < ACTIVE_GRANTS + EXPIRED
              ? 'expired'
              : n < ACTIVE_GRANTS + EXPIRED + REVOKED
                ? 'revoked'
                : 'denied';
        // Active grants end within the next 8 h; history is spread over the last 60 days.
        const created = kind === 'active' ? now - pick(3_600_000) : now - 3_600_000 - pick(60 * 86_400_000);
        const duration = 3_600 + pick(7 * 3_600);
        const expires = kind === 'active' ? now + 600_000 + pick(7 * 3_600_000) : created + duration * 1000;
        const id = `req_mem_${String(n).padStart(6, '0')}`;
        const rule =
          action === 'read' ? 'reads-are-routine' : action === 'write' ? 'one-reviewer' : 'reviewer-then-security';
        const ended = kind === 'revoked' ? created + pick(duration * 1000) : expires;
        requests.push({
          id,
          requester: identity,
          resource,
          action,
          duration_seconds: duration,
          justification: `INC-${10_000 + n}: ${action} on ${resource} for the incident review`,
          ticket: n % 3 === 0 ? `OPS-${n}` : null,
          profile,
          profile_version: versions.get(profile) ?? 'unknown',
          digest: (n.toString(16) + 'd'.repeat(64)).slice(0, 64),
          status: kind === 'denied' ? (n % 2 === 0 ? 'denied' : 'cancelled') : kind,
          matched_rule: rule,
          created_at: created,
          updated_at: kind === 'active' ? created : ended,
          approved_at: kind === 'denied' ? null : created + 60_000,
          activated_at: kind === 'denied' ? null : created + 60_000,
          first_activated_at: kind === 'denied' ? null : created + 60_000,
          expires_at: kind === 'denied' ? null : expires,
        });
        if (action !== 'read' && kind !== 'denied') {
          approvals.push({
            request_id: id,
            approver: identityName(25 * pick(IDENTITIES / 25)),
            step: 0,
            digest: 'a'.repeat(64),
            at: created + 30_000,
          });
        }
        if (kind !== 'denied') {
          grants.push({
            id: `grt_mem_${String(n).padStart(6, '0')}`,
            request_id: id,
            identity,
            resource,
            action,
            provider: 'noop',
            status: kind,
            handle: JSON.stringify({ noop: id }),
            created_at: created + 60_000,
            updated_at: kind === 'active' ? created + 60_000 : ended,
            expires_at: expires,
            revoked_at: kind === 'active' ? null : ended,
            revoked_by: kind === 'revoked' ? identity : kind === 'expired' ? 'system:scheduler' : null,
          });
        }
        if (kind === 'active') active.push({ identity, resource, action });
        if (requests.length >= 500) await flush();
      }
      await flush();
    });
  } finally {
    await database.close();
  }
  return { active };
}
