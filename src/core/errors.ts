/**
 * The one application error. Every failure a user can see carries a stable code from a closed set; the HTTP
 * layer maps codes to problem+json statuses and the CLI maps them to exit codes, each in exactly one place.
 */
export const ERROR_CODES = [
  'unauthenticated',
  'forbidden',
  'not_found',
  'invalid',
  'conflict',
  'sod_violation',
  'policy_denied',
  'audit_unavailable',
  'database_unavailable',
  'provider_failed',
  'rate_limited',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export class AppError extends Error {
  override readonly name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Details a user needs to act on the error (never secrets, SQL or driver text). */
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}
