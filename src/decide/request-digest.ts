/**
 * The request digest: one SHA-256 over exactly the content an approval binds to (resource, action, parameters,
 * duration — SPEC §2.8). An approver approves a digest; activation and execution recompute it from the stored
 * request, so any change to the content after approval is caught.
 */
import { canonicalDigest } from '../core/canonical-json.js';

/** The request content an approval binds to. Justification and ticket are context, not content. */
export interface RequestDigestInput {
  readonly resource: string;
  readonly action: string;
  readonly params?: Readonly<Record<string, unknown>>;
  readonly durationSeconds: number;
}

/** Domain separation: a request digest can never collide with another kind of canonical digest. */
const DIGEST_DOMAIN = 'countersign.request-digest.v1';

/**
 * SHA-256 hex of the canonical JSON of the request content. Absent parameters digest like `{}`, since they
 * mean the same request; key order never matters.
 */
export function requestDigest(input: RequestDigestInput): string {
  return canonicalDigest({
    domain: DIGEST_DOMAIN,
    resource: input.resource,
    action: input.action,
    params: input.params ?? {},
    durationSeconds: input.durationSeconds,
  });
}
