/**
 * Shared output for every command: human text by default, `--json` for scripts. Commands build plain values
 * and hand them here, so that the two forms never drift apart and nothing else writes to stdout.
 *
 * Human-readable output carries text other people wrote (justifications, names, reasons, server messages), so
 * every line printed here has its control characters escaped (`escapeControlCharacters`): a terminal never
 * acts on an escape sequence, a carriage return or a bidi override that someone else wrote. `--json` is exact.
 */

/**
 * Characters a terminal acts on instead of printing (C0 controls, DEL, C1 controls) and those that reorder
 * what is shown (bidirectional overrides, embeddings, isolates and marks).
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const NAMED_ESCAPES: Readonly<Record<string, string>> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/**
 * `text` with every control character shown as a visible escape (`\x1b`, `\u202e`, `\n`, `\t`), so that what
 * is printed is exactly what is seen.
 */
export function escapeControlCharacters(text: string): string {
  return text.replace(CONTROL_CHARACTERS, (char) => {
    const named = NAMED_ESCAPES[char];
    if (named !== undefined) return named;
    const code = char.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** Options every command that prints a result accepts. */
export interface OutputOptions {
  readonly json?: boolean;
}

/** Writes a value as pretty JSON followed by a newline (what `--json` prints). */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Writes lines of human-readable text, one per element: a line break inside an element is escaped. */
export function printLines(lines: readonly string[]): void {
  if (lines.length > 0) process.stdout.write(`${lines.map(escapeControlCharacters).join('\n')}\n`);
}

/**
 * Writes a message to stderr: diagnostics and errors never mix with a command's result. Its own line breaks
 * (a problem followed by its reasons) are kept; every other control character is escaped.
 */
export function printError(message: string): void {
  process.stderr.write(`${message.split('\n').map(escapeControlCharacters).join('\n')}\n`);
}

/**
 * Renders rows as a left-aligned text table with a header and two spaces between columns. Cells are
 * single-line: newlines inside a cell are shown as spaces so a crafted value cannot forge extra rows, and other
 * control characters are escaped first, so that the widths are those of what is printed.
 */
export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const clean = (cell: string): string => escapeControlCharacters(cell.replace(/[\r\n]+/g, ' '));
  const all = [headers, ...rows].map((row) => headers.map((_, index) => clean(row[index] ?? '')));
  const widths = headers.map((_, index) => Math.max(...all.map((row) => (row[index] ?? '').length)));
  return all.map((row) =>
    row
      .map((cell, index) => cell.padEnd(widths[index] ?? 0))
      .join('  ')
      .trimEnd(),
  );
}

/** `1 approval`, `2 approvals`: counts in sentences read naturally. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}
