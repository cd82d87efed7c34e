/**
 * A failed statement's error text as its record keeps it (issue 14): the server's message, DETAIL and HINT. They
 * can quote data values (`Key (email)=(ada@example.com) already exists`), so they are kept like statement text:
 * sealed in the journal (journal-seal.ts) and, in the audit log, as HMACs with a copy only `audit` holders open,
 * under their own event (`gateway.statement_failed`) so that a long message can never crowd a statement's text
 * out of its event. The server chooses their length (a `RAISE` can make them as long as it likes), so each part is
 * cut at `ERROR_TEXT_CHARS` and says so. Pure.
 */
import type { RecordedError, StatementOutcome } from './session-records.js';

/** Characters of each part of an error a record keeps (a part cut short ends with a note saying so). */
export const ERROR_TEXT_CHARS = 2048;

function bounded(text: string): string {
  if (text.length <= ERROR_TEXT_CHARS) return text;
  // Never half a surrogate pair: the kept part stays valid UTF-16, so its JSON and UTF-8 are too.
  const high = text.charCodeAt(ERROR_TEXT_CHARS - 1);
  const cut = high >= 0xd800 && high <= 0xdbff ? ERROR_TEXT_CHARS - 1 : ERROR_TEXT_CHARS;
  return `${text.slice(0, cut)} [countersign: cut at ${cut} of ${text.length} characters]`;
}

/** The error text of an outcome as its record keeps it, or undefined when it failed with no text (or did not fail). */
export function recordedError(error: StatementOutcome['error']): RecordedError | undefined {
  if (error === undefined) return undefined;
  const { message, detail, hint } = error;
  if (message === '' && !detail && !hint) return undefined;
  return {
    message: bounded(message),
    ...(detail ? { detail: bounded(detail) } : {}),
    ...(hint ? { hint: bounded(hint) } : {}),
  };
}
