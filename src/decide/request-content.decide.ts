/**
 * The content of a new request, checked before any approval rule (SPEC §2.6): its duration within the action's
 * (and break-glass's) maximum, a justification where one is required, a ticket matching the action's pattern,
 * and parameters valid against the action's schema. Pure.
 */
import { reason, type Reason } from '../core/decision.js';
import { formatDurationSeconds } from '../core/duration.js';
import type { ActionDefinition, ResourceProfile } from '../policy/model.js';
import type { RequestInput } from './types.js';

/** Upper bounds on free-text request fields; every string a user sends is bounded. */
export const MAX_JUSTIFICATION_LENGTH = 2000;
export const MAX_TICKET_LENGTH = 128;

/** Duration, justification, ticket and parameters; every problem is reported, not just the first. */
export function checkRequestContent(profile: ResourceProfile, action: ActionDefinition, input: RequestInput): Reason[] {
  const problems: Reason[] = [];
  const breakGlassMax = input.breakGlass ? profile.breakGlass?.maxDurationSeconds : undefined;
  const maxSeconds = Math.min(action.maxDurationSeconds, breakGlassMax ?? Number.POSITIVE_INFINITY);
  const duration = input.durationSeconds;
  if (!Number.isInteger(duration) || duration <= 0) {
    problems.push(reason('duration.invalid', 'duration must be a positive whole number of seconds'));
  } else if (duration > maxSeconds) {
    const limitedByBreakGlass = breakGlassMax !== undefined && breakGlassMax < action.maxDurationSeconds;
    const subject = limitedByBreakGlass ? `break-glass on profile '${profile.name}'` : `action '${action.name}'`;
    const message = `duration ${formatDurationSeconds(duration)} exceeds the ${formatDurationSeconds(maxSeconds)} maximum of ${subject}`;
    problems.push(reason('duration.too_long', message));
  }

  const justification = input.justification ?? '';
  // Break-glass always needs a reason: it is reviewed afterwards, and the reviewer must know why.
  if ((action.requireJustification || input.breakGlass) && justification.trim() === '') {
    problems.push(reason('justification.missing', `action '${action.name}' requires a justification`));
  } else if (justification.length > MAX_JUSTIFICATION_LENGTH) {
    problems.push(
      reason('justification.too_long', `justification is longer than ${MAX_JUSTIFICATION_LENGTH} characters`),
    );
  }

  const ticket = input.ticket;
  if (ticket === undefined || ticket.trim() === '') {
    if (action.ticketPattern !== undefined && !input.breakGlass) {
      const message = `action '${action.name}' requires a ticket matching ${action.ticketPattern.source}`;
      problems.push(reason('ticket.missing', message));
    }
  } else if (ticket.length > MAX_TICKET_LENGTH) {
    problems.push(reason('ticket.too_long', `ticket is longer than ${MAX_TICKET_LENGTH} characters`));
  } else if (action.ticketPattern !== undefined && ticket.search(action.ticketPattern) === -1) {
    // `search` ignores the `g` flag and `lastIndex`, so a shared RegExp gives the same answer every time.
    const message = `ticket '${ticket}' does not match ${action.ticketPattern.source} required by action '${action.name}'`;
    problems.push(reason('ticket.mismatch', message));
  }

  for (const problem of action.validateParams(input.params ?? {})) {
    problems.push(reason('params.invalid', `parameters of action '${action.name}': ${problem}`));
  }
  return problems;
}
