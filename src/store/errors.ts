/**
 * Driver errors turned into `AppError`s. better-sqlite3 and pg report the same failures in different shapes;
 * repositories and verbs see one vocabulary (`isUniqueViolation`, `toStoreError`), and users never see SQL,
 * driver text or connection strings.
 */
import { AppError, isAppError } from '../core/errors.js';

/** The message both dialects' triggers raise when something tries to change the audit log. */
export const AUDIT_APPEND_ONLY_MESSAGE = 'audit log is append-only';

/** What a client is told to wait before retrying when the database cannot be reached. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

export type StoreFailure =
  | 'unique_violation'
  | 'foreign_key_violation'
  | 'check_violation'
  | 'not_null_violation'
  | 'serialization_failure'
  | 'append_only'
  | 'unavailable'
  | 'unknown';

interface DriverError {
  readonly code?: unknown;
  readonly message?: unknown;
  readonly constraint?: unknown;
}

const UNAVAILABLE_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

const UNAVAILABLE_SQLITE_CODES = /^SQLITE_(BUSY|LOCKED|CANTOPEN|READONLY|FULL|IOERR|CORRUPT|NOTADB|PERM|AUTH)/;

function driverError(error: unknown): DriverError | undefined {
  return typeof error === 'object' && error !== null ? (error as DriverError) : undefined;
}

function messageOf(error: DriverError): string {
  return typeof error.message === 'string' ? error.message : '';
}

/** Classifies a driver error by what went wrong, whichever dialect raised it. */
export function classifyStoreError(error: unknown): StoreFailure {
  const driver = driverError(error);
  if (!driver) return 'unknown';
  const code = typeof driver.code === 'string' ? driver.code : '';
  const message = messageOf(driver);
  if (message.includes(AUDIT_APPEND_ONLY_MESSAGE)) return 'append_only';
  // PostgreSQL SQLSTATEs.
  if (code === '23505') return 'unique_violation';
  if (code === '23503') return 'foreign_key_violation';
  if (code === '23514') return 'check_violation';
  if (code === '23502') return 'not_null_violation';
  if (code === '40001' || code === '40P01') return 'serialization_failure';
  // connection exception, insufficient resources, operator intervention (shutdown, statement timeout),
  // invalid authorization, unknown database.
  if (/^(08|53|57)/.test(code) || code === '28P01' || code === '28000' || code === '3D000') return 'unavailable';
  // better-sqlite3 codes.
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return 'unique_violation';
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return 'foreign_key_violation';
  if (code === 'SQLITE_CONSTRAINT_CHECK') return 'check_violation';
  if (code === 'SQLITE_CONSTRAINT_NOTNULL') return 'not_null_violation';
  if (UNAVAILABLE_SQLITE_CODES.test(code)) return 'unavailable';
  if (UNAVAILABLE_NODE_CODES.has(code)) return 'unavailable';
  // pg's own client-side failures carry no code.
  if (
    /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/.test(
      message,
    )
  ) {
    return 'unavailable';
  }
  return 'unknown';
}

export function isUniqueViolation(error: unknown): boolean {
  return classifyStoreError(error) === 'unique_violation';
}

/**
 * Turns any error thrown by a query into an `AppError` (an `AppError` passes through unchanged). The message
 * is in product words; the original error is kept as `cause` for server-side logs only.
 *
 * A database that cannot be reached, or cannot be written (SQLite's disk full or I/O error), maps to code
 * `database_unavailable` (HTTP 503 with `Retry-After`), `retryable: true`.
 */
export function toStoreError(error: unknown, context?: string): AppError {
  if (isAppError(error)) return error;
  const where = context ? ` while ${context}` : '';
  let mapped: AppError;
  switch (classifyStoreError(error)) {
    case 'unique_violation':
      mapped = new AppError('conflict', `a record with the same key already exists${where}`, {
        reason: 'unique_violation',
      });
      break;
    case 'foreign_key_violation':
      mapped = new AppError('conflict', `a referenced record does not exist${where}`, {
        reason: 'foreign_key_violation',
      });
      break;
    case 'check_violation':
    case 'not_null_violation':
      mapped = new AppError('invalid', `a value was refused by the database${where}`, { reason: 'invalid_value' });
      break;
    case 'serialization_failure':
      mapped = new AppError('conflict', `a concurrent change got there first${where}; try again`, {
        reason: 'concurrent_change',
        retryable: true,
      });
      break;
    case 'append_only':
      mapped = new AppError('forbidden', AUDIT_APPEND_ONLY_MESSAGE, { reason: 'append_only' });
      break;
    case 'unavailable':
      mapped = new AppError('database_unavailable', `the database is unavailable${where}; nothing was changed`, {
        reason: 'database_unavailable',
        retryable: true,
        retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS,
      });
      break;
    case 'unknown':
      mapped = new AppError('internal', `unexpected database error${where}`, { reason: 'database_error' });
      break;
  }
  Object.defineProperty(mapped, 'cause', { value: error, enumerable: false });
  return mapped;
}
