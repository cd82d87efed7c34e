/**
 * The names in a statement that PostgreSQL resolves through the search path among the session database's objects,
 * not only among the built-ins: unqualified function calls, operator symbols (written, or implied by `IN`,
 * `BETWEEN`, `CASE x WHEN`, `JOIN … USING`), the types cast to; and the names a statement could add to those
 * objects (a function, operator, domain, type or cast it creates, renames or moves). A user's `public.lower(varchar)`
 * is what `lower(name)` calls on a `varchar` column, so `readOnly` cannot trust the name alone: the session's
 * catalog says which names are taken (shadowed-builtins.ts). These facts hold for every session alike (no catalog
 * here), so they may be cached with the statement's classification.
 */

type Json = unknown;
type JsonObject = Record<string, Json>;

export interface Lookups {
  /** Functions called by an unqualified name (`lower(x)`; `pg_catalog.lower(x)` is the built-in whatever exists). */
  readonly calls: Set<string>;
  /** Operator symbols not qualified with pg_catalog, written or implied by the syntax. */
  readonly operators: Set<string>;
  /** The (last part of the) name of every type a value is cast to (`::dom`, `CAST(… AS dom)`, `dom 'x'`). */
  readonly casts: Set<string>;
  /** What the statement creates, renames or moves, which later statements of the session may call unawares. */
  readonly defines: {
    readonly functions: Set<string>;
    readonly operators: Set<string>;
    readonly types: Set<string>;
  };
  /** The statement creates a cast (`CREATE CAST … WITH FUNCTION`), which may then run wherever a value converts. */
  definesCast: boolean;
}

export function emptyLookups(): Lookups {
  return {
    calls: new Set(),
    operators: new Set(),
    casts: new Set(),
    defines: { functions: new Set(), operators: new Set(), types: new Set() },
    definesCast: false,
  };
}

const isObject = (value: Json): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function names(list: Json): string[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((item) =>
    isObject(item) && isObject(item['String']) && typeof item['String']['sval'] === 'string'
      ? [item['String']['sval']]
      : [],
  );
}

const last = (parts: readonly string[]): string | undefined => parts[parts.length - 1];

/**
 * An operator as written: unqualified it is looked up through the search path (a user's `=` for `varchar` wins
 * over the built-in's `text = text`); `OPERATOR(pg_catalog.=)` is the built-in.
 */
export function addOperatorLookup(lookups: Lookups, parts: readonly string[]): void {
  const symbol = last(parts);
  if (symbol !== undefined && (parts.length === 1 || parts[parts.length - 2] !== 'pg_catalog')) {
    lookups.operators.add(symbol);
  }
}

/** Operators an A_Expr of another kind than a plain operator looks up by name (parse_expr.c). */
export function addExpressionOperators(lookups: Lookups, kind: string, parts: readonly string[]): void {
  if (kind.startsWith('AEXPR_BETWEEN') || kind.startsWith('AEXPR_NOT_BETWEEN')) {
    for (const symbol of ['<=', '>=', '<', '>']) lookups.operators.add(symbol);
  } else if (['AEXPR_DISTINCT', 'AEXPR_NOT_DISTINCT', 'AEXPR_NULLIF'].includes(kind)) {
    lookups.operators.add('=');
  } else addOperatorLookup(lookups, parts);
}

const FUNCTION_OBJECTS = new Set(['OBJECT_FUNCTION', 'OBJECT_PROCEDURE', 'OBJECT_ROUTINE', 'OBJECT_AGGREGATE']);
/** Objects that are, or carry, a type a value can be cast to (a table's or view's row type included). */
const TYPE_OBJECTS = new Set([
  'OBJECT_TYPE',
  'OBJECT_DOMAIN',
  'OBJECT_TABLE',
  'OBJECT_VIEW',
  'OBJECT_MATVIEW',
  'OBJECT_FOREIGN_TABLE',
]);

/** The name of an `ObjectWithArgs` or a `List` of names (`object` of RENAME and SET SCHEMA). */
function objectName(object: Json): string | undefined {
  if (!isObject(object)) return undefined;
  if (isObject(object['ObjectWithArgs'])) return last(names(object['ObjectWithArgs']['objname']));
  if (isObject(object['List'])) return last(names(object['List']['items']));
  if (isObject(object['String']) && typeof object['String']['sval'] === 'string') return object['String']['sval'];
  return undefined;
}

function relationName(relation: Json): string | undefined {
  return isObject(relation) && typeof relation['relname'] === 'string' ? relation['relname'] : undefined;
}

function addDefined(into: Set<string>, name: string | undefined): void {
  if (name !== undefined) into.add(name);
}

/**
 * What a wrapped parse node (`{"CreateDomainStmt": {…}}`) adds to the lookups: the syntax that looks an operator
 * up without writing it, casts, and every statement creating, renaming or moving a function, operator or type.
 * Fail closed: a domain is counted whether or not it has a CHECK, a table whether or not a column is a domain.
 */
export function addNodeLookups(lookups: Lookups, type: string, body: JsonObject): void {
  const { defines } = lookups;
  switch (type) {
    case 'TypeCast': {
      const typeName = isObject(body['typeName']) ? body['typeName'] : {};
      addDefined(lookups.casts, last(names(typeName['names'])));
      break;
    }
    case 'CaseExpr':
      // `CASE x WHEN v` compares with `=`, looked up by name.
      if (body['arg'] !== undefined) lookups.operators.add('=');
      break;
    case 'JoinExpr':
      if ((Array.isArray(body['usingClause']) && body['usingClause'].length > 0) || body['isNatural'] === true) {
        lookups.operators.add('=');
      }
      break;
    case 'CreateFunctionStmt':
      addDefined(defines.functions, last(names(body['funcname'])));
      break;
    case 'DefineStmt': {
      const name = last(names(body['defnames']));
      if (body['kind'] === 'OBJECT_AGGREGATE') addDefined(defines.functions, name);
      else if (body['kind'] === 'OBJECT_OPERATOR') addDefined(defines.operators, name);
      else if (body['kind'] === 'OBJECT_TYPE') addDefined(defines.types, name);
      break;
    }
    case 'AlterOperatorStmt': {
      // Its restriction and join estimators are called when a statement using it is planned.
      const operator = isObject(body['opername']) ? body['opername'] : {};
      addDefined(defines.operators, last(names(operator['objname'])));
      break;
    }
    case 'CreateDomainStmt':
      addDefined(defines.types, last(names(body['domainname'])));
      break;
    case 'AlterDomainStmt':
      addDefined(defines.types, last(names(body['typeName'])));
      break;
    case 'CompositeTypeStmt':
      addDefined(defines.types, relationName(body['typevar']));
      break;
    case 'CreateEnumStmt':
    case 'CreateRangeStmt':
      addDefined(defines.types, last(names(body['typeName'])));
      break;
    case 'CreateStmt':
    case 'AlterTableStmt':
      // A table's row type: `row(…)::t` checks the CHECK of a domain column.
      addDefined(defines.types, relationName(body['relation']));
      break;
    case 'ViewStmt':
      addDefined(defines.types, relationName(body['view']));
      break;
    case 'CreateTableAsStmt':
      addDefined(defines.types, relationName(isObject(body['into']) ? body['into']['rel'] : undefined));
      break;
    case 'CreateCastStmt':
      lookups.definesCast = true;
      break;
    case 'RenameStmt':
      addMoved(lookups, String(body['renameType']), body['newname']);
      break;
    case 'AlterObjectSchemaStmt':
      addMoved(lookups, String(body['objectType']), objectName(body['object']) ?? relationName(body['relation']));
      break;
    default:
  }
}

/** An object renamed (its new name) or moved to another schema (its name), by the kind of object it is. */
function addMoved(lookups: Lookups, objectType: string, name: Json): void {
  if (typeof name !== 'string') return;
  if (FUNCTION_OBJECTS.has(objectType)) lookups.defines.functions.add(name);
  else if (objectType === 'OBJECT_OPERATOR') lookups.defines.operators.add(name);
  else if (TYPE_OBJECTS.has(objectType)) lookups.defines.types.add(name);
}

/** The parse nodes `addNodeLookups` reads, wrapped in their type name wherever they occur. */
export const LOOKUP_NODE_TYPES: ReadonlySet<string> = new Set([
  'TypeCast',
  'CaseExpr',
  'JoinExpr',
  'CreateFunctionStmt',
  'DefineStmt',
  'AlterOperatorStmt',
  'CreateDomainStmt',
  'AlterDomainStmt',
  'CompositeTypeStmt',
  'CreateEnumStmt',
  'CreateRangeStmt',
  'CreateStmt',
  'AlterTableStmt',
  'ViewStmt',
  'CreateTableAsStmt',
  'CreateCastStmt',
  'RenameStmt',
  'AlterObjectSchemaStmt',
]);
