/**
 * What an approval provisions (SPEC §2.8, issue #9): an approval binds to the request content (its digest) and
 * to what the action provisions in the profile version the request was evaluated against — the provider and its
 * settings, and the action's `grant` or `execute` settings (e.g. the PostgreSQL role). A policy load between
 * approval and activation may change the profile; it may not enlarge what an existing approval provisions.
 */
import { canonicalJson } from '../core/canonical-json.js';
import { reason, type Reason } from '../core/decision.js';

/** A profile definition as stored with each version: the resolved spec as written (see `profileDefinition`). */
export type ProfileDefinition = Readonly<Record<string, unknown>>;

function member(value: unknown, key: string): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return (value as Record<string, unknown>)[key];
}

/** The part of a profile definition that says what `action` provisions, as canonical JSON. */
export function provisioningOf(definition: ProfileDefinition, action: string): string {
  const settings = member(member(definition, 'actions'), action);
  return canonicalJson({
    provider: definition.provider ?? null,
    grant: member(settings, 'grant') ?? null,
    execute: member(settings, 'execute') ?? null,
  });
}

export interface ProvisioningCheck {
  readonly requestId: string;
  readonly profile: string;
  readonly action: string;
  /** The definition of the profile version the request was evaluated (and approved) against, if on record. */
  readonly approved: ProfileDefinition | undefined;
  /** The definition of the profile version in force now. */
  readonly current: ProfileDefinition;
}

/**
 * The problems (none when it holds) with provisioning an approved request under the profile in force. Invariant:
 * a request is provisioned only as approved — same provider and settings, same grant or execute settings; a
 * difference, or an approved version no longer on record, asks for a new request and a new approval.
 */
export function checkProvisioningUnchanged(check: ProvisioningCheck): Reason[] {
  const { requestId, profile, action } = check;
  if (check.approved === undefined) {
    const message = `the version of profile '${profile}' that request '${requestId}' was approved under is not on record; submit a new request for a new approval`;
    return [reason('provisioning.unknown', message)];
  }
  if (provisioningOf(check.approved, action) === provisioningOf(check.current, action)) return [];
  const message = `what action '${action}' of profile '${profile}' provisions changed since request '${requestId}' was approved; submit a new request for a new approval`;
  return [reason('provisioning.changed', message)];
}
