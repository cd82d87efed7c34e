/**
 * Directory groups fed by an OIDC `groups` claim at sign-in (`serve --oidc-sync-groups`, opt-in for the issuer):
 * the claim's values that name an existing directory group (by its name, its SCIM `displayName`, or its
 * `externalId`, which is what Entra ID puts in the claim: the group's object id) become exactly the identity's
 * `oidc` memberships. Only groups SCIM already created count: a token cannot create a group, nor join a group the
 * policy files define. A claim that is absent (Entra ID's overage, a token without it) changes nothing. A change
 * is audited as `group.members_sync` by `oidc:<issuer host>`.
 */
import type { AppContext } from '../../app/context.js';
import { inTransaction } from '../../app/transaction.js';
import { addMemberships, groupsOf, removeMemberships } from './directory.repo.js';

const MAX_CLAIM_GROUPS = 1000;

export interface OidcGroupSync {
  readonly identity: string;
  readonly issuer: string;
  /** The claim's values as the token carries them. */
  readonly groups: readonly string[];
}

/** Makes `identity`'s OIDC-claimed directory memberships those of the claim; returns what changed. */
export async function syncOidcGroups(
  app: AppContext,
  sync: OidcGroupSync,
): Promise<{ added: readonly string[]; removed: readonly string[] }> {
  const claimed = [...new Set(sync.groups.filter((g) => g.length > 0 && g.length <= 256))].slice(0, MAX_CLAIM_GROUPS);
  const db = app.database.db;
  // Read first, outside a write transaction: a sign-in whose groups did not change writes nothing.
  const wanted = claimed.length === 0 ? [] : await directoryGroupsNamed(app, claimed);
  const current = await groupsOf(db, sync.identity, ['oidc']);
  if (sameSet(wanted, current)) return { added: [], removed: [] };
  const outcome = await inTransaction(app, async (scope) => {
    const added: string[] = [];
    for (const group of wanted.filter((g) => !current.includes(g))) {
      added.push(...(await addMemberships(scope.trx, group, [sync.identity], 'oidc', scope.now)).map(() => group));
    }
    const removed: string[] = [];
    for (const group of current.filter((g) => !wanted.includes(g))) {
      if ((await removeMemberships(scope.trx, group, [sync.identity], 'oidc')).length > 0) removed.push(group);
    }
    if (added.length + removed.length > 0) {
      scope.audit({
        actor: `oidc:${hostOf(sync.issuer)}`,
        action: 'group.members_sync',
        subject: `identity:${sync.identity}`,
        details: { source: 'oidc', issuer: sync.issuer, added, removed },
      });
      scope.announce({ kind: 'duties' });
    }
    return { added, removed };
  });
  return outcome.value;
}

async function directoryGroupsNamed(app: AppContext, claimed: readonly string[]): Promise<string[]> {
  const lower = claimed.map((g) => g.toLowerCase());
  const names = new Set<string>();
  for (let i = 0; i < claimed.length; i += 500) {
    const chunk = claimed.slice(i, i + 500);
    const lowerChunk = lower.slice(i, i + 500);
    const byResource = await app.database.db
      .selectFrom('scim_resources')
      .select('name')
      .where('resource_type', '=', 'Group')
      .where((eb) =>
        eb.or([eb('display_key', 'in', lowerChunk), eb('external_id', 'in', chunk), eb('name', 'in', chunk)]),
      )
      .execute();
    for (const row of byResource) names.add(row.name);
  }
  if (names.size === 0) return [];
  const directory = await app.database.db
    .selectFrom('groups')
    .select('name')
    .where('source', '=', 'scim')
    .where('name', 'in', [...names])
    .execute();
  return directory.map((row) => row.name).sort();
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

function hostOf(issuer: string): string {
  try {
    return new URL(issuer).host;
  } catch {
    return issuer.slice(0, 100);
  }
}
