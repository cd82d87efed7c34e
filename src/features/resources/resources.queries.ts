/**
 * Reads behind `/v1/resources` and `/v1/drift`: resources from the policy files and from the API, each with its
 * profile's version, latest observation time and open drift counts, and drift findings with first seen, last
 * seen and resolved times. An identity sees only resources of profiles it holds a duty on
 * (`decideProfileRead`).
 */
import type { Transaction } from 'kysely';
import { AppError } from '../../core/errors.js';
import { NO_DRIFT } from '../../decide/types.js';
import { decideProfileRead, visibleProfileNames } from '../../decide/visibility.decide.js';
import type { PolicySet, Resource, Severity } from '../../policy/model.js';
import { rowToResource } from '../../store/resource-row.js';
import type { DriftStatus, Schema } from '../../store/schema.js';
import type { VerbCall } from '../../app/context.js';
import { readWithSnapshot } from '../../app/snapshot.queries.js';
import type { DriftFindingView, ObservationRecordView, ResourceView } from './resource.view.js';

const isoOf = (ms: number | null | undefined): string | null =>
  ms === null || ms === undefined ? null : new Date(ms).toISOString();

interface Located {
  readonly resource: Resource;
  readonly source: ResourceView['source'];
}

/**
 * Every live resource, or those of one profile or of one name: the policy files' (`files`: the loaded policy,
 * not the snapshot, which also holds the registered ones), then those registered through the API or discovered.
 * The profile and the name are filtered in the query, so that a page of one profile or one resource does not
 * read (and drop) every row of a store with 100,000 resources.
 */
async function allResources(
  trx: Transaction<Schema>,
  files: PolicySet,
  only: { readonly profile?: string; readonly name?: string } = {},
): Promise<Located[]> {
  let query = trx.selectFrom('resources').selectAll().where('removed_at', 'is', null);
  if (only.profile !== undefined) query = query.where('profile', '=', only.profile);
  if (only.name !== undefined) query = query.where('name', '=', only.name);
  const rows = await query.execute();
  const located: Located[] = [];
  for (const resource of files.resources.values()) {
    if (only.profile !== undefined && resource.profile !== only.profile) continue;
    if (only.name !== undefined && resource.name !== only.name) continue;
    located.push({ resource, source: 'policy' });
  }
  for (const row of rows) {
    if (files.resources.has(row.name) || row.source === 'policy') continue;
    located.push({ source: row.source, resource: rowToResource(row) });
  }
  return located.sort((a, b) => (a.resource.name < b.resource.name ? -1 : 1));
}

/**
 * Names per query of `postureOf`: a list of every resource would otherwise bind one parameter per name, past
 * SQLite's limit (32,766) and PostgreSQL's (65,535), and the whole listing failed with a database error.
 */
const POSTURE_CHUNK = 5_000;

async function postureOf(
  trx: Transaction<Schema>,
  names: readonly string[],
): Promise<{ latest: Map<string, number>; drift: Map<string, Record<Severity, number>> }> {
  const latest = new Map<string, number>();
  const drift = new Map<string, Record<Severity, number>>();
  for (let start = 0; start < names.length; start += POSTURE_CHUNK) {
    const chunk = names.slice(start, start + POSTURE_CHUNK);
    // The newest observation by arrival is the current one; its `observed_at` is what the resource shows.
    const observed = await trx
      .selectFrom('observations as o')
      .select(['o.resource', 'o.observed_at'])
      .where('o.resource', 'in', chunk)
      .where(({ eb, selectFrom }) =>
        eb(
          'o.arrival',
          '=',
          selectFrom('observations as newest')
            .select((inner) => inner.fn.max('newest.arrival').as('arrival'))
            .whereRef('newest.resource', '=', 'o.resource'),
        ),
      )
      .execute();
    for (const row of observed) latest.set(row.resource, Number(row.observed_at));
    const counts = await trx
      .selectFrom('drift_findings')
      .select(['resource', 'severity', (eb) => eb.fn.countAll().as('count')])
      .where('resource', 'in', chunk)
      .where('status', '=', 'open')
      .groupBy(['resource', 'severity'])
      .execute();
    for (const row of counts) {
      const entry = drift.get(row.resource) ?? { ...NO_DRIFT };
      entry[row.severity] = Number(row.count);
      drift.set(row.resource, entry);
    }
  }
  return { latest, drift };
}

function view(located: Located, policy: PolicySet, posture: Awaited<ReturnType<typeof postureOf>>): ResourceView {
  const { resource, source } = located;
  const profile = policy.profiles.get(resource.profile);
  return {
    name: resource.name,
    profile: resource.profile,
    profileVersion: profile?.version ?? null,
    classification: profile?.classification ?? null,
    environment: profile?.environment ?? null,
    labels: { ...resource.labels },
    owner: resource.owner ? `${resource.owner.type}:${resource.owner.name}` : null,
    attributes: { ...resource.attributes },
    source,
    latestObservationAt: isoOf(posture.latest.get(resource.name)),
    drift: posture.drift.get(resource.name) ?? { ...NO_DRIFT },
  };
}

/** Resources the actor may see (of profiles it holds a duty on), by name; optionally of one profile. */
export async function listResources({ app, actor, input }: VerbCall<{ profile?: string }>): Promise<ResourceView[]> {
  return readWithSnapshot(app, async ({ trx, snapshot }) => {
    const visible = visibleProfileNames(snapshot.duties, actor, snapshot.policy.profiles.values());
    const only = input.profile === undefined ? {} : { profile: input.profile };
    const shown = (await allResources(trx, app.policy.loaded, only)).filter((l) => visible.has(l.resource.profile));
    const posture = await postureOf(
      trx,
      shown.map((l) => l.resource.name),
    );
    return shown.map((l) => view(l, snapshot.policy, posture));
  });
}

/** One resource with its posture; `not_found` also when the actor may not see it (its existence is not told). */
export async function getResource({ app, actor, input }: VerbCall<{ name: string }>): Promise<ResourceView> {
  return readWithSnapshot(app, async ({ trx, snapshot }) => {
    const [located] = await allResources(trx, app.policy.loaded, { name: input.name });
    const profile = located ? snapshot.policy.profiles.get(located.resource.profile) : undefined;
    if (!located || (profile && !decideProfileRead(snapshot.duties, actor, profile).allowed)) {
      throw new AppError('not_found', `resource '${input.name}' does not exist`);
    }
    return view(located, snapshot.policy, await postureOf(trx, [input.name]));
  });
}

/**
 * A resource's observations, newest arrival first (at most `limit`, default 50), with who sent each: for anyone
 * who may see the resource; `not_found` otherwise. The configurations themselves are not listed.
 */
export async function listObservations({
  app,
  actor,
  input,
}: VerbCall<{ name: string; limit?: number }>): Promise<ObservationRecordView[]> {
  return readWithSnapshot(app, async ({ trx, snapshot }) => {
    const [located] = await allResources(trx, app.policy.loaded, { name: input.name });
    const profile = located ? snapshot.policy.profiles.get(located.resource.profile) : undefined;
    if (!located || (profile && !decideProfileRead(snapshot.duties, actor, profile).allowed)) {
      throw new AppError('not_found', `resource '${input.name}' does not exist`);
    }
    const rows = await trx
      .selectFrom('observations')
      .select(['id', 'arrival', 'observed_at', 'recorded_at', 'recorded_by', 'source'])
      .where('resource', '=', input.name)
      .orderBy('arrival', 'desc')
      .limit(Math.min(Math.max(input.limit ?? 50, 1), 500))
      .execute();
    return rows.map((row) => ({
      id: row.id,
      arrival: Number(row.arrival),
      observedAt: new Date(Number(row.observed_at)).toISOString(),
      receivedAt: new Date(Number(row.recorded_at)).toISOString(),
      sender: row.recorded_by,
      source: row.source,
    }));
  });
}

export interface ListDriftInput {
  readonly resource?: string;
  readonly severity?: Severity;
  readonly status?: DriftStatus;
  readonly limit?: number;
}

/** Drift findings of the resources the actor may see, most recently seen first. */
export async function listDrift({ app, actor, input }: VerbCall<ListDriftInput>): Promise<DriftFindingView[]> {
  const limit = Math.min(Math.max(input.limit ?? 500, 1), 5000);
  return readWithSnapshot(app, async ({ trx, snapshot }) => {
    const visible = visibleProfileNames(snapshot.duties, actor, snapshot.policy.profiles.values());
    const resources = (await allResources(trx, app.policy.loaded)).filter((l) => visible.has(l.resource.profile));
    const everything = resources.length > 0 && visible.size === snapshot.policy.profiles.size;
    let names = resources.map((l) => l.resource.name);
    if (input.resource !== undefined) names = names.filter((name) => name === input.resource);
    if (names.length === 0) return [];
    let query = trx.selectFrom('drift_findings').selectAll();
    // Findings of removed resources stay visible to those who see every profile.
    if (!everything || input.resource !== undefined) query = query.where('resource', 'in', names);
    if (input.severity !== undefined) query = query.where('severity', '=', input.severity);
    if (input.status !== undefined) query = query.where('status', '=', input.status);
    const rows = await query.orderBy('last_seen', 'desc').orderBy('id').limit(limit).execute();
    return rows.map((row) => ({
      id: row.id,
      resource: row.resource,
      check: row.check_name,
      severity: row.severity,
      status: row.status,
      message: row.message,
      profileVersion: row.profile_version,
      firstSeen: new Date(row.first_seen).toISOString(),
      lastSeen: new Date(row.last_seen).toISOString(),
      resolvedAt: isoOf(row.resolved_at),
    }));
  });
}
