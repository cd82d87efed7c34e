/**
 * What every verb shares, whatever its feature: parsing input into a clear `invalid` error, and reaching a
 * profile's provider and describing its failures without leaking the provider's text. Refusing is `refuse.ts`.
 */
import type { z } from 'zod';
import type { Refusal } from '../core/decision.js';
import { AppError } from '../core/errors.js';
import type { ResourceProfile } from '../policy/model.js';
import type { Provider } from '../providers/provider.js';
import type { AppContext } from './context.js';

/** Parses verb input; every problem is listed in the `invalid` error. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) =>
    issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message,
  );
  throw new AppError('invalid', `invalid input: ${problems.join('; ')}`, { problems });
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

/** What a check inside a verb's transaction gives back: the value, or the refusal (its kind and reasons). */
export type Outcome<T> =
  { readonly done: T } | { readonly refused: Refusal; readonly details?: Record<string, unknown> };
