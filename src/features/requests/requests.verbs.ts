/**
 * The request verbs in one import (each lives in its own file, named for its use case), plus the input schemas of
 * the two reads the API and CLI need (one request, a filtered page of requests), which `requests.queries.ts`
 * serves narrowed to what the reader may see.
 */
import { z } from 'zod';
import { REQUEST_STATUSES } from '../../decide/types.js';
import type { RequestView } from './request.view.js';
import { MAX_PAGE_SIZE } from './requests.repo.js';

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
