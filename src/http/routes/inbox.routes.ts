/**
 * What the console's Inbox and New request pages read (issue 12): `GET /v1/inbox` (the pending requests whose
 * current step names the caller, each with its context and whether the caller's approval would count),
 * `GET /v1/requestable` (what the caller may ask for) and `POST /v1/requests/preview` (what creating a request
 * would decide, and who could approve it, storing nothing). Each is open to any authenticated identity: the
 * answer itself is narrowed to the caller (no `approve` anywhere: an empty inbox; no `request`: nothing to ask
 * for), and the preview checks what `POST /v1/requests` checks, so it needs the `request` duty like it.
 */
import { z } from 'zod';
import { createRequestSchema, listInbox, listRequestable, previewRequest } from '../../features/requests/index.js';
import { inboxViewSchema, MAX_INBOX_PAGE } from '../../features/requests/inbox.view.js';
import { requestPreviewViewSchema } from '../../features/requests/request-preview.view.js';
import { MAX_REQUESTABLE_PAGE, requestableViewSchema } from '../../features/requests/requestable.view.js';
import type { RouteDeps, ZodFastify } from '../app.js';
import { principalOf } from '../guard.js';

const pageQuery = (max: number) =>
  z
    .object({
      limit: z.coerce.number().int().min(1).max(max).optional(),
      cursor: z.string().min(1).max(300).optional().describe('the `nextCursor` of the previous page'),
    })
    .strict();

export function registerInboxRoutes(app: ZodFastify, { app: context }: RouteDeps): void {
  const tags = ['requests'];

  app.get(
    '/v1/inbox',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: 'Pending requests whose current approval step names you, newest first, each with its context',
        description:
          'Listed: every pending request whose current step names you as an approver (in its `from`, holding ' +
          '`approve` on the profile). `context.myApproval` says whether approving now would count and why, by ' +
          'the decision the approve endpoint makes. Without `approve` anywhere the inbox is empty.',
        querystring: pageQuery(MAX_INBOX_PAGE),
        response: { 200: inboxViewSchema },
      },
    },
    async (request) => listInbox({ app: context, actor: principalOf(request).identity, input: request.query }),
  );

  app.get(
    '/v1/requestable',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: 'The resources and actions you may ask for, by resource name',
        querystring: pageQuery(MAX_REQUESTABLE_PAGE),
        response: { 200: requestableViewSchema },
      },
    },
    async (request) => listRequestable({ app: context, actor: principalOf(request).identity, input: request.query }),
  );

  app.post(
    '/v1/requests/preview',
    {
      config: { access: 'request' },
      schema: {
        tags,
        summary: 'What creating this request would decide now, and who could approve each step; stores nothing',
        description:
          'Takes the body of `POST /v1/requests`. A request it would refuse or deny answers 200 with ' +
          '`allowed: false` and the problem `code` creating it would answer; a malformed body is 400 as there.',
        body: createRequestSchema,
        response: { 200: requestPreviewViewSchema },
      },
    },
    async (request) => previewRequest({ app: context, actor: principalOf(request).identity, input: request.body }),
  );
}
