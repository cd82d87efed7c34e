/**
 * Request bodies: their size limits, and the JSON body parser of the API: Fastify's own (prototype-poisoning
 * protection included), behind a depth check. A body nested deeper than `MAX_JSON_DEPTH` is refused as `invalid` before `JSON.parse` sees it, so no
 * later recursive walk (schema validation, canonical JSON, digests) can overflow the stack on attacker input.
 * The check is one linear scan without recursion; nesting inside strings does not count.
 */
import type { FastifyInstance } from 'fastify';
import { AppError } from '../core/errors.js';

/**
 * Largest body of `POST /v1/policy/plan` and `POST /v1/policy/changes`, which carry a whole policy directory as
 * JSON (every other route keeps the app's small default, 64 KiB). Only identities the route guard lets in get
 * this far: Fastify reads the body after the `onRequest` access check.
 */
export const POLICY_BODY_LIMIT = 4 * 1024 * 1024;

/** Deepest nesting of arrays and objects a request body may have; parameters and filters need a handful. */
export const MAX_JSON_DEPTH = 64;

/** The nesting depth of a JSON text, stopping as soon as it exceeds `limit` (returns `limit + 1` then). */
export function jsonDepth(text: string, limit: number = MAX_JSON_DEPTH): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > limit) return deepest;
      }
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return deepest;
}

/** Replaces the `application/json` parser of `app` by Fastify's default one behind the depth check. */
export function installJsonBodyParser(app: FastifyInstance, maxDepth: number = MAX_JSON_DEPTH): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (jsonDepth(text, maxDepth) > maxDepth) {
      done(new AppError('invalid', `the JSON body is nested deeper than ${maxDepth} levels`, { maxDepth }), undefined);
      return;
    }
    parse(request, text, done);
  });
}
