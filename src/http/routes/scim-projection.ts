/**
 * `attributes` and `excludedAttributes` (RFC 7644 §3.4.2.5): which attributes of a SCIM document are returned.
 * `id` and `schemas` always are; names are compared case-insensitively, with or without the schema URN, and a
 * sub-attribute (`name.givenName`) keeps only that part of its complex attribute.
 */
import { pathSegments } from '../../decide/scim-filter.js';
import type { ScimDocument } from '../../decide/scim-patch.js';

const ALWAYS = new Set(['id', 'schemas']);

function parseList(text: string | undefined): string[][] {
  if (text === undefined || text.trim() === '') return [];
  return text
    .split(',')
    .map((item) => pathSegments(item.trim()).map((s) => s.toLowerCase()))
    .filter((segments) => segments.length > 0 && segments[0] !== '');
}

export function projectScim(document: ScimDocument, attributes?: string, excludedAttributes?: string): ScimDocument {
  const wanted = parseList(attributes);
  const excluded = parseList(excludedAttributes);
  const out: ScimDocument = {};
  for (const [key, value] of Object.entries(document)) {
    const lower = key.toLowerCase();
    if (ALWAYS.has(lower)) {
      out[key] = value;
      continue;
    }
    if (wanted.length > 0) {
      const matching = wanted.filter((segments) => segments[0] === lower);
      if (matching.length === 0) continue;
      const subs = matching.filter((segments) => segments.length > 1).map((segments) => segments[1] as string);
      out[key] =
        subs.length === 0 || subs.length < matching.length || value === null || typeof value !== 'object'
          ? value
          : pick(value, subs);
      continue;
    }
    if (excluded.some((segments) => segments.length === 1 && segments[0] === lower)) continue;
    out[key] = value;
  }
  return out;
}

function pick(value: object, subs: readonly string[]): unknown {
  const keep = (record: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(record).filter(([k]) => subs.includes(k.toLowerCase())));
  return Array.isArray(value)
    ? value.map((item) => keep(item as Record<string, unknown>))
    : keep(value as Record<string, unknown>);
}
