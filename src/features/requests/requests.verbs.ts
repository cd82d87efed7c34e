/**
 * The request verbs in one import (each lives in its own file, named for its use case), plus the two reads the
 * API and CLI need: one request, and a filtered page of requests, both as `RequestView`s.
 */
import { z } from 'zod';
import { REQUEST_STATUSES } from '../../decide/types.js';
import type { VerbCall } from '../../app/context.js';
import { loadRequestView, parseInput } from './request-verb-support.js';
import { toRequestView, type RequestView } from './request.view.js';
import { grantsByRequest, listRequests, MAX_PAGE_SIZE } from './requests.repo.js';
import { inTransaction } from '../../app/transaction.js';

export { breakGlass, BREAK_GLASS_RULE } from './break-glass.verb.js';
export { activateRequest, activateRequestSchema } from './request-activate.verb.js';
export type { ActivateRequestInput, ActivationResult } from './request-activate.verb.js';
export { breakGlassSchema, createRequest, createRequestSchema } from './request-create.verb.js';
export type { BreakGlassInput, CreateRequestInput } from './request-create.verb.js';
export { completeRequest, completeRequestSchema, revokeRequest, revokeRequestSchema } from './request-end.verb.js';
export type { CompleteRequestInput, RevokeRequestInput } from './request-end.verb.js';
export { executeRequest, executeRequestSchema } from './request-execute.verb.js';
export { extendRequest, extendRequestSchema } from './request-extend.verb.js';
export type { ExtendRequestInput, ExtensionResult } from './request-extend.verb.js';
export type { ExecuteRequestInput, ExecutionResult } from './request-execute.verb.js';
export {
  approveRequest,
  approveRequestSchema,
  cancelRequest,
  cancelRequestSchema,
  denyRequest,
  denyRequestSchema,
} from './request-review.verb.js';
export type { ApproveRequestInput, CancelRequestInput, DenyRequestInput } from './request-review.verb.js';
export type { RequestView } from './request.view.js';

export const showRequestSchema = z.strictObject({ id: z.string().min(1).max(100) });

/** One request as a view; `not_found` when it does not exist. Reading needs no particular duty here. */
export async function showRequest(call: VerbCall<z.input<typeof showRequestSchema>>): Promise<RequestView> {
  const { id } = parseInput(showRequestSchema, call.input);
  const { value } = await inTransaction(call.app, ({ trx }) => loadRequestView(trx, id));
  return value;
}

export const listRequestsSchema = z.strictObject({
  status: z.array(z.enum(REQUEST_STATUSES)).max(REQUEST_STATUSES.length).optional(),
  requester: z.string().min(1).max(200).optional(),
  resource: z.string().min(1).max(200).optional(),
  limit: z.number().int().min(1).max(MAX_PAGE_SIZE).optional(),
  cursor: z.string().min(1).max(200).optional(),
});
export type ListRequestsInput = z.input<typeof listRequestsSchema>;

export interface RequestList {
  readonly requests: readonly RequestView[];
  readonly nextCursor?: string;
}

/** A page of requests, newest first, filtered by status, requester and resource. */
export async function listRequestViews(call: VerbCall<ListRequestsInput>): Promise<RequestList> {
  const filter = parseInput(listRequestsSchema, call.input);
  const { value } = await inTransaction(call.app, async ({ trx }) => {
    const page = await listRequests(trx, filter);
    const grants = await grantsByRequest(
      trx,
      page.requests.map((stored) => stored.record.id),
    );
    return {
      requests: page.requests.map((stored) => toRequestView(stored, grants.get(stored.record.id))),
      ...(page.nextCursor !== undefined ? { nextCursor: page.nextCursor } : {}),
    };
  });
  return value;
}
