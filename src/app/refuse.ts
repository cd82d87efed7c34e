/**
 * The one way a verb refuses: the refusal goes into the decision log (in a transaction of its own, so it is kept
 * although the verb changes nothing) and comes back as the `AppError` to throw, whose code the refusal's kind
 * alone picks. If even the record cannot be written the caller gets `audit_unavailable`: a refusal is never
 * silent. A provider failure is recorded the same way (`recordFailure`) and answered `provider_failed`.
 */
import type { Reason, Refusal, RefusalKind } from '../core/decision.js';
import { AppError, type ErrorCode } from '../core/errors.js';
import type { AppContext } from './context.js';
import { inTransaction } from './transaction.js';

/** The error each kind of refusal becomes; `Record` makes a kind without one a type error. */
export const ERROR_CODE_OF_REFUSAL: Readonly<Record<RefusalKind, ErrorCode>> = {
  invalid: 'invalid',
  not_found: 'not_found',
  conflict: 'conflict',
  sod: 'sod_violation',
  policy: 'policy_denied',
  forbidden: 'forbidden',
};

interface Recorded {
  readonly actor: string;
  /** `entity.verb_refused` (`request.approve_refused`), or `entity.verb_failed` for a provider failure. */
  readonly action: string;
  readonly subject: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

export interface RefusalEntry extends Recorded {
  readonly refusal: Refusal;
  /** The message when no reason gives one; otherwise the first reason's sentence is the message. */
  readonly otherwise: string;
  /** A message to use instead of the first reason's sentence. */
  readonly message?: string;
}

export interface FailureEntry extends Recorded {
  readonly message: string;
  readonly reasons: readonly Reason[];
}

/** The first reason's sentence, or `otherwise`. */
export function firstMessage(reasons: readonly Reason[], otherwise: string): string {
  return reasons[0]?.message ?? otherwise;
}

async function record(
  app: AppContext,
  entry: Recorded & { readonly code: ErrorCode; readonly message: string; readonly reasons: readonly Reason[] },
): Promise<AppError> {
  await inTransaction(app, async ({ audit }) => {
    audit({
      actor: entry.actor,
      action: entry.action,
      subject: entry.subject,
      details: { ...entry.details, code: entry.code, reasons: entry.reasons.map((r) => ({ ...r })) },
    });
  });
  return new AppError(entry.code, entry.message, { reasons: entry.reasons });
}

/**
 * Records a refusal (`action`, its details naming the error code and the reasons) and returns the error to throw:
 * `ERROR_CODE_OF_REFUSAL[refusal.kind]`, carrying the reasons.
 */
export function refuse(app: AppContext, entry: RefusalEntry): Promise<AppError> {
  const { refusal, otherwise, message, ...recorded } = entry;
  return record(app, {
    ...recorded,
    code: ERROR_CODE_OF_REFUSAL[refusal.kind],
    message: message ?? firstMessage(refusal.reasons, otherwise),
    reasons: refusal.reasons,
  });
}

/** Records what a provider failed to do and returns the `provider_failed` error. */
export function recordFailure(app: AppContext, entry: FailureEntry): Promise<AppError> {
  return record(app, { ...entry, code: 'provider_failed' });
}
