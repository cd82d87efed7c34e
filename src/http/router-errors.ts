/**
 * What the router answers before any route runs, as problem+json like every other error (`problem.ts`):
 * - a path parameter longer than any the API accepts: 414 (`MAX_PATH_PARAM_LENGTH`);
 * - malformed percent-encoding in the path: 400 (Fastify's `frameworkErrors`);
 * - a method the path does not serve: 405 with `Allow` listing the ones it does (RFC 9110 §15.5.6), instead of 404;
 * - a path no route serves: 404.
 */
import type { FastifyInstance } from 'fastify';
import { AppError } from '../core/errors.js';
import { sendProblem, StatusProblem } from './problem.js';

/**
 * The router refuses a longer path parameter with 414 before the route's schema sees it. It counts UTF-16 code
 * units after percent-decoding, while a name or id in a path is at most 200 characters (`route-schemas.ts`) and
 * a character is at most two code units: every parameter a route could accept (a 101-emoji name included) is
 * left to the route's schema and its precise 400, and only what no route accepts is cut short here.
 */
export const MAX_PATH_PARAM_LENGTH = 512;

interface RoutePattern {
  readonly method: string;
  readonly pattern: RegExp;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `/v1/requests/:id/approve` → `^/v1/requests/[^/]+/approve$`; a trailing `*` matches the rest. */
export function patternOf(url: string): RegExp {
  const source = url
    .split('/')
    .map((segment) => {
      if (segment === '*') return '.*';
      if (segment.startsWith(':')) return '[^/]+';
      return escapeRegExp(segment);
    })
    .join('/');
  return new RegExp(`^${source}$`);
}

/**
 * Answers unmatched requests: 405 with `Allow` when another method serves the path, else 404. Install it before
 * any route is registered (it learns them as they are).
 */
export function installRouterErrors(app: FastifyInstance): void {
  const routes: RoutePattern[] = [];
  app.addHook('onRoute', (route) => {
    const pattern = patternOf(route.url);
    for (const method of [route.method].flat()) routes.push({ method, pattern });
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? request.url;
    const allowed = [...new Set(routes.filter((route) => route.pattern.test(path)).map((route) => route.method))];
    if (allowed.length === 0) {
      return sendProblem(new AppError('not_found', `there is no route ${request.method} ${path}`), request, reply);
    }
    allowed.sort();
    void reply.header('allow', allowed.join(', '));
    const problem = new StatusProblem(
      405,
      `${request.method} is not allowed here; this path answers ${allowed.join(', ')}`,
      {
        allow: allowed,
      },
    );
    return sendProblem(problem, request, reply);
  });
}
