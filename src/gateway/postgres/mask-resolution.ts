/**
 * Which catalog columns a session's masks name, asked of the upstream server once, on the session's own
 * connection, after the gateway's login and before the client's first statement (so the client cannot change
 * what the question means: no search_path, no prepared statements of its own yet). A mask `{ column: email }`
 * names every relation's column `email` (tables, views, materialised views); `{ table: users, column: email }`
 * the column of relations named `users` in any schema, and of their partitions and inheritance children (a
 * partition queried by its own name is the same data); `{ table: app.users, … }` of `app.users` only. Names are
 * compared case-insensitively (fail closed: `"Email"` is masked by `email`). A relation created later in the
 * session is not covered by a mask with a table: the statements that could copy a masked column into one are
 * refused (sql-mask-check). A second question finds the views and functions built over the masked relations found,
 * and the functions whose bodies the gateway cannot see through with what is built over them (mask-dependents.ts).
 */
import type { ColumnMask, ColumnMaskKind } from '../../policy/model.js';
import { strongerMask, type ResolvedMasks } from './column-masks.js';
import { decideDependents, dependentsQuery, readDependents, type Dependents } from './mask-dependents.js';
import { Backend, readErrorFields } from './protocol/backend-messages.js';
import { query } from './protocol/frontend-builders.js';
import { MessageReader } from './protocol/message-reader.js';
import { readShadows, SHADOW_QUERY, type ShadowCatalog } from './shadowed-builtins.js';
import type { UpstreamConnection } from './upstream.js';
import { UpstreamError } from './upstream.js';

const TIMEOUT_MS = 10_000;

/** A string literal for the catalog query (standard_conforming_strings is on since PostgreSQL 9.1). */
function literal(text: string): string {
  if (text.includes('\0')) throw new UpstreamError('a mask names a column with a NUL character', undefined);
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * Every relation's column the masks' names could name, with the relation's name and schema and those of all its
 * ancestors (partitioned tables and inheritance parents) as a JSON array of `[schema, relation]`. Functions are
 * qualified: a search_path set for the database or role must not put someone's own `lower` in front.
 */
export function catalogQuery(masks: readonly ColumnMask[]): string {
  const names = [...new Set(masks.map((mask) => mask.column.toLowerCase()))].map(literal).join(', ');
  return (
    'WITH RECURSIVE up(child, parent) AS (SELECT inhrelid, inhparent FROM pg_catalog.pg_inherits ' +
    'UNION SELECT up.child, i.inhparent FROM up JOIN pg_catalog.pg_inherits i ON i.inhrelid = up.parent) ' +
    'SELECT a.attrelid::text, a.attnum::text, pg_catalog.lower(a.attname), pg_catalog.lower(c.relname), ' +
    'pg_catalog.lower(n.nspname), (SELECT coalesce(pg_catalog.json_agg(pg_catalog.json_build_array(' +
    'pg_catalog.lower(pn.nspname), pg_catalog.lower(pc.relname))), $$[]$$::json)::text ' +
    'FROM up JOIN pg_catalog.pg_class pc ON pc.oid = up.parent ' +
    'JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace WHERE up.child = a.attrelid) ' +
    'FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid ' +
    'JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace ' +
    `WHERE a.attnum > 0 AND NOT a.attisdropped AND pg_catalog.lower(a.attname) IN (${names})`
  );
}

/**
 * The masks as catalog columns, from the catalog query's rows `[relid, attnum, column, relation, schema,
 * ancestors]`.
 */
export function matchMasks(masks: readonly ColumnMask[], rows: readonly (readonly string[])[]): ResolvedMasks {
  const columns = new Map<string, ColumnMaskKind>();
  const names = new Map<string, ColumnMaskKind>();
  for (const mask of masks) {
    const column = mask.column.toLowerCase();
    names.set(column, strongerMask(names.get(column), mask.mask));
    const table = mask.table?.toLowerCase();
    const dot = table?.lastIndexOf('.') ?? -1;
    const schema = table !== undefined && dot > 0 ? table.slice(0, dot) : undefined;
    const relation = table !== undefined && dot > 0 ? table.slice(dot + 1) : table;
    const named = (candidate: readonly [string, string]): boolean =>
      candidate[1] === relation && (schema === undefined || candidate[0] === schema);
    for (const [relid, attnum, name, relname, nspname, ancestors] of rows) {
      if (name !== column) continue;
      if (
        relation !== undefined &&
        !named([nspname ?? '', relname ?? '']) &&
        !(JSON.parse(ancestors || '[]') as [string, string][]).some(named)
      ) {
        continue;
      }
      const key = `${relid}:${attnum}`;
      columns.set(key, strongerMask(columns.get(key), mask.mask));
    }
  }
  return { columns, names };
}

/**
 * Resolves `masks` on the session's upstream connection, with the views and functions over the masked relations
 * and the functions the gateway cannot see through (asked even when no relation has a masked column yet, so that
 * what a session may call does not depend on it); throws `UpstreamError` when the server does not answer.
 */
export async function resolveMasks(upstream: UpstreamConnection, masks: readonly ColumnMask[]): Promise<ResolvedMasks> {
  const rows = await runQuery(upstream, catalogQuery(masks));
  const resolved = matchMasks(masks, rows);
  const seeds = maskedRelations(resolved, rows);
  // The planner's estimates for the walk can pass jit_above_cost, and compiling it costs seconds, not milliseconds.
  const found = await runQuery(upstream, `SET LOCAL jit = off; ${dependentsQuery([...seeds.keys()])}`);
  return withDependents(resolved, decideDependents(masks, seeds, readDependents(found)));
}

/** Each relation with a masked column → words naming one of them, for refusals (`masked column 'email' of …`). */
export function maskedRelations(resolved: ResolvedMasks, rows: readonly (readonly string[])[]): Map<string, string> {
  const relations = new Map<string, string>();
  for (const [relid = '', attnum, name, relname, nspname] of rows) {
    if (resolved.columns.has(`${relid}:${attnum}`) && !relations.has(relid)) {
      relations.set(relid, `masked column '${name}' of '${nspname}.${relname}'`);
    }
  }
  return relations;
}

/** The masks with the view columns that pass a masked column through, and the catalog for the statement check. */
export function withDependents(resolved: ResolvedMasks, dependents: Dependents): ResolvedMasks {
  const columns = new Map(resolved.columns);
  for (const [column, kind] of dependents.columns) columns.set(column, strongerMask(columns.get(column), kind));
  // Their names too, for fields no table stands behind (a function's result of the view's row type).
  const names = new Map(resolved.names);
  for (const mask of dependents.catalog.columns) {
    const name = mask.column.toLowerCase();
    names.set(name, strongerMask(names.get(name), mask.mask));
  }
  return { columns, names, catalog: dependents.catalog };
}

/**
 * What the session's database holds under built-ins' names (shadowed-builtins.ts), read like the masks: on the
 * session's own connection, before the client's first statement, qualified, within the timeout. Every session
 * asks; a failure ends the session (client-connection.ts), as an unresolved mask does, rather than leaving a
 * session whose `readOnly` could not be trusted.
 */
export async function resolveShadows(upstream: UpstreamConnection): Promise<ShadowCatalog> {
  // As for the masks' walk: the planner's estimate for the recursive part must not make it compile with JIT.
  const rows = await runQuery(
    upstream,
    `SET LOCAL jit = off; ${SHADOW_QUERY}`,
    'the built-ins shadowed in the database',
  );
  return readShadows(rows);
}

/** One simple query on the idle upstream connection, its rows as text; resolves at its ReadyForQuery. */
function runQuery(upstream: UpstreamConnection, sql: string, what = 'the masked columns'): Promise<string[][]> {
  const { socket } = upstream;
  return new Promise((resolve, reject) => {
    const rows: string[][] = [];
    let failure: UpstreamError | undefined;
    const finish = (error: Error | undefined): void => {
      clearTimeout(timer);
      socket.removeListener('data', onData);
      socket.removeListener('close', onClose);
      if (error) reject(error);
      else resolve(rows);
    };
    const reader = new MessageReader(
      {
        startup: () => undefined,
        message: (type, body) => {
          if (type === Backend.dataRow) rows.push(readTextRow(body));
          else if (type === Backend.errorResponse) {
            const fields = readErrorFields(body);
            failure = new UpstreamError(
              `the server could not resolve ${what}: ${fields.get('M') ?? ''}`,
              fields.get('C'),
            );
          } else if (type === Backend.readyForQuery) {
            reader.stop();
            finish(failure);
          }
        },
      },
      { maxMessageBytes: 1024 * 1024 },
    );
    reader.endStartupPhase();
    const onData = (chunk: Buffer): void => {
      try {
        reader.feed(chunk);
      } catch (error) {
        finish(new UpstreamError(`the query for ${what} failed: ${(error as Error).message}`, undefined));
      }
    };
    const onClose = (): void => finish(new UpstreamError('the upstream server closed the connection', undefined));
    const timer = setTimeout(() => finish(new UpstreamError(`the query for ${what} timed out`, undefined)), TIMEOUT_MS);
    socket.on('data', onData);
    socket.on('close', onClose);
    socket.write(query(sql));
  });
}

function readTextRow(body: Buffer): string[] {
  const count = body.readInt16BE(0);
  const values: string[] = [];
  let offset = 2;
  for (let i = 0; i < count; i++) {
    const length = body.readInt32BE(offset);
    offset += 4;
    values.push(length < 0 ? '' : body.toString('utf8', offset, offset + length));
    offset += Math.max(length, 0);
  }
  return values;
}
