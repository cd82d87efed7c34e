/**
 * What a record keeps of a statement's text. A text longer than the parser takes (`MAX_SQL_LENGTH`, refused
 * unparsed) can be up to a whole message (16 MiB): kept whole it would cost its size in the journal, in the
 * shipper's memory and in its audit event, for a statement that never ran. Its record keeps a bounded prefix and
 * the SHA-256 of the whole text instead, sealed like any text. Pure.
 */
import { createHash } from 'node:crypto';
import { MAX_SQL_LENGTH } from './sql-classify.js';

/** Characters of an overlong text that its record keeps (at most six bytes each once in JSON: under 100 KiB). */
export const RECORDED_PREFIX_CHARS = 16 * 1024;

export function recordedText(sql: string): string {
  if (sql.length <= MAX_SQL_LENGTH) return sql;
  const digest = createHash('sha256').update(sql, 'utf8').digest('hex');
  // Never half a surrogate pair: the prefix stays valid UTF-16, so its JSON and UTF-8 are too.
  const high = sql.charCodeAt(RECORDED_PREFIX_CHARS - 1);
  const cut = high >= 0xd800 && high <= 0xdbff ? RECORDED_PREFIX_CHARS - 1 : RECORDED_PREFIX_CHARS;
  return `${sql.slice(0, cut)}\n-- countersign: text cut at ${cut} of ${sql.length} characters; sha256 of the whole text (UTF-8) ${digest}`;
}
