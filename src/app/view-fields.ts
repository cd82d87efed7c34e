/**
 * The pieces every feature's view (`features/<feature>/*.view.ts`) is built of. A view is what leaves the
 * application for the HTTP API, the CLI and the OpenAPI document, so it speaks one time format: ISO 8601
 * strings (`2026-01-15T09:00:00.000Z`), while verbs and the store speak epoch milliseconds. Every string in a
 * view is bounded, because the HTTP layer checks each answer against its view before sending it.
 */
import { z } from 'zod';

const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * An ISO 8601 time as a view carries it (`date-time` in the OpenAPI document). Offsets are allowed because a few
 * times are kept as the policy wrote them; times the application makes are always UTC (`iso`).
 */
export const isoTime = z.string().max(40).regex(ISO_8601, 'an ISO 8601 time').meta({ format: 'date-time' });

/** A bounded string of a view. */
export function text(max: number): z.ZodString {
  return z.string().max(max);
}

/** Epoch milliseconds as the ISO 8601 string a view carries. */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** `iso`, keeping an absent time as `null` (views whose absent fields are `null` rather than left out). */
export function isoOrNull(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : iso(ms);
}
