/**
 * `PUT /v1/resources/{id}`: registers a resource through the API, or updates one the API registered before.
 * Registering or re-binding one (profile, connection, owner, labels) widens access, so it is only proposed here
 * (`admin_change.propose`) and applied by a second administrator's approval (`resource.register` /
 * `resource.update`, see `admin-changes.verbs.ts`); an update of its attributes alone applies at once. Its
 * connection is nothing or one the operator allow-listed, by name. Resources from the policy files change only
 * through the policy.
 */
import { refusalOf } from '../../core/decision.js';
import type { Transaction } from 'kysely';
import { z } from 'zod';
import { AppError } from '../../core/errors.js';
import {
  decideApiConnection,
  resourceChangeWidens,
  type AdminChangeTarget,
  type ResourceBinding,
} from '../../decide/admin-change.decide.js';
import { decideResourceWrite } from '../../decide/administration.decide.js';
import type { Resource, ResourceProfile, SubjectRef } from '../../policy/model.js';
import { fromJsonText, toJsonText } from '../../store/columns.js';
import type { Schema } from '../../store/schema.js';
import { insertAdminChange, toAdminChange, type AdminChange } from '../../app/admin-changes.repo.js';
import type { AppContext, PolicySnapshot, VerbCall } from '../../app/context.js';
import { parseInput, type Outcome } from '../../app/verb-support.js';
import { refuse } from '../../app/refuse.js';
import { inTransaction, type TransactionScope } from '../../app/transaction.js';
import { upsertResource } from './resources.repo.js';

const NAME = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, ".", "_" and "-"');
const SHORT = z.string().max(500);

const putInput = z.object({
  name: NAME,
  profile: NAME,
  labels: z.record(SHORT, SHORT).default({}),
  owner: z
    .string()
    .max(200)
    .regex(/^(group|identity):.+$/)
    .optional(),
  /** `{ name }` of a connection the operator allow-listed, or nothing. */
  connection: z.record(SHORT, SHORT).default({}),
  attributes: z.record(SHORT, z.union([SHORT, z.number(), z.boolean()])).default({}),
});
export type PutResourceInput = z.input<typeof putInput>;
type PutResourceProposal = z.output<typeof putInput>;

export type PutResourceResult =
  { readonly applied: { readonly resource: Resource; readonly created: boolean } } | { readonly pending: AdminChange };

interface CheckedPut {
  readonly target: AdminChangeTarget & { readonly kind: 'resource' };
  readonly live: { readonly profile: string; readonly source: string; readonly binding: ResourceBinding } | undefined;
  readonly after: ResourceBinding;
  readonly connection: Readonly<Record<string, string>>;
}

function parseOwner(text: string | undefined | null): SubjectRef | undefined {
  const match = text ? /^(group|identity):(.+)$/.exec(text) : null;
  return match ? { type: match[1] as 'group' | 'identity', name: match[2] as string } : undefined;
}

/** The name a stored connection was allow-listed under; a free-form one of earlier versions counts as itself. */
function storedConnectionName(connection: Readonly<Record<string, string>>): string | null {
  if (Object.keys(connection).length === 0) return null;
  return connection.name ?? toJsonText(connection);
}

/**
 * What proposing and applying both check against the policy in force: not a resource of the policy files; the
 * profile exists; `actor` holds `administer` on it and on the profile it leaves; the connection is allowed.
 */
async function checkResourcePut(
  trx: Transaction<Schema>,
  app: AppContext,
  snapshot: PolicySnapshot,
  actor: string,
  parsed: PutResourceProposal,
): Promise<Outcome<CheckedPut>> {
  const fromFiles = `resource '${parsed.name}' comes from the policy files; change the policy instead`;
  if (app.policy.loaded.resources.has(parsed.name)) throw new AppError('conflict', fromFiles);
  const profile = snapshot.policy.profiles.get(parsed.profile);
  if (!profile) throw new AppError('not_found', `profile '${parsed.profile}' does not exist`);
  const existing = await trx
    .selectFrom('resources')
    .select(['profile', 'source', 'removed_at', 'labels', 'owner', 'connection'])
    .where('name', '=', parsed.name)
    .executeTakeFirst();
  const live = existing !== undefined && existing.removed_at === null ? existing : undefined;
  if (live?.source === 'policy') throw new AppError('conflict', fromFiles);
  const profiles: ResourceProfile[] = [profile];
  const previous = live ? snapshot.policy.profiles.get(live.profile) : undefined;
  if (previous && previous.name !== profile.name) profiles.push(previous);
  for (const p of profiles) {
    const decision = decideResourceWrite(snapshot.duties, actor, p, 'register');
    if (!decision.allowed) return { refused: refusalOf(decision.reasons) };
  }
  const connection = decideApiConnection(app.allowedConnections ?? new Map(), parsed.connection);
  if (!connection.allowed) return { refused: refusalOf(connection.reasons) };
  const owner = parseOwner(parsed.owner);
  return {
    done: {
      target: { kind: 'resource', name: parsed.name, profiles, ...(owner ? { owner } : {}) },
      live: live && {
        profile: live.profile,
        source: live.source,
        binding: {
          profile: live.profile,
          labels: fromJsonText(live.labels),
          owner: live.owner,
          connection: storedConnectionName(fromJsonText(live.connection)),
        },
      },
      after: {
        profile: parsed.profile,
        labels: parsed.labels,
        owner: parsed.owner ?? null,
        connection: connection.name,
      },
      connection: connection.connection,
    },
  };
}

/**
 * Writes the resource row and its audit event (`resource.register` / `resource.update`); a resource new or bound
 * to another profile is announced (`resources`), so `check` knows it from the next call.
 */
async function writeResource(
  scope: Pick<TransactionScope, 'trx' | 'now' | 'audit' | 'announce'>,
  parsed: PutResourceProposal,
  checked: CheckedPut,
  actor: string,
  approval?: { readonly changeId: string; readonly author: string },
): Promise<{ resource: Resource; created: boolean }> {
  const { trx, now, audit, announce } = scope;
  const owner = parseOwner(parsed.owner);
  const resource: Resource = {
    name: parsed.name,
    profile: parsed.profile,
    labels: parsed.labels,
    ...(owner ? { owner } : {}),
    connection: checked.connection,
    attributes: parsed.attributes,
  };
  await upsertResource(trx, resource, checked.live ? (checked.live.source as 'api') : 'api', now);
  if (checked.live?.profile !== parsed.profile) announce({ kind: 'resources' });
  audit({
    actor,
    action: checked.live ? 'resource.update' : 'resource.register',
    subject: `resource:${parsed.name}`,
    details: {
      profile: parsed.profile,
      ...(checked.live ? { previousProfile: checked.live.profile } : {}),
      labels: parsed.labels,
      owner: parsed.owner ?? null,
      connection: checked.after.connection,
      ...(approval ? { proposedBy: approval.author, approvedBy: actor, changeId: approval.changeId } : {}),
    },
  });
  return { resource, created: !checked.live };
}

/**
 * Registers or updates an API resource. Invariants: the actor holds `administer` on the profile it is bound to,
 * and on its previous profile when it moves; its connection is allow-listed; a change that widens access
 * (`resourceChangeWidens`) only becomes a pending change; a resource of the policy files is never changed here.
 */
export async function putResource(call: VerbCall<PutResourceInput>): Promise<PutResourceResult> {
  const { app, actor } = call;
  const parsed = parseInput(putInput, call.input);
  const { value } = await inTransaction(app, async (scope): Promise<Outcome<PutResourceResult>> => {
    const { trx, now, audit, notify } = scope;
    const snapshot = await app.policy.snapshot(trx, now);
    const checked = await checkResourcePut(trx, app, snapshot, actor, parsed);
    if (!('done' in checked)) return checked;
    if (!resourceChangeWidens(checked.done.live?.binding, checked.done.after)) {
      return { done: { applied: await writeResource(scope, parsed, checked.done, actor) } };
    }
    const payload = {
      name: parsed.name,
      profile: parsed.profile,
      labels: parsed.labels,
      owner: parsed.owner ?? null,
      connection: checked.done.after.connection,
      attributes: parsed.attributes,
    };
    const row = await insertAdminChange(trx, {
      kind: 'resource',
      target: `resource:${parsed.name}`,
      payload,
      author: actor,
      now,
    });
    audit({
      actor,
      action: 'admin_change.propose',
      subject: `admin_change:${row.id}`,
      details: {
        kind: row.kind,
        target: row.target,
        digest: row.digest,
        ...payload,
        ...(checked.done.live ? { previousProfile: checked.done.live.profile } : {}),
        expiresAt: row.expires_at,
      },
    });
    notify('admin_change.proposed', { changeId: row.id, kind: row.kind, target: row.target, author: actor });
    return { done: { pending: toAdminChange(row, now) } };
  });
  if ('done' in value) return value.done;
  throw await refuse(app, {
    actor,
    action: 'resource.register_refused',
    subject: `resource:${parsed.name}`,
    refusal: value.refused,
    otherwise: `'${actor}' may not register resources of profile '${parsed.profile}'`,
  });
}

/** A stored resource proposal as the verb's input (its connection by name). */
function proposalOf(payload: unknown): PutResourceProposal {
  const p = payload as Record<string, unknown>;
  return parseInput(putInput, {
    name: p.name,
    profile: p.profile,
    labels: p.labels,
    ...(typeof p.owner === 'string' ? { owner: p.owner } : {}),
    connection: typeof p.connection === 'string' ? { name: p.connection } : {},
    attributes: p.attributes,
  });
}

/** What a stored resource proposal would touch in the policy in force now (for the approval decision). */
export async function resourceChangeTarget(
  trx: Transaction<Schema>,
  app: AppContext,
  snapshot: PolicySnapshot,
  author: string,
  payload: unknown,
): Promise<Outcome<AdminChangeTarget>> {
  const checked = await checkResourcePut(trx, app, snapshot, author, proposalOf(payload));
  return 'done' in checked ? { done: checked.done.target } : checked;
}

/**
 * Applies an approved resource proposal inside the approving transaction. Invariants: the author's checks hold
 * against the policy in force now, the allow-list included (the approver's are `decideAdminChangeApproval`'s).
 */
export async function applyResourcePut(
  scope: Pick<TransactionScope, 'trx' | 'now' | 'audit' | 'announce'>,
  app: AppContext,
  snapshot: PolicySnapshot,
  change: { readonly id: string; readonly author: string; readonly approver: string; readonly payload: unknown },
): Promise<Outcome<{ resource: Resource; created: boolean }>> {
  const parsed = proposalOf(change.payload);
  const checked = await checkResourcePut(scope.trx, app, snapshot, change.author, parsed);
  if (!('done' in checked)) return checked;
  return {
    done: await writeResource(scope, parsed, checked.done, change.approver, {
      changeId: change.id,
      author: change.author,
    }),
  };
}
