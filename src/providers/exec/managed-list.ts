/**
 * Reads what an exec provider's `list` command printed (SPEC §2.11 `listManaged`): one JSON object per line, or
 * one JSON array of such objects, each `{ "handle": {...}, "createdAt": <epoch ms>, "busyUntil": <epoch ms> }`
 * where `handle` has the shape `grant` returns (action, requestId, expiresAt, params) and the times are
 * optional. Output that is anything else is refused whole: a list half understood could make a live
 * credential look like an orphan, or hide one.
 */
import type { JsonObject } from '../../audit/audit-event.js';
import type { ManagedCredential } from '../provider.js';

const ITEM_KEYS = new Set(['handle', 'createdAt', 'busyUntil']);

/** The credentials named by `stdout`, or the reason it names none in product words. */
export function parseManagedList(
  stdout: string,
): { readonly credentials: readonly ManagedCredential[] } | { readonly problem: string } {
  const text = stdout.trim();
  let items: unknown[];
  if (text.startsWith('[')) {
    const parsed = parseJson(text);
    if (!Array.isArray(parsed)) return { problem: 'it printed a malformed JSON array' };
    items = parsed;
  } else {
    items = [];
    const lines = text === '' ? [] : text.split('\n');
    for (const [index, line] of lines.entries()) {
      if (line.trim() === '') continue;
      const parsed = parseJson(line);
      if (parsed === undefined) return { problem: `line ${index + 1} is not JSON` };
      items.push(parsed);
    }
  }
  const credentials: ManagedCredential[] = [];
  for (const [index, item] of items.entries()) {
    const credential = credentialOf(item);
    if (typeof credential === 'string') return { problem: `item ${index + 1} ${credential}` };
    credentials.push(credential);
  }
  return { credentials };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** A credential, or what is wrong with the item. */
function credentialOf(item: unknown): ManagedCredential | string {
  if (!isObject(item)) return 'is not a JSON object';
  const extra = Object.keys(item).find((key) => !ITEM_KEYS.has(key));
  if (extra !== undefined) return `has an unknown field '${extra}' (allowed: handle, createdAt, busyUntil)`;
  const { handle, createdAt, busyUntil } = item;
  if (
    !isObject(handle) ||
    typeof handle.action !== 'string' ||
    typeof handle.requestId !== 'string' ||
    typeof handle.expiresAt !== 'number' ||
    !isObject(handle.params)
  ) {
    return "has no 'handle' of the shape grant returns (action, requestId, expiresAt, params)";
  }
  if (createdAt !== undefined && !isTime(createdAt)) return "has a 'createdAt' that is not epoch milliseconds";
  if (busyUntil !== undefined && !isTime(busyUntil)) return "has a 'busyUntil' that is not epoch milliseconds";
  return {
    handle: handle as JsonObject,
    ...(createdAt === undefined ? {} : { createdAt }),
    ...(busyUntil === undefined ? {} : { busyUntil }),
  };
}
