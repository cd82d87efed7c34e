/**
 * `PUT /v1/resources/{id}`: registers a resource through the API, or updates one the API registered before
 * (`resource.register` / `resource.update`). Resources from the policy files change only through the policy.
 */
import { z } from 'zod';
import type { Reason } from '../core/decision.js';
import { AppError } from '../core/errors.js';
import { decideResourceWrite } from '../decide/administration.decide.js';
import type { Resource } from '../policy/model.js';
import { toJsonText } from '../store/columns.js';
import type { VerbCall } from './context.js';
import { firstMessage, parseInput, recordRefusal } from './request-verb-support.js';
import { inTransaction } from './transaction.js';

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
  connection: z.record(SHORT, SHORT).default({}),
  attributes: z.record(SHORT, z.union([SHORT, z.number(), z.boolean()])).default({}),
});
export type PutResourceInput = z.input<typeof putInput>;

export interface PutResourceResult {
  readonly resource: Resource;
  readonly created: boolean;
}

type Outcome = { readonly done: PutResourceResult } | { readonly refused: readonly Reason[] };

/**
 * Creates or replaces an API resource. Invariants: the actor holds `administer` on the profile it is bound to,
 * and on its previous profile when it moves; a resource of the policy files is never changed here (`conflict`).
 */
export async function putResource({ app, actor, input }: VerbCall<PutResourceInput>): Promise<PutResourceResult> {
  const parsed = parseInput(putInput, input);
  const { value } = await inTransaction(app, async ({ trx, now, audit }): Promise<Outcome> => {
    const snapshot = await app.policy.snapshot(trx, now);
    // The snapshot holds registered resources too; only the files' own are off limits here.
    if (app.policy.loaded.resources.has(parsed.name)) {
      throw new AppError(
        'conflict',
        `resource '${parsed.name}' comes from the policy files; change the policy instead`,
      );
    }
    const profile = snapshot.policy.profiles.get(parsed.profile);
    if (!profile) throw new AppError('not_found', `profile '${parsed.profile}' does not exist`);
    const existing = await trx
      .selectFrom('resources')
      .select(['profile', 'source', 'removed_at'])
      .where('name', '=', parsed.name)
      .executeTakeFirst();
    const live = existing !== undefined && existing.removed_at === null;
    if (live && existing.source === 'policy') {
      throw new AppError(
        'conflict',
        `resource '${parsed.name}' comes from the policy files; change the policy instead`,
      );
    }
    const profiles = [profile];
    const previous = live ? snapshot.policy.profiles.get(existing.profile) : undefined;
    if (previous && previous.name !== profile.name) profiles.push(previous);
    for (const p of profiles) {
      const decision = decideResourceWrite(snapshot.duties, actor, p, 'register');
      if (!decision.allowed) return { refused: decision.reasons };
    }
    const values = {
      profile: parsed.profile,
      labels: toJsonText(parsed.labels),
      owner: parsed.owner ?? null,
      connection: toJsonText(parsed.connection),
      attributes: toJsonText(parsed.attributes),
      source: live ? existing.source : ('api' as const),
      updated_at: now,
      removed_at: null,
    };
    await trx
      .insertInto('resources')
      .values({ name: parsed.name, ...values, created_at: now })
      .onConflict((conflict) => conflict.column('name').doUpdateSet(values))
      .execute();
    const at = parsed.owner?.indexOf(':') ?? -1;
    const resource: Resource = {
      name: parsed.name,
      profile: parsed.profile,
      labels: parsed.labels,
      ...(parsed.owner !== undefined && at > 0
        ? {
            owner: {
              type: parsed.owner.slice(0, at) === 'group' ? ('group' as const) : ('identity' as const),
              name: parsed.owner.slice(at + 1),
            },
          }
        : {}),
      connection: parsed.connection,
      attributes: parsed.attributes,
    };
    audit({
      actor,
      action: live ? 'resource.update' : 'resource.register',
      subject: `resource:${parsed.name}`,
      details: {
        profile: parsed.profile,
        ...(live ? { previousProfile: existing.profile } : {}),
        labels: parsed.labels,
        owner: parsed.owner ?? null,
      },
    });
    return { done: { resource, created: !live } };
  });
  if ('done' in value) return value.done;
  throw await recordRefusal(app, {
    actor,
    action: 'resource.register_refused',
    subject: `resource:${parsed.name}`,
    code: 'forbidden',
    message: firstMessage(value.refused, `'${actor}' may not register resources of profile '${parsed.profile}'`),
    reasons: value.refused,
  });
}
