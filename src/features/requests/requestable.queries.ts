/**
 * `listRequestable`, the read behind the console's New request page (`GET /v1/requestable`): the resources of
 * the policy in force (the files' and those registered through the API) on which the caller may ask for
 * something, by name, a page at a time, each with the actions `requestableActions` offers it. Reads change
 * nothing and write no audit event.
 */
import { z } from 'zod';
import { AppError } from '../../core/errors.js';
import { formatDurationSeconds } from '../../core/duration.js';
import { requestableActions } from '../../decide/requestable.decide.js';
import type { VerbCall } from '../../app/context.js';
import { readWithSnapshot } from '../../app/snapshot.queries.js';
import { parseInput } from '../../app/verb-support.js';
import { MAX_REQUESTABLE_PAGE, type RequestableResourceView, type RequestableView } from './requestable.view.js';
import { DEFAULT_PAGE_SIZE } from './requests.repo.js';

export const requestableQuerySchema = z.strictObject({
  limit: z.number().int().min(1).max(MAX_REQUESTABLE_PAGE).optional(),
  cursor: z.string().min(1).max(300).optional(),
});
export type RequestableQuery = z.input<typeof requestableQuerySchema>;

/**
 * A page of what `actor` may ask for. Invariant: a resource is listed exactly when `requestableActions` offers
 * the actor at least one of its actions, and an action is marked `request` exactly when creating a request for
 * it is not refused for lack of the `request` duty; the page after `cursor` starts at the next resource by name.
 */
export async function listRequestable({ app, actor, input }: VerbCall<RequestableQuery>): Promise<RequestableView> {
  const query = parseInput(requestableQuerySchema, input);
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  const limit = query.limit ?? DEFAULT_PAGE_SIZE;
  return readWithSnapshot(app, async ({ snapshot, now }) => {
    const ctx = { ...snapshot, now };
    const names = [...snapshot.policy.resources.keys()].filter((name) => after === undefined || name > after).sort();
    const page: RequestableResourceView[] = [];
    let last: string | undefined;
    for (const name of names) {
      const resource = snapshot.policy.resources.get(name);
      const profile = resource === undefined ? undefined : snapshot.policy.profiles.get(resource.profile);
      if (resource === undefined || profile === undefined) continue;
      const offered = requestableActions(ctx, actor, resource);
      if (offered.length === 0) continue;
      if (page.length === limit)
        return { resources: page, ...(last !== undefined ? { nextCursor: encodeCursor(last) } : {}) };
      page.push({
        resource: { id: name, profile: profile.name, classification: profile.classification },
        actions: offered.map(({ action, request, breakGlass }) => ({
          name: action.name,
          risk: action.risk,
          ...(action.description !== undefined ? { description: action.description } : {}),
          maxDuration: formatDurationSeconds(action.maxDurationSeconds),
          maxDurationSeconds: action.maxDurationSeconds,
          ...(action.paramsSchema !== undefined ? { paramsSchema: { ...action.paramsSchema } } : {}),
          requireJustification: action.requireJustification,
          ...(action.ticketPattern !== undefined ? { ticketPattern: action.ticketPattern.source } : {}),
          request,
          breakGlass,
        })),
      });
      last = name;
    }
    return { resources: page };
  });
}

function encodeCursor(name: string): string {
  return Buffer.from(`requestable:${name}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): string {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith('requestable:') || text.length <= 'requestable:'.length) {
    throw new AppError('invalid', 'the cursor is not one this server issued', { cursor });
  }
  return text.slice('requestable:'.length);
}
