/**
 * Shared output for every command: human text by default, `--json` for scripts. Commands build plain values
 * and hand them here, so that the two forms never drift apart and nothing else writes to stdout.
 */

/** Options every command that prints a result accepts. */
export interface OutputOptions {
  readonly json?: boolean;
}

/** Writes a value as pretty JSON followed by a newline (what `--json` prints). */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Writes lines of human-readable text. */
export function printLines(lines: readonly string[]): void {
  if (lines.length > 0) process.stdout.write(`${lines.join('\n')}\n`);
}

/** Writes one line to stderr: diagnostics and errors never mix with a command's result. */
export function printError(message: string): void {
  process.stderr.write(`${message}\n`);
}

/**
 * Renders rows as a left-aligned text table with a header and two spaces between columns. Cells are
 * single-line: newlines inside a cell are shown as spaces so a crafted value cannot forge extra rows.
 */
export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const clean = (cell: string): string => cell.replace(/[\r\n]+/g, ' ');
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
