/**
 * Who was one principal with whom in a request's lifecycle (SPEC §2.4), in `request_principals`: when a non-system
 * identity acts on a request (an audit event about `request:<id>`), its owner at that moment and the human who
 * minted the API token it acted with are recorded beside the request, so later SoD checks compare against what
 * was true at act time (plus the owner of now, which `decide/principal.ts` adds). Rows are only ever added.
 */
import type { Transaction } from 'kysely';
import type { NewAuditEvent } from '../audit/audit-event.js';
import type { PrincipalLink } from '../decide/principal.js';
import type { PolicySet } from '../policy/model.js';
import type { Schema } from '../store/schema.js';
import { callerMinter } from './credential-context.js';

type Trx = Transaction<Schema>;

const REQUEST_SUBJECT = /^request:(.+)$/;

/** The recorded links of each request. */
export async function loadPrincipalLinks(
  trx: Trx,
  requestIds: readonly string[],
): Promise<Map<string, PrincipalLink[]>> {
  const byRequest = new Map<string, PrincipalLink[]>();
  if (requestIds.length === 0) return byRequest;
  const rows = await trx
    .selectFrom('request_principals')
    .select(['request_id', 'identity', 'member', 'link'])
    .where('request_id', 'in', requestIds)
    .orderBy('identity')
    .orderBy('member')
    .execute();
  for (const row of rows) {
    const list = byRequest.get(row.request_id) ?? [];
    list.push({ identity: row.identity, member: row.member, link: row.link });
    byRequest.set(row.request_id, list);
  }
  return byRequest;
}

/** `links` plus the caller's own link for the call in progress (the minter of the token it uses), if any. */
export function withCallerLink(links: readonly PrincipalLink[], caller: string | undefined): PrincipalLink[] {
  const minter = caller === undefined ? undefined : callerMinter(caller);
  if (caller === undefined || minter === undefined) return [...links];
  if (links.some((l) => l.identity === caller && l.member === minter)) return [...links];
  return [...links, { identity: caller, member: minter, link: 'minter' }];
}

/** The links of `identity` acting now: its owner in `policy` and the minter of the token in use. */
export function linksOf(policy: Pick<PolicySet, 'identities'>, identity: string): PrincipalLink[] {
  if (identity.startsWith('system:')) return [];
  const links: PrincipalLink[] = [];
  const owner = policy.identities.get(identity)?.owner;
  if (owner !== undefined) links.push({ identity, member: owner, link: 'owner' });
  const minter = callerMinter(identity);
  if (minter !== undefined && minter !== owner) links.push({ identity, member: minter, link: 'minter' });
  return links;
}

/** Records the links of every actor of `events` that acted on a request, in the verb's transaction. */
export async function recordPrincipalLinks(
  trx: Trx,
  policy: Pick<PolicySet, 'identities'>,
  events: readonly Pick<NewAuditEvent, 'actor' | 'action' | 'subject'>[],
  now: number,
): Promise<void> {
  const rows = new Map<string, { request_id: string; identity: string; member: string; link: PrincipalLink['link'] }>();
  for (const event of events) {
    const requestId = REQUEST_SUBJECT.exec(event.subject)?.[1];
    if (requestId === undefined || event.action.endsWith('_refused')) continue;
    for (const link of linksOf(policy, event.actor)) {
      rows.set(`${requestId}\u0000${link.identity}\u0000${link.member}`, { request_id: requestId, ...link });
    }
  }
  if (rows.size === 0) return;
  await trx
    .insertInto('request_principals')
    .values([...rows.values()].map((row) => ({ ...row, created_at: now })))
    .onConflict((oc) => oc.columns(['request_id', 'identity', 'member']).doNothing())
    .execute();
}
