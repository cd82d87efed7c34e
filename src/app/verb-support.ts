/**
 * What every verb shares, whatever its feature: parsing input into a clear `invalid` error, recording a refusal in
 * the decision log before throwing it (never silent), and reaching a profile's provider and describing its
 * failures without leaking the provider's text.
 */
import type { z } from 'zod';
import type { Reason } from '../core/decision.js';
import { AppError, type ErrorCode } from '../core/errors.js';
import type { ResourceProfile } from '../policy/model.js';
import type { Provider } from '../providers/provider.js';
import type { AppContext } from './context.js';
import { inTransaction } from './transaction.js';

/** Parses verb input; every problem is listed in the `invalid` error. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) =>
    issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message,
  );
  throw new AppError('invalid', `invalid input: ${problems.join('; ')}`, { problems });
}

/** Codes of reasons that mean "the request is not in a state for this", whoever asks. */
const STATE_REASONS = new Set([
  'lifecycle.illegal_transition',
  'request.not_pending',
  'request.no_open_step',
  'request.wrong_status',
  'digest.mismatch',
  'digest.content_changed',
  'provisioning.changed',
  'provisioning.unknown',
]);

/**
 * The error code of a refusal: a wrong state is a `conflict`, acting on someone else's request is `forbidden`,
 * any other separation-of-duties reason is `sod_violation`, and the rest is `fallback`.
 */
export function refusalCode(reasons: readonly Reason[], fallback: ErrorCode): ErrorCode {
  if (reasons.some((r) => r.code === 'action.wrong_kind')) return 'invalid';
  if (reasons.some((r) => STATE_REASONS.has(r.code))) return 'conflict';
  if (reasons.some((r) => r.code === 'sod.not_requester')) return 'forbidden';
  if (reasons.some((r) => r.code.startsWith('sod.') && r.code !== 'sod.lifecycle_ok')) return 'sod_violation';
  return fallback;
}

export interface Refusal {
  readonly actor: string;
  /** `entity.verb_refused`, e.g. `request.approve_refused`. */
  readonly action: string;
  readonly subject: string;
  readonly code: ErrorCode;
  readonly message: string;
  readonly reasons: readonly Reason[];
  readonly details?: Readonly<Record<string, unknown>>;
}

/**
 * Records a refusal in the decision log in its own transaction and returns the error to throw. If even that
 * record cannot be written, the caller gets `audit_unavailable` instead: a refusal is never silent.
 */
export async function recordRefusal(app: AppContext, refusal: Refusal): Promise<AppError> {
  await inTransaction(app, async ({ audit }) => {
    audit({
      actor: refusal.actor,
      action: refusal.action,
      subject: refusal.subject,
      details: { ...refusal.details, code: refusal.code, reasons: refusal.reasons.map((r) => ({ ...r })) },
    });
  });
  return new AppError(refusal.code, refusal.message, { reasons: refusal.reasons });
}

/** The first reason's sentence, used as the error message. */
export function firstMessage(reasons: readonly Reason[], otherwise: string): string {
  return reasons[0]?.message ?? otherwise;
}

/** The provider that serves a profile; `internal` when the wiring registered none (a deployment error). */
export function providerFor(app: AppContext, profile: ResourceProfile): Provider {
  const provider = app.providers.get(profile.provider.type);
  if (provider === undefined) {
    throw new AppError(
      'internal',
      `no '${profile.provider.type}' provider is configured for profile '${profile.name}'`,
      {
        provider: profile.provider.type,
      },
    );
  }
  return provider;
}

/**
 * A provider failure as users see it. The provider's own text may carry row data (a unique violation quotes the
 * key), so it is neither in the message nor attached as a cause that a logger would print: it is only in the
 * audit log, sealed (`describeFailure` under a `providerError` key).
 */
export function providerFailed(operation: string, requestId: string): AppError {
  return new AppError('provider_failed', `the provider could not ${operation} for request '${requestId}'`, {
    request: requestId,
    retryable: true,
  });
}

/**
 * A short, bounded description of a provider error (never a stack). It may carry row data or secrets: record it
 * only under a `providerError` key, which the audit redaction seals (src/audit/redact.ts), never in clear.
 */
export function describeFailure(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error';
  return text.slice(0, 300);
}

/** What a check inside a verb's transaction gives back: the value, or the reasons it was refused and their code. */
export type Outcome<T> =
  | { readonly done: T }
  | {
      readonly refused: readonly Reason[];
      readonly code: 'sod_violation' | 'forbidden' | 'not_found' | 'invalid' | 'conflict';
      readonly details?: Record<string, unknown>;
    };
