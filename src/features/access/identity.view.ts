/**
 * The shapes of identities outside the application: an identity with its state in the store and the duties it
 * holds (`Identity`), and what offboarding one took away (`DisabledIdentity`). `/v1/identities` answers them and
 * the OpenAPI document names them; times are ISO 8601.
 */
import { z } from 'zod';
import { DUTIES } from '../../policy/model.js';
import { iso, isoTime, text } from '../../app/view-fields.js';
import type { OffboardingResult } from './offboarding.js';

export const identityViewSchema = z
  .object({
    name: text(200),
    kind: text(20),
    email: text(320).nullable(),
    owner: text(200).nullable(),
    groups: z.array(text(200)).max(1000).readonly(),
    attributes: z.record(text(200), z.union([text(2000), z.number(), z.boolean()])),
    disabled: z.boolean(),
    disabledAt: isoTime.nullable(),
    disabledBy: text(200).nullable(),
    /** Set on an NHI whose owner was disabled: it needs a new owner. */
    flagged: z.object({ at: isoTime, reason: text(2000).nullable() }).nullable(),
    /** Duties in force now, in vocabulary order. */
    duties: z.array(z.enum(DUTIES)).readonly(),
    /** Non-human identities this identity owns. */
    owns: z.array(text(200)).max(10_000).readonly(),
  })
  .meta({ id: 'Identity' });

export type IdentityView = z.infer<typeof identityViewSchema>;

export const disabledIdentityViewSchema = z
  .object({
    identity: text(200),
    disabledAt: isoTime,
    cancelledRequests: z.array(text(100)).max(100_000).readonly(),
    /** Grants made due for revocation now. */
    revokedGrants: z.array(text(100)).max(100_000).readonly(),
    revokedTokens: z.number().int(),
    flaggedIdentities: z.array(text(200)).max(100_000).readonly(),
  })
  .meta({ id: 'DisabledIdentity' });

export type DisabledIdentityView = z.infer<typeof disabledIdentityViewSchema>;

export function toDisabledIdentityView(result: OffboardingResult): DisabledIdentityView {
  return {
    identity: result.identity,
    disabledAt: iso(result.disabledAt),
    cancelledRequests: result.cancelledRequests,
    revokedGrants: result.revokedGrants,
    revokedTokens: result.revokedTokens,
    flaggedIdentities: result.flaggedIdentities,
  };
}
