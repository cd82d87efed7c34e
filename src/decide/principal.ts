/**
 * One principal, however many identities (SPEC §2.4): for every SoD check a non-human identity, its human owner
 * and the human who minted the token it acts with count as one principal. A principal here is a set of identity
 * names, each with the sentence that says why it belongs; two acts conflict when their principals share a name.
 * System actors (`system:policy`, `system:executor`, `system:operator`) are principals of their own and never
 * join anyone else's.
 */
import type { PolicySet } from '../policy/model.js';

/** How a human joined an identity's principal when it acted. */
export type PrincipalLinkKind = 'owner' | 'minter';

/** A human recorded as one principal with `identity` when it acted (its owner then, or its token's minter). */
export interface PrincipalLink {
  readonly identity: string;
  readonly member: string;
  readonly link: PrincipalLinkKind;
}

/** Member name → why it is in the principal (a sentence fragment quoting the names). */
export type Principal = ReadonlyMap<string, string>;

function isSystem(name: string): boolean {
  return name.startsWith('system:');
}

/**
 * The principal `identity` acts as: itself, its current owner, and every human `links` records for it (its owner
 * or token minter at an earlier act, or the minter of the token of the act in progress).
 */
export function principalOf(
  policy: Pick<PolicySet, 'identities'>,
  identity: string,
  links: readonly PrincipalLink[] = [],
): Principal {
  const members = new Map<string, string>([[identity, `'${identity}' itself`]]);
  if (isSystem(identity)) return members;
  const owner = policy.identities.get(identity)?.owner;
  if (owner !== undefined && !isSystem(owner)) members.set(owner, `'${owner}' owns '${identity}'`);
  for (const link of links) {
    if (link.identity !== identity || members.has(link.member) || isSystem(link.member)) continue;
    members.set(
      link.member,
      link.link === 'owner'
        ? `'${link.member}' owned '${identity}' when it acted`
        : `'${link.member}' minted the token '${identity}' acts with`,
    );
  }
  return members;
}

/**
 * Why `a` (the principal of identity `aName`) and `b` (of `bName`) are one principal, as a sentence naming who
 * links them, or undefined when they share nobody.
 */
export function sharedPrincipal(aName: string, a: Principal, bName: string, b: Principal): string | undefined {
  for (const [member, whyA] of a) {
    const whyB = b.get(member);
    if (whyB === undefined) continue;
    const links = [whyA, whyB].filter((why) => !why.endsWith(' itself'));
    return `'${aName}' and '${bName}' count as one principal (${links.join(', ')})`;
  }
  return undefined;
}
