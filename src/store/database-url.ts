/**
 * Database URLs: which database a `--db` / `COUNTERSIGN_DB` value names, and how to show one without its
 * password. Every message that mentions a database URL goes through `redactUrl`.
 */
import { AppError } from '../core/errors.js';

export type DialectName = 'sqlite' | 'postgres';

/** A parsed database URL. `filename` is a path or `:memory:`; `connectionString` is the URL as given. */
export type DatabaseTarget =
  | { readonly dialect: 'sqlite'; readonly filename: string }
  | { readonly dialect: 'postgres'; readonly connectionString: string };

const MAX_URL_LENGTH = 4096;
const SCHEME_PATTERN = /^([a-z][a-z0-9+.-]*):\/\//i;

/**
 * Replaces the password of a URL (userinfo and `password=`/`sslpassword=` query parameters) with `***`.
 * Leaves anything that is not a URL unchanged, so it is safe to call on every database string.
 */
export function redactUrl(url: string): string {
  let redacted = url;
  const scheme = SCHEME_PATTERN.exec(redacted);
  if (scheme) {
    const start = scheme[0].length;
    // The userinfo ends at the last '@': an unencoded '@' inside the password must not leak its tail.
    const at = redacted.lastIndexOf('@');
    if (at > start) {
      const userinfo = redacted.slice(start, at);
      const colon = userinfo.indexOf(':');
      if (colon >= 0) redacted = `${redacted.slice(0, start + colon)}:***${redacted.slice(at)}`;
    }
  }
  return redacted.replace(/([?&](?:ssl)?password=)[^&#]*/gi, '$1***');
}

/**
 * Reads a database URL: `postgres://…` or `postgresql://…` for PostgreSQL; `sqlite:PATH`, `sqlite://PATH`,
 * `:memory:` or a bare path for SQLite. Refuses other schemes with a message that never shows the password.
 */
export function parseDatabaseUrl(url: string): DatabaseTarget {
  const text = url.trim();
  if (text === '') throw new AppError('invalid', 'the database URL is empty');
  if (text.length > MAX_URL_LENGTH) {
    throw new AppError('invalid', `the database URL is longer than ${MAX_URL_LENGTH} characters`);
  }
  const scheme = SCHEME_PATTERN.exec(text)?.[1]?.toLowerCase();
  if (scheme === 'postgres' || scheme === 'postgresql') {
    try {
      new URL(text);
    } catch {
      // The URL parser's own error carries the whole input, password included: never pass it on.
      throw new AppError('invalid', `database URL '${redactUrl(text)}' is not a valid URL`);
    }
    return { dialect: 'postgres', connectionString: text };
  }
  if (scheme !== undefined && scheme !== 'sqlite') {
    throw new AppError(
      'invalid',
      `database URL '${redactUrl(text)}' has unsupported scheme '${scheme}'; use a SQLite path, sqlite:PATH or postgres://…`,
    );
  }
  let filename = text;
  if (/^sqlite:/i.test(filename)) filename = filename.slice('sqlite:'.length).replace(/^\/\//, '');
  if (filename === '') throw new AppError('invalid', `database URL '${text}' names no SQLite file`);
  return { dialect: 'sqlite', filename };
}
