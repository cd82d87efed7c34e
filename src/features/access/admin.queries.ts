/**
 * Reads behind the administration API: identities (with their state in the store: disabled, flagged NHIs),
 * and role assignments (from the policy files and from the API); SoD exceptions and the detective scan are read in
 * `governance/sod.queries.ts`. Who may read what is decided in `decide/visibility.decide.ts`; these return plain views with ISO-8601 times.
 */
import { AppError } from '../../core/errors.js';
import { decideAreaRead, decideIdentityRead } from '../../decide/visibility.decide.js';
import { DUTIES, type Duty, type Identity, type SubjectRef } from '../../policy/model.js';
import type { Row } from '../../store/schema.js';
import type { VerbCall } from '../../app/context.js';
import { readWithSnapshot, requireRead } from '../../app/snapshot.queries.js';
import type { IdentityView } from './identity.view.js';
import type { RoleAssignmentView } from './role-assignment.view.js';

const isoOf = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
const refText = (ref: SubjectRef): string => `${ref.type}:${ref.name}`;

type IdentityRow = Pick<Row<'identities'>, 'name' | 'disabled_at' | 'disabled_by' | 'flagged_at' | 'flagged_reason'>;

function identityView(identity: Identity, row: IdentityRow | undefined, duties: readonly Duty[], owns: string[]) {
  const view: IdentityView = {
    name: identity.name,
    kind: identity.kind,
    email: identity.email ?? null,
    owner: identity.owner ?? null,
    groups: [...identity.groups],
    attributes: { ...identity.attributes },
    disabled: identity.disabled,
    disabledAt: isoOf(row?.disabled_at ?? null),
    disabledBy: row?.disabled_by ?? null,
    flagged: row?.flagged_at ? { at: isoOf(row.flagged_at) ?? '', reason: row.flagged_reason } : null,
    duties,
    owns: owns.sort(),
  };
  return view;
}

export interface ListIdentitiesInput {
  readonly kind?: string;
  /** Only names after this one (keyset pagination by name). */
  readonly after?: string;
  readonly limit?: number;
}

/** Identities by name, a page at a time (`administer` or `audit` readers only). */
export async function listIdentities({
  app,
  actor,
  input,
}: VerbCall<ListIdentitiesInput>): Promise<{ identities: IdentityView[]; next: string | null }> {
  const limit = Math.min(Math.max(input.limit ?? 200, 1), 1000);
  return readWithSnapshot(app, async ({ trx, snapshot }) => {
    requireRead(decideAreaRead(snapshot.duties, actor, 'identities'));
    const all = [...snapshot.policy.identities.values()]
      .filter(
        (i) =>
          (input.kind === undefined || i.kind === input.kind) && (input.after === undefined || i.name > input.after),
      )
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    const page = all.slice(0, limit);
    const names = page.map((i) => i.name);
    const rows =
      names.length === 0
        ? []
        : await trx
            .selectFrom('identities')
            .select(['name', 'disabled_at', 'disabled_by', 'flagged_at', 'flagged_reason'])
            .where('name', 'in', names)
            .execute();
    const byName = new Map(rows.map((row) => [row.name, row]));
    const owners = ownedBy(snapshot.policy.identities.values());
    const identities = page.map((i) =>
      identityView(i, byName.get(i.name), dutiesOf(snapshot.duties, i.name), owners.get(i.name) ?? []),
    );
    return { identities, next: all.length > limit ? (page.at(-1)?.name ?? null) : null };
  });
}

function ownedBy(identities: Iterable<Identity>): Map<string, string[]> {
  const owners = new Map<string, string[]>();
  for (const identity of identities) {
    if (identity.owner === undefined) continue;
    const list = owners.get(identity.owner);
    if (list) list.push(identity.name);
    else owners.set(identity.owner, [identity.name]);
  }
  return owners;
}

function dutiesOf(duties: { effectiveHoldings(identity: string): { duty: Duty }[] }, name: string): Duty[] {
  const held = new Set(duties.effectiveHoldings(name).map((h) => h.duty));
  return DUTIES.filter((duty) => held.has(duty));
}

/** One identity: one's own, or anyone's for `administer` or `audit` readers. */
export async function getIdentity({ app, actor, input }: VerbCall<{ name: string }>): Promise<IdentityView> {
  return readWithSnapshot(app, async ({ trx, snapshot }) => {
    requireRead(decideIdentityRead(snapshot.duties, actor, input.name));
    const identity = snapshot.policy.identities.get(input.name);
    if (!identity) throw new AppError('not_found', `identity '${input.name}' does not exist`);
    const row = await trx
      .selectFrom('identities')
      .select(['name', 'disabled_at', 'disabled_by', 'flagged_at', 'flagged_reason'])
      .where('name', '=', input.name)
      .executeTakeFirst();
    const owns = ownedBy(snapshot.policy.identities.values()).get(input.name) ?? [];
    return identityView(identity, row, dutiesOf(snapshot.duties, input.name), owns);
  });
}

export interface ListAssignmentsInput {
  readonly role?: string;
  readonly subject?: string;
  readonly source?: 'policy' | 'api';
}

/** Role assignments in force or pending expiry: the policy's and the API's (not removed). */
export async function listAssignments({
  app,
  actor,
  input,
}: VerbCall<ListAssignmentsInput>): Promise<RoleAssignmentView[]> {
  return readWithSnapshot(app, async ({ trx, snapshot }) => {
    requireRead(decideAreaRead(snapshot.duties, actor, 'assignments'));
    const fromPolicy: RoleAssignmentView[] = snapshot.policy.assignments.map((a) => ({
      id: a.id,
      role: a.role,
      subject: refText(a.subject),
      assignment: a.assignment,
      source: 'policy',
      expiresAt: isoOf(a.expiresAt ?? null),
      createdBy: null,
      createdAt: null,
    }));
    let query = trx
      .selectFrom('role_assignments')
      .selectAll()
      .where('source', '=', 'api')
      .where('removed_at', 'is', null);
    if (input.role !== undefined) query = query.where('role', '=', input.role);
    const rows = input.source === 'policy' ? [] : await query.orderBy('created_at').orderBy('id').execute();
    const fromApi: RoleAssignmentView[] = rows.map((row) => ({
      id: row.id,
      role: row.role,
      subject: `${row.subject_type}:${row.subject_name}`,
      assignment: row.assignment,
      source: 'api',
      expiresAt: isoOf(row.expires_at),
      createdBy: row.created_by,
      createdAt: isoOf(row.created_at),
    }));
    return [...(input.source === 'api' ? [] : fromPolicy), ...fromApi].filter(
      (a) =>
        (input.role === undefined || a.role === input.role) &&
        (input.subject === undefined || a.subject === input.subject),
    );
  });
}
