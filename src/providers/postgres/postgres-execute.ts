/**
 * Runs one approved statement on an already-connected client and reads its result through a server-side
 * portal (pg-cursor) in small batches, stopping at `maxRows` rows or `maxBytes` bytes, so a query that would
 * return a million rows never reaches memory. Values are kept as the text PostgreSQL sent (no type parsing:
 * exact numerics and timestamps, and every value is JSON).
 */
import type pg from 'pg';
import Cursor from 'pg-cursor';

const BATCH_ROWS = 100;
/** Returns every value as PostgreSQL's text form. */
const TEXT_TYPES = { getTypeParser: () => (value: string) => value } as unknown as pg.CustomTypesConfig;

export interface StatementLimits {
  readonly maxRows: number;
  readonly maxBytes: number;
}

export interface StatementResult {
  readonly columns: string[];
  /** One array per row, one text value (or null) per column. */
  readonly rows: (string | null)[][];
  readonly truncated: boolean;
  /** The command tag's verb (`SELECT`, `UPDATE`, …); unknown when the result was cut short. */
  readonly command: string | null;
  /** Rows returned, or rows affected for a statement that returns none (from the command tag). */
  readonly rowCount: number;
}

function rowBytes(row: readonly (string | null)[]): number {
  let bytes = 0;
  for (const value of row) bytes += value === null ? 4 : Buffer.byteLength(value, 'utf8');
  return bytes;
}

/**
 * Runs `sql` as one statement of the extended query protocol. PostgreSQL refuses to prepare text holding more
 * than one command ("cannot insert multiple commands into a prepared statement", SQLSTATE 42601), so a second
 * statement smuggled after a `;` is refused before anything runs. The caller owns the transaction.
 */
export async function runStatement(
  client: pg.ClientBase,
  sql: string,
  limits: StatementLimits,
): Promise<StatementResult> {
  const cursor = client.query(new Cursor<(string | null)[]>(sql, [], { rowMode: 'array', types: TEXT_TYPES }));
  const rows: (string | null)[][] = [];
  let bytes = 0;
  let truncated = false;
  let result: pg.QueryResult | undefined;
  const read = (count: number) =>
    new Promise<(string | null)[][]>((resolve, reject) => {
      cursor.read(count, (error, batchRows, batchResult) => {
        if (error) return reject(error);
        // A read after the end gets no result object; keep the one that carried the command tag.
        if (batchResult !== undefined) result = batchResult;
        resolve(batchRows);
      });
    });
  for (;;) {
    // Asks for one row more than fits, to tell a full result from a truncated one; once rows are known to be
    // wide, asks for fewer at a time so that one batch cannot hold much more than `maxBytes`.
    const averageBytes = rows.length === 0 ? 0 : bytes / rows.length;
    const byBytes = averageBytes === 0 ? BATCH_ROWS : Math.ceil((limits.maxBytes - bytes) / averageBytes) + 1;
    const batch = await read(Math.max(1, Math.min(BATCH_ROWS, byBytes, limits.maxRows + 1 - rows.length)));
    if (batch.length === 0) break;
    for (const row of batch) {
      const size = rowBytes(row);
      if (rows.length >= limits.maxRows || bytes + size > limits.maxBytes) {
        truncated = true;
        break;
      }
      rows.push(row);
      bytes += size;
    }
    if (truncated) break;
  }
  // Only after success: after an error the cursor is already closed by the server's reply.
  await cursor.close();
  const columns = (result?.fields ?? []).map((field) => field.name);
  const complete = !truncated && typeof result?.command === 'string' && result.command !== '';
  const command = complete ? (result?.command ?? null) : null;
  const affected = complete && columns.length === 0 ? (result?.rowCount ?? 0) : rows.length;
  return { columns, rows, truncated, command, rowCount: affected };
}
