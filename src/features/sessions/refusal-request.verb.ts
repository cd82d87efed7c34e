/**
 * Action approval from the session (issue 14): a statement the gateway refused can become a request for the
 * profile's `execute` action — the one whose parameters take `sql` — bound to that statement's text (the request
 * digest covers `params.sql`, so what is approved is exactly what was refused). Only the identity whose statement
 * was refused may do it; to anyone else the refusal does not exist. The text is read back from the statement's
 * audit event (its sealed copy), and the link is audited as `gateway.refusal_request`.
 */
import { z } from 'zod';
import { formatDurationSeconds } from '../../core/duration.js';
import { AppError } from '../../core/errors.js';
import type { ActionDefinition, ResourceProfile } from '../../policy/model.js';
import type { VerbCall } from '../../app/context.js';
import { inTransaction } from '../../app/transaction.js';
import { parseInput } from '../../app/verb-support.js';
import { createRequest, type RequestView } from '../requests/index.js';

export const requestFromRefusalSchema = z.strictObject({
  refusal: z.string().min(1).max(100),
  duration: z.string().min(2).max(20).optional(),
  justification: z.string().max(2000).optional(),
  ticket: z.string().max(200).optional(),
});
export type RequestFromRefusalInput = z.input<typeof requestFromRefusalSchema>;

/** Default duration of the execute request: the action's maximum, at most 15 minutes. */
const DEFAULT_SECONDS = 15 * 60;

/** The profile's execute action whose parameters take `sql`, or undefined. */
export function sqlExecuteAction(profile: ResourceProfile): ActionDefinition | undefined {
  for (const action of profile.actions.values()) {
    if (action.execute === undefined) continue;
    const properties = action.paramsSchema?.['properties'];
    if (typeof properties === 'object' && properties !== null && 'sql' in properties) return action;
  }
  return undefined;
}

function unknownRefusal(id: string): AppError {
  return new AppError('not_found', `refusal '${id}' does not exist or is not yours`);
}

/**
 * Creates the execute request for a refused statement of the caller. Invariants: only the identity the refused
 * statement was sent by; `params.sql` is the refused statement's text as recorded (its audit event's sealed copy,
 * checked against the HMAC in the chain); the request is created and decided like any other (`createRequest`).
 */
export async function createRequestFromRefusal({
  app,
  actor,
  input,
}: VerbCall<RequestFromRefusalInput>): Promise<RequestView> {
  const body = parseInput(requestFromRefusalSchema, input);
  const now = app.clock.now();
  const found = await app.database.db
    .selectFrom('gateway_statements')
    .innerJoin('gateway_sessions', 'gateway_sessions.id', 'gateway_statements.session_id')
    .innerJoin('audit_events', 'audit_events.seq', 'gateway_statements.audit_seq')
    .select([
      'gateway_sessions.id as sessionId',
      'gateway_sessions.identity as identity',
      'gateway_sessions.resource as resource',
      'gateway_statements.seq as seq',
      'audit_events.seq as eventSeq',
      'audit_events.prev_hash as prevHash',
      'audit_events.actor as eventActor',
      'audit_events.action as eventAction',
      'audit_events.subject as eventSubject',
      'audit_events.details as details',
    ])
    .where('gateway_statements.refusal_id', '=', body.refusal)
    .executeTakeFirst();
  if (found === undefined || found.identity !== actor) throw unknownRefusal(body.refusal);
  const opened = app.auditLog.openValues({
    seq: Number(found.eventSeq),
    prevHash: found.prevHash,
    actor: found.eventActor,
    action: found.eventAction,
    subject: found.eventSubject,
    details: JSON.parse(found.details) as Record<string, unknown>,
  })['/statementText'];
  if (opened === undefined || !('value' in opened) || typeof opened.value !== 'string') {
    throw new AppError(
      'invalid',
      `the text of refusal '${body.refusal}' cannot be read back (${opened !== undefined && 'message' in opened ? opened.message : 'not recorded'}); write the request by hand`,
    );
  }
  const resource = app.policy.loaded.resources.get(found.resource);
  const profile = resource === undefined ? undefined : app.policy.loaded.profiles.get(resource.profile);
  const action = profile === undefined ? undefined : sqlExecuteAction(profile);
  if (profile === undefined || action === undefined) {
    throw new AppError(
      'invalid',
      `the profile of resource '${found.resource}' has no execute action taking 'sql' to ask approval for`,
    );
  }
  const duration = body.duration ?? formatDurationSeconds(Math.min(DEFAULT_SECONDS, action.maxDurationSeconds));
  const request = await createRequest({
    app,
    actor,
    input: {
      resource: found.resource,
      action: action.name,
      duration,
      justification:
        body.justification ?? `statement refused by the gateway (refusal ${body.refusal}, session ${found.sessionId})`,
      ...(body.ticket === undefined ? {} : { ticket: body.ticket }),
      params: { sql: opened.value },
    },
  });
  await inTransaction(app, async ({ audit }) => {
    audit({
      actor,
      action: 'gateway.refusal_request',
      subject: `request:${request.id}`,
      details: {
        requestId: request.id,
        refusalId: body.refusal,
        sessionId: found.sessionId,
        seq: found.seq,
        resource: found.resource,
        at: now,
      },
    });
  });
  return request;
}
