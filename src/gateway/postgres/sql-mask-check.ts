/**
 * Whether a statement may run in a gateway session whose action masks columns (`masks:` in the action's gateway
 * block). The gateway masks a result column by its RowDescription, so a masked column's clear value may reach the
 * client only as a plain column of the outermost SELECT: anything that computes from it or tests it (a condition,
 * an expression, a function, a sort, a grouping, a join, a subquery, a whole-row value, COPY) would let the client
 * learn the clear value past the mask. Pure, with the real PostgreSQL parser and no catalog: where the catalog would
 * be needed (which table a bare `email` belongs to, whether `u.x` is a column or a function) the check refuses.
 *
 * Names are compared case-insensitively, quoted or not: `"Email"` counts as `email`, which can only refuse more.
 * `loadSqlParser()` must have finished first; if it has not, every statement is refused.
 */
import { splitSql } from './sql-classify.js';
import { statementKind } from './sql-statement-kind.js';
import { nameParts } from './sql-tree-facts.js';

/** A masked column as the policy names it (`ColumnMask` without the mask kind); `table` may be `schema.table`. */
export interface MaskedColumn {
  readonly column: string;
  readonly table?: string;
}

type JsonObject = Record<string, unknown>;
const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const field = (node: unknown, key: string): JsonObject | undefined =>
  isObject(node) && isObject(node[key]) ? node[key] : undefined;
const list = (value: unknown): readonly unknown[] => (Array.isArray(value) ? value : []);

/** Statements checked expression by expression; any other statement naming a masked table is refused outright. */
const QUERY_STATEMENTS: ReadonlySet<string> = new Set(
  'SelectStmt InsertStmt UpdateStmt DeleteStmt MergeStmt CopyStmt ExplainStmt PrepareStmt DeclareCursorStmt CreateTableAsStmt ViewStmt'.split(
    ' ',
  ),
);
/** Code the parser cannot see into (a function's body is a string, DO is PL/pgSQL): refused whenever masks apply. */
const OPAQUE_STATEMENTS: ReadonlySet<string> = new Set(['DoStmt', 'CreateFunctionStmt']);
/**
 * Functions that run SQL given as text (`query_to_xml('select email from users', …)`): built-ins, and C functions
 * of extensions, which are allowed as built-ins are (dblink; tablefunc's crosstab, and connectby, which reads
 * the columns it is given by name).
 */
const SQL_TEXT_FUNCTION =
  /^(?:(?:query|table|cursor|schema|database)_to_xml|ts_stat$|ts_rewrite$|dblink|crosstab\d*$|connectby$)/;
/** Catalogs that show sampled column values (most common values, histogram bounds). */
const SAMPLED_VALUES: ReadonlySet<string> = new Set(
  'pg_stats pg_stats_ext pg_stats_ext_exprs pg_statistic pg_statistic_ext_data'.split(' '),
);
/**
 * Built-in functions of one row-typed argument that return its values. PostgreSQL's functional notation makes
 * `u.to_jsonb` mean `to_jsonb(u)`, which looks like a column reference. (pg_proc of PostgreSQL 15, less those that
 * fail or reveal nothing, such as count and rank.)
 */
const WHOLE_ROW_FUNCTIONS: ReadonlySet<string> = new Set(
  (
    'any_out anycompatible_out anycompatiblenonarray_out anyelement_out anynonarray_out array_agg concat hash_record ' +
    'json_agg json_build_array json_build_object jsonb_agg jsonb_build_array jsonb_build_object num_nonnulls ' +
    'num_nulls pg_column_size quote_literal quote_nullable record_out record_send row_to_json to_json to_jsonb hstore'
  ).split(' '),
);

const maskedUse = (column: string): string =>
  `column '${column}' is masked in this session: it can only be selected as it is, not used in a condition, expression or function`;
const wholeRow = (name: string, column: string): string =>
  `'${name}' is a whole row of a table with masked column '${column}' in this session: select its columns by name`;
const nestedStar = (column: string): string =>
  `'*' over a table with masked column '${column}' is allowed only in the column list of the outermost SELECT in this session`;
const renamed = (column: string): string =>
  `a table with masked column '${column}' cannot have its columns renamed by an alias list in this session`;

const NONE: ReadonlyMap<string, string> = new Map();

/**
 * Why the statement text may not run in a session with these masks, or undefined when it may. `refused` holds
 * the lower-cased names of objects that compute from a masked column (`MaskCatalog`), with why: a statement that
 * names one anywhere, as a relation or in any name (a call, `x.f`, an operator, `ALTER FUNCTION f RENAME`), is
 * refused, whatever its schema (which the search path decides).
 */
export function maskViolation(
  sql: string,
  masks: readonly MaskedColumn[],
  refused: ReadonlyMap<string, string> = NONE,
): string | undefined {
  if (masks.length === 0) return undefined;
  const split = splitSql(sql);
  if ('error' in split) return 'the query could not be parsed, so its use of masked columns cannot be checked';
  for (const statement of split.statements) {
    const violation = namedRefusal(statement.node, refused) ?? statementViolation(statement.node, masks);
    if (violation !== undefined) return violation;
  }
  return undefined;
}

/**
 * A view's definition (`pg_get_viewdef`, one SELECT with `*` expanded): which masked column each entry of its
 * select list is as it is (undefined: none), by position, so the view's columns can be masked alike; or why the
 * view computes from a masked column, and must not be read at all.
 */
export function viewColumnMasks(
  sql: string,
  masks: readonly MaskedColumn[],
): { readonly violation: string } | { readonly columns: readonly (string | undefined)[] } {
  const violation = maskViolation(sql, masks);
  if (violation !== undefined) return { violation };
  const split = splitSql(sql);
  const statements = 'statements' in split ? split.statements : [];
  const { type, body } = statementKind(statements[0]?.node);
  if (statements.length !== 1 || type !== 'SelectStmt') return { violation: 'its definition is not one SELECT' };
  // maskViolation let no masked column into a set operation's select lists.
  if (body['op'] !== 'SETOP_NONE') return { columns: [] };
  const scope = maskScope(collectRelations(statements[0]?.node), masks);
  const targets = list(body['targetList']);
  if (
    scope.holders.size > 0 &&
    targets.some((target) => field(list(targetColumnRef(target)?.['fields']).at(-1), 'A_Star'))
  ) {
    return { violation: "its select list has a '*' whose columns cannot be told apart" };
  }
  return { columns: targets.map((target) => targetMask(target, scope)) };
}

/** The first object of `refused` the statement names: a relation, or any name (String node) in its tree. */
function namedRefusal(root: unknown, refused: ReadonlyMap<string, string>): string | undefined {
  if (refused.size === 0) return undefined;
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const node = pending.pop();
    if (typeof node !== 'object' || node === null) continue;
    if (isObject(node)) {
      const name = typeof node['relpersistence'] === 'string' ? node['relname'] : field(node, 'String')?.['sval'];
      const reason = typeof name === 'string' ? refused.get(name.toLowerCase()) : undefined;
      if (reason !== undefined) return reason;
    }
    for (const child of Object.values(node)) pending.push(child);
  }
  return undefined;
}

/** The masks a statement touches: masked column names, and the names of relations that may hold one. */
interface MaskScope {
  /** Lower-cased masked column → the column as the policy writes it. */
  readonly columns: Map<string, string>;
  /** Lower-cased relation name or alias that may hold a masked column → one such column. */
  readonly holders: Map<string, string>;
}

function statementViolation(root: unknown, masks: readonly MaskedColumn[]): string | undefined {
  const { type, body, command } = statementKind(root);
  if (OPAQUE_STATEMENTS.has(type)) {
    return `${command} runs code the gateway cannot check for masked columns, so it is not allowed in this session`;
  }
  const relations = collectRelations(root);
  const sampled = relations.find((relation) => SAMPLED_VALUES.has(lower(relation['relname'])));
  if (sampled) return `'${lower(sampled['relname'])}' shows sampled column values, which are masked in this session`;
  const scope = maskScope(relations, masks);
  const holder = relations.find((relation) => holds(scope, relation) !== undefined);
  if (holder && !QUERY_STATEMENTS.has(type)) {
    return `${command} may not name table '${String(holder['relname'])}' in this session: it has masked column '${holds(scope, holder)}'`;
  }
  if (type === 'CopyStmt' && body['is_from'] !== true) {
    const violation = copyViolation(body, scope);
    if (violation !== undefined) return violation;
  }
  const outermost = type === 'SelectStmt' && body['op'] === 'SETOP_NONE' && body['intoClause'] === undefined;
  const selected = new Set<unknown>(outermost ? list(body['targetList']).map(targetColumnRef) : []);
  return (outermost ? orderingViolation(body, scope) : undefined) ?? walk(root, scope, selected);
}

const lower = (value: unknown): string => (typeof value === 'string' ? value.toLowerCase() : '');

function maskScope(relations: readonly JsonObject[], masks: readonly MaskedColumn[]): MaskScope {
  const scope: MaskScope = { columns: new Map(), holders: new Map() };
  for (const mask of masks) {
    const tableParts = mask.table?.toLowerCase().split('.');
    const matching = relations.filter((relation) => tableParts === undefined || sameTable(relation, tableParts));
    if (tableParts !== undefined && matching.length === 0) continue;
    if (!scope.columns.has(mask.column.toLowerCase())) scope.columns.set(mask.column.toLowerCase(), mask.column);
    for (const relation of matching) {
      for (const name of [relation['relname'], field(relation, 'alias')?.['aliasname']]) {
        if (typeof name === 'string' && !scope.holders.has(name.toLowerCase())) {
          scope.holders.set(name.toLowerCase(), mask.column);
        }
      }
    }
  }
  return scope;
}

/** An unqualified relation may be the mask's schema-qualified table (the search path decides): it matches. */
function sameTable(relation: JsonObject, tableParts: readonly string[]): boolean {
  const schema = tableParts.length > 1 ? tableParts[tableParts.length - 2] : undefined;
  if (lower(relation['relname']) !== tableParts[tableParts.length - 1]) return false;
  return schema === undefined || relation['schemaname'] === undefined || lower(relation['schemaname']) === schema;
}

function holds(scope: MaskScope, relation: JsonObject): string | undefined {
  return scope.holders.get(lower(field(relation, 'alias')?.['aliasname'] ?? relation['relname']));
}

/** Every relation the statement names, at any depth (RangeVar: wrapped in lists, bare in `relation` fields). */
function collectRelations(root: unknown): JsonObject[] {
  const relations: JsonObject[] = [];
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const node = pending.pop();
    if (typeof node !== 'object' || node === null) continue;
    if (isObject(node) && typeof node['relname'] === 'string' && typeof node['relpersistence'] === 'string') {
      relations.push(node);
    }
    for (const child of Object.values(node)) pending.push(child);
  }
  return relations;
}

/** COPY data is not a DataRow: the gateway cannot mask it, so nothing masked may be copied out. */
function copyViolation(body: JsonObject, scope: MaskScope): string | undefined {
  const relation = field(body, 'relation');
  if (relation !== undefined) {
    const column = holds(scope, relation);
    const attributes = nameParts(body['attlist']).map((name) => name.toLowerCase());
    const copied = attributes.length === 0 ? column : attributes.map((name) => scope.columns.get(name)).find(Boolean);
    if (column !== undefined && copied !== undefined) {
      return `COPY out of table '${String(relation['relname'])}' cannot be masked: column '${copied}' is masked in this session`;
    }
  }
  const [column] = scope.columns.values();
  if (body['query'] !== undefined && column !== undefined) {
    return `COPY (query) cannot be masked and column '${column}' is masked in this session: run the query as a SELECT`;
  }
  return undefined;
}

/** The ColumnRef that is the whole value of a select-list entry (`SELECT u.email AS e`), if it is one. */
function targetColumnRef(target: unknown): JsonObject | undefined {
  return field(field(field(target, 'ResTarget'), 'val'), 'ColumnRef');
}

/** What an outermost select-list entry may carry: the masked column it selects, or undefined. */
function targetMask(target: unknown, scope: MaskScope): string | undefined {
  const fields = list(targetColumnRef(target)?.['fields']);
  const last = fields[fields.length - 1];
  if (field(last, 'A_Star') !== undefined) {
    const qualifier = nameParts(fields.slice(0, -1)).pop()?.toLowerCase();
    return qualifier === undefined ? scope.holders.values().next().value : scope.holders.get(qualifier);
  }
  return scope.columns.get(lower(nameParts([last])[0]));
}

/**
 * ORDER BY, GROUP BY and DISTINCT ON of the outermost SELECT may name a select-list entry by position (`ORDER BY 1`)
 * or alias (`ORDER BY e`), and plain DISTINCT compares every entry: none may reach a masked one. A `*` has an
 * unknown width, so a position at or after one is refused when a masked entry may lie there.
 */
function orderingViolation(body: JsonObject, scope: MaskScope): string | undefined {
  const targets = list(body['targetList']);
  const masked = targets.map((target) => targetMask(target, scope));
  const firstStar = targets.findIndex((target) => field(list(targetColumnRef(target)?.['fields']).at(-1), 'A_Star'));
  const items = [
    ...list(body['sortClause']).map((sort) => field(sort, 'SortBy')?.['node']),
    ...groupingItems(list(body['groupClause'])),
    ...list(body['distinctClause']),
  ];
  for (const item of items) {
    let column: string | undefined;
    const ordinal = field(field(item, 'A_Const'), 'ival')?.['ival'];
    const alias = nameParts(field(item, 'ColumnRef')?.['fields']);
    if (isObject(item) && Object.keys(item).length === 0) {
      column = masked.find(Boolean); // plain DISTINCT
    } else if (typeof ordinal === 'number') {
      const uncertain = firstStar >= 0 && ordinal - 1 >= firstStar;
      column = uncertain ? masked.slice(firstStar).find(Boolean) : masked[ordinal - 1];
    } else if (alias.length === 1) {
      const index = targets.findIndex((target) => lower(field(target, 'ResTarget')?.['name']) === lower(alias[0]));
      column = index >= 0 ? masked[index] : undefined;
    }
    if (column !== undefined) return maskedUse(column);
  }
  return undefined;
}

function groupingItems(items: readonly unknown[]): unknown[] {
  return items.flatMap((item) => {
    const set = field(item, 'GroupingSet');
    return set === undefined ? [item] : groupingItems(list(set['content']));
  });
}

/**
 * Walks every node (iteratively: a deeply nested expression cannot overflow the stack). `selected` holds the
 * ColumnRefs that are whole select-list entries of the outermost SELECT, the only place a masked column or a `*`
 * over a masked table may appear; a `*` that is the select list of an EXISTS subquery is added as the walk meets it
 * (its rows are only counted).
 */
function walk(root: unknown, scope: MaskScope, selected: Set<unknown>): string | undefined {
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const node = pending.pop();
    if (typeof node !== 'object' || node === null) continue;
    if (isObject(node)) {
      const violation = visit(node, scope, selected);
      if (violation !== undefined) return violation;
    }
    for (const child of Object.values(node)) pending.push(child);
  }
  return undefined;
}

function visit(node: JsonObject, scope: MaskScope, selected: Set<unknown>): string | undefined {
  const reference = field(node, 'ColumnRef');
  if (reference !== undefined) return columnRefViolation(reference, scope, selected);
  const join = field(node, 'JoinExpr');
  if (join !== undefined) return joinViolation(join, scope);
  const sublink = field(node, 'SubLink');
  if (sublink?.['subLinkType'] === 'EXISTS_SUBLINK') {
    for (const target of list(field(sublink['subselect'], 'SelectStmt')?.['targetList'])) {
      const fields = list(targetColumnRef(target)?.['fields']);
      if (fields.length === 1 && field(fields[0], 'A_Star')) selected.add(targetColumnRef(target));
    }
  }
  if (typeof node['relname'] === 'string' && typeof node['relpersistence'] === 'string') {
    const column = holds(scope, node);
    if (column !== undefined && list(field(node, 'alias')?.['colnames']).length > 0) return renamed(column);
  }
  if (Array.isArray(node['funcname']) && typeof node['funcformat'] === 'string') {
    const name = nameParts(node['funcname']).pop()?.toLowerCase() ?? '';
    if (SQL_TEXT_FUNCTION.test(name)) {
      return `function '${name}' runs SQL given as text, which the gateway cannot check for masked columns`;
    }
  }
  return undefined;
}

function columnRefViolation(reference: JsonObject, scope: MaskScope, selected: Set<unknown>): string | undefined {
  const fields = list(reference['fields']);
  const names = nameParts(fields).map((name) => name.toLowerCase());
  const qualifier = names.length >= 2 ? names[names.length - 2] : undefined;
  if (field(fields[fields.length - 1], 'A_Star') !== undefined) {
    if (selected.has(reference)) return undefined;
    const star = names.length === 0 ? scope.holders.values().next().value : scope.holders.get(names.at(-1) ?? '');
    if (star === undefined) return undefined;
    return names.length === 0 ? nestedStar(star) : wholeRow(`${names.at(-1)}.*`, star);
  }
  const last = names[names.length - 1] ?? '';
  const rowColumn = names.length === 1 ? scope.holders.get(last) : undefined;
  if (rowColumn !== undefined) return wholeRow(last, rowColumn);
  const functionColumn = qualifier !== undefined ? scope.holders.get(qualifier) : undefined;
  if (functionColumn !== undefined && WHOLE_ROW_FUNCTIONS.has(last)) return wholeRow(qualifier ?? '', functionColumn);
  const column = scope.columns.get(last);
  return column !== undefined && !selected.has(reference) ? maskedUse(column) : undefined;
}

/** USING names columns compared by value; NATURAL compares columns we cannot list; a join alias list renames. */
function joinViolation(join: JsonObject, scope: MaskScope): string | undefined {
  for (const name of nameParts(join['usingClause'])) {
    const column = scope.columns.get(name.toLowerCase());
    if (column !== undefined) return maskedUse(column);
  }
  const [column] = scope.holders.values();
  if (column === undefined) return undefined;
  if (join['isNatural'] === true) {
    return `a NATURAL join may compare masked column '${column}' in this session: name the join columns`;
  }
  return list(field(join, 'alias')?.['colnames']).length > 0 ? renamed(column) : undefined;
}
