/**
 * Zod pieces the route modules share for what they read: bounded names and texts, ISO-8601 times in requests and
 * their conversion to the epoch milliseconds verbs speak. What a route answers is a feature's view
 * (`features/<feature>/*.view.ts`), never a schema of its own.
 */
import { z } from 'zod';
import { AppError } from '../../core/errors.js';

export const nameSchema = z.string().min(1).max(200);
export const idSchema = z.string().min(1).max(100);
export const isoTime = z.string().max(40);
export const reasonText = z.string().min(1).max(2000);
export const subjectText = z
  .string()
  .max(220)
  .regex(/^(group|identity):.+$/, 'a reference written group:NAME or identity:NAME');
/** A page size in a query string: 1 … `max`. */
export function limitSchema(max: number): z.ZodOptional<z.ZodCoercedNumber<unknown>> {
  return z.coerce.number().int().min(1).max(max).optional();
}

/** An ISO-8601 time from a request as epoch milliseconds; `invalid` names the field when it is not one. */
export function epochOf(field: string, text: string): number {
  const ms = Date.parse(text);
  if (!Number.isFinite(ms) || !/^\d{4}-\d{2}-\d{2}T/.test(text)) {
    throw new AppError('invalid', `${field} '${text}' is not an ISO-8601 time such as 2026-01-15T09:00:00Z`);
  }
  return ms;
}

/** `group:NAME` / `identity:NAME` as a subject reference. */
export function parseSubjectText(text: string): { type: 'group' | 'identity'; name: string } {
  const at = text.indexOf(':');
  return { type: text.slice(0, at) === 'group' ? 'group' : 'identity', name: text.slice(at + 1) };
}
