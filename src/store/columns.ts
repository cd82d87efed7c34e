/**
 * Conversions between domain values and the column conventions of `schema.ts`: canonical JSON text and 0/1
 * flags. Repositories use these instead of `JSON.stringify`, so the same value is always stored byte for byte
 * the same way (and hashes the same way) on both dialects.
 */
import { canonicalJson } from '../core/canonical-json.js';
import type { Flag, JsonText } from './schema.js';

export function toJsonText(value: unknown): JsonText {
  return canonicalJson(value);
}

/** Parses a JSON column. The text was written by `toJsonText`, so a parse failure means a corrupted row. */
export function fromJsonText<T = unknown>(text: JsonText): T {
  return JSON.parse(text) as T;
}

export function toFlag(value: boolean): Flag {
  return value ? 1 : 0;
}

export function fromFlag(value: number): boolean {
  return value === 1;
}
