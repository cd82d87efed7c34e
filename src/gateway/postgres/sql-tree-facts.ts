/**
 * What a statement's parse tree (libpg-query's JSON, the real PostgreSQL grammar) touches, wherever in the tree
 * it is: relations, schemas, functions called, run-time parameters set, statements nested inside it (a CTE's
 * DELETE, an EXPLAIN ANALYZE's target, a PREPARE's query, a SQL function's body), row locks and SECURITY DEFINER.
 * The walk is iterative (a deeply nested expression cannot overflow the stack) and looks at every node, so a
 * construct hidden in a subquery, a default expression or a rule action is found like one at the top.
 */
import { parseSync } from 'libpg-query';
import { isQueryTextFunction } from '../../decide/gateway-statement.decide.js';
import { BUILT_IN_OPERATORS, READ_ONLY_FUNCTIONS, SQL_JSON_CALLS } from './sql-known-functions.js';
import { arrayLiteralElements, qualifiedNameInString, RELATION_ARGUMENT_FUNCTIONS } from './sql-object-names.js';
import {
  addExpressionOperators,
  addNodeLookups,
  addOperatorLookup,
  emptyLookups,
  LOOKUP_NODE_TYPES,
  type Lookups,
} from './sql-shadow-names.js';

type Json = unknown;
type JsonObject = Record<string, Json>;

export interface TreeFacts {
  readonly tables: Set<string>;
  readonly schemas: Set<string>;
  readonly functions: Set<string>;
  /** Functions called whose effect we cannot vouch for (not on the read-only list, or qualified elsewhere). */
  readonly unknownFunctions: Set<string>;
  readonly settings: Set<string>;
  /** Node types of data-changing statements found anywhere (InsertStmt, UpdateStmt, DeleteStmt, MergeStmt). */
  readonly writes: Set<string>;
  locks: boolean;
  selectInto: boolean;
  securityDefiner: boolean;
  opaqueCode: boolean;
  /** A relation was named by a string constant (`'t'::regclass`): another constant would name another relation. */
  namesFromConstants: boolean;
  /** The statements of SQL routine bodies given as strings, which run when the routine is called. */
  readonly routineStatements: Json[];
  /** Names the server looks up among the database's own objects too, and names the statement adds to them. */
  readonly lookups: Lookups;
}

const WRITE_NODES = new Set(['InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt']);

function addOperator(facts: TreeFacts, expression: JsonObject): void {
  const kind = String(expression['kind']);
  if (!['AEXPR_OP', 'AEXPR_OP_ANY', 'AEXPR_OP_ALL'].includes(kind)) {
    // `IN`, `LIKE`, `BETWEEN`, `IS DISTINCT FROM`: built-in symbols, looked up by name like any operator.
    addExpressionOperators(facts.lookups, kind, nameParts(expression['name']));
    return;
  }
  addOperatorName(facts, nameParts(expression['name']));
}

/** An operator by its (possibly qualified) name: `x op ANY (subquery)` names one as `x op y` does. */
function addOperatorName(facts: TreeFacts, parts: readonly string[]): void {
  const symbol = parts[parts.length - 1] ?? '';
  const schema = parts.length > 1 ? parts[parts.length - 2] : 'pg_catalog';
  if (!BUILT_IN_OPERATORS.has(symbol) || schema !== 'pg_catalog') facts.unknownFunctions.add(`operator ${symbol}`);
  addOperatorLookup(facts.lookups, parts);
}

export function emptyTreeFacts(): TreeFacts {
  return {
    tables: new Set(),
    schemas: new Set(),
    functions: new Set(),
    unknownFunctions: new Set(),
    settings: new Set(),
    writes: new Set(),
    locks: false,
    selectInto: false,
    securityDefiner: false,
    opaqueCode: false,
    namesFromConstants: false,
    routineStatements: [],
    lookups: emptyLookups(),
  };
}

const isObject = (value: Json): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The `sval`s of a list of String nodes (qualified names). */
export function nameParts(list: Json): string[] {
  if (!Array.isArray(list)) return [];
  const parts: string[] = [];
  for (const item of list) {
    const sval = isObject(item) && isObject(item['String']) ? item['String']['sval'] : undefined;
    if (typeof sval === 'string') parts.push(sval);
  }
  return parts;
}

/** A string constant's value (`'role'`, `'role'::text`), or undefined for anything computed. */
function constantString(node: Json): string | undefined {
  if (isObject(node) && isObject(node['TypeCast'])) return constantString(node['TypeCast']['arg']);
  const constant = isObject(node) && isObject(node['A_Const']) ? node['A_Const'] : undefined;
  const sval = constant && isObject(constant['sval']) ? constant['sval']['sval'] : undefined;
  return typeof sval === 'string' ? sval : undefined;
}

function addRelation(facts: TreeFacts, relation: JsonObject): void {
  const relname = relation['relname'];
  if (typeof relname !== 'string') return;
  const schema = typeof relation['schemaname'] === 'string' ? relation['schemaname'] : undefined;
  const catalog = typeof relation['catalogname'] === 'string' ? relation['catalogname'] : undefined;
  addRelationName(
    facts,
    [catalog, schema, relname].filter((part) => part !== undefined),
  );
}

/**
 * A relation as written (`public.secret`), and by its bare name too when written qualified (`secret`), so that a rule
 * about the name holds however the relation is qualified; its schema when written.
 */
export function addRelationName(facts: Pick<TreeFacts, 'tables' | 'schemas'>, parts: readonly string[]): void {
  const relname = parts[parts.length - 1];
  if (relname === undefined) return;
  facts.tables.add(parts.join('.'));
  facts.tables.add(relname);
  const schema = parts.length > 1 ? parts[parts.length - 2] : undefined;
  if (schema !== undefined) facts.schemas.add(schema);
  // Unqualified, `pg_*` names resolve in the catalog first (it is searched before the search path).
  else if (relname.startsWith('pg_')) facts.schemas.add('pg_catalog');
}

/** A relation named by a string constant the server reads as a relation name. */
function addRelationInString(facts: TreeFacts, node: Json, array = false): void {
  const text = constantString(node);
  const names = text === undefined ? [] : array ? (arrayLiteralElements(text) ?? []) : [text];
  for (const name of names) {
    const parts = qualifiedNameInString(name);
    if (parts === undefined) continue;
    addRelationName(facts, parts);
    facts.namesFromConstants = true;
  }
}

/** `'secret'::regclass` (`::pg_catalog.regclass`, `'{a,b}'::regclass[]`): the server looks the relation up by name. */
function addRegclassCast(facts: TreeFacts, cast: JsonObject): void {
  const typeName = isObject(cast['typeName']) ? cast['typeName'] : {};
  const names = nameParts(typeName['names']);
  const type = names[names.length - 1];
  const schema = names.length > 1 ? names[names.length - 2] : 'pg_catalog';
  const array = Array.isArray(typeName['arrayBounds']) && typeName['arrayBounds'].length > 0;
  if (type === 'regclass' && schema === 'pg_catalog') addRelationInString(facts, cast['arg'], array);
}

function addFunctionCall(facts: TreeFacts, call: JsonObject): void {
  const parts = nameParts(call['funcname']);
  const name = parts[parts.length - 1];
  if (name === undefined) return;
  facts.functions.add(name);
  // SQL-standard syntax (`substring(x from 1)`, `extract(…)`) comes back as pg_catalog.* without being written so.
  const written = call['funcformat'] !== 'COERCE_SQL_SYNTAX';
  if (parts.length > 1 && written) {
    facts.functions.add(parts.join('.'));
    facts.schemas.add(parts[parts.length - 2] as string);
  }
  const schema = parts.length > 1 ? parts[parts.length - 2] : 'pg_catalog';
  if (!READ_ONLY_FUNCTIONS.has(name) || schema !== 'pg_catalog') facts.unknownFunctions.add(name);
  if (parts.length === 1) facts.lookups.calls.add(name);
  if (RELATION_ARGUMENT_FUNCTIONS.has(name) && Array.isArray(call['args'])) addRelationInString(facts, call['args'][0]);
  if (runsQueryText(name, call)) facts.opaqueCode = true;
  if (name === 'set_config') {
    const args = Array.isArray(call['args']) ? call['args'] : [];
    const setting = constantString(args[0]);
    facts.settings.add(setting === undefined ? '*' : setting.trim().toLowerCase());
  }
}

/** Whether a call runs a query given as text: `ts_rewrite` only in its two-argument form (the other only rewrites). */
function runsQueryText(name: string, call: JsonObject): boolean {
  if (name === 'ts_rewrite') return Array.isArray(call['args']) && call['args'].length === 2;
  return isQueryTextFunction(name);
}

function addVariableSet(facts: TreeFacts, set: JsonObject): void {
  if (set['kind'] === 'VAR_RESET_ALL') {
    facts.settings.add('*');
    return;
  }
  const name = typeof set['name'] === 'string' ? set['name'] : '*';
  if (set['kind'] === 'VAR_SET_MULTI') {
    // SET TRANSACTION / SET SESSION CHARACTERISTICS: the parameters are the options' names.
    for (const option of Array.isArray(set['args']) ? set['args'] : []) {
      const defname = isObject(option) && isObject(option['DefElem']) ? option['DefElem']['defname'] : undefined;
      if (typeof defname === 'string') facts.settings.add(defname.toLowerCase());
    }
    return;
  }
  if (!restatesLoginSetting(name.toLowerCase(), set)) facts.settings.add(name.toLowerCase());
}

/** Values PostgreSQL reads as `on` for a boolean parameter (`parse_bool`: unambiguous prefixes of true/yes, on, 1). */
const TRUE_WORDS: ReadonlySet<string> = new Set(['on', 'true', 'tru', 'tr', 't', 'yes', 'ye', 'y', '1']);

/**
 * `SET client_encoding TO 'UTF8'` (or `SET NAMES 'utf-8'`, `'unicode'`) and `SET standard_conforming_strings = on`
 * restate what the gateway sets at login (client-connection.ts), so they change nothing and are no setting. Drivers
 * send them (libpq's PQsetClientEncoding, Rails' `encoding: unicode`). Only a literal value counts; DEFAULT, RESET
 * and anything computed stay settings, and the decision refuses them.
 */
function restatesLoginSetting(name: string, set: JsonObject): boolean {
  const args = Array.isArray(set['args']) ? set['args'] : [];
  if (set['kind'] !== 'VAR_SET_VALUE' || args.length !== 1) return false;
  const constant = isObject(args[0]) && isObject(args[0]['A_Const']) ? args[0]['A_Const'] : undefined;
  const ival = constant && isObject(constant['ival']) ? constant['ival']['ival'] : undefined;
  const value = ival === undefined ? constantString(args[0])?.toLowerCase() : String(ival);
  if (value === undefined) return false;
  // PostgreSQL matches encoding names ignoring case and everything but letters and digits.
  if (name === 'client_encoding') return ['utf8', 'unicode'].includes(value.replace(/[^a-z0-9]/g, ''));
  if (name === 'standard_conforming_strings') return TRUE_WORDS.has(value);
  return false;
}

/** Options of CREATE/ALTER FUNCTION: SECURITY DEFINER, the language and a SQL body given as a string. */
function addRoutineOptions(facts: TreeFacts, options: Json, pending: Json[]): void {
  if (!Array.isArray(options)) return;
  let language: string | undefined;
  let body: string | undefined;
  for (const option of options) {
    const element = isObject(option) && isObject(option['DefElem']) ? option['DefElem'] : undefined;
    if (!element) continue;
    const arg = element['arg'];
    if (element['defname'] === 'security' && isObject(arg) && isObject(arg['Boolean'])) {
      if (arg['Boolean']['boolval'] === true) facts.securityDefiner = true;
    } else if (element['defname'] === 'language' && isObject(arg) && isObject(arg['String'])) {
      language = String(arg['String']['sval']).toLowerCase();
    } else if (element['defname'] === 'as' && isObject(arg) && isObject(arg['List'])) {
      body = nameParts(arg['List']['items']).join('\n');
    }
  }
  if (body === undefined) return;
  if (language !== 'sql') {
    facts.opaqueCode = true;
    return;
  }
  // A SQL function's body is SQL the server will run: parse it and look inside like any other statement.
  try {
    for (const statement of parseSync(body).stmts ?? []) {
      pending.push(statement.stmt);
      facts.routineStatements.push(statement.stmt);
    }
  } catch {
    facts.opaqueCode = true;
  }
}

/**
 * Walks `root` and everything under it, adding what it finds to `facts`. libpg-query wraps a node in its type
 * name only where the grammar allows any node (`{"DeleteStmt": {…}}`); a field of one fixed type holds the bare
 * struct (`"relation": {"relname": …}`), so relations, function calls and SETs are recognised by their shape.
 */
export function collectTreeFacts(root: Json, facts: TreeFacts): TreeFacts {
  const pending: Json[] = [root];
  while (pending.length > 0) {
    const node = pending.pop();
    if (Array.isArray(node)) {
      for (const child of node) pending.push(child);
      continue;
    }
    if (!isObject(node)) continue;
    visitShape(facts, node);
    for (const [key, value] of Object.entries(node)) {
      if (isObject(value) && WRAPPED_TYPES.has(key)) visitWrapped(facts, key, value, pending);
      if (isObject(value) && LOOKUP_NODE_TYPES.has(key)) addNodeLookups(facts.lookups, key, value);
      if (typeof value === 'object' && value !== null) pending.push(value);
    }
  }
  return facts;
}

function visitShape(facts: TreeFacts, node: JsonObject): void {
  if (typeof node['relname'] === 'string' && typeof node['relpersistence'] === 'string') addRelation(facts, node);
  else if (Array.isArray(node['funcname']) && typeof node['funcformat'] === 'string') addFunctionCall(facts, node);
  else if (typeof node['kind'] === 'string' && node['kind'].startsWith('VAR_')) addVariableSet(facts, node);
  else if (typeof node['kind'] === 'string' && node['kind'].startsWith('AEXPR_')) addOperator(facts, node);
  else if (typeof node['subLinkType'] === 'string' && Array.isArray(node['operName'])) {
    addOperatorName(facts, nameParts(node['operName']));
  } else if (Array.isArray(node['useOp']) && node['useOp'].length > 0) addOperatorName(facts, nameParts(node['useOp']));
  if (Array.isArray(node['lockingClause']) && node['lockingClause'].length > 0) facts.locks = true;
  if (isObject(node['intoClause']) && node['op'] !== undefined) facts.selectInto = true;
}

const WRAPPED_TYPES = new Set([
  ...WRITE_NODES,
  ...Object.keys(SQL_JSON_CALLS),
  'CreateFunctionStmt',
  'AlterFunctionStmt',
  'DoStmt',
  'DiscardStmt',
  'TypeCast',
]);

function visitWrapped(facts: TreeFacts, type: string, body: JsonObject, pending: Json[]): void {
  switch (type) {
    case 'CreateFunctionStmt':
      addRoutineOptions(facts, body['options'], pending);
      break;
    case 'AlterFunctionStmt':
      addRoutineOptions(facts, body['actions'], pending);
      break;
    case 'DoStmt':
      facts.opaqueCode = true;
      break;
    case 'DiscardStmt':
      if (body['target'] === 'DISCARD_ALL') facts.settings.add('*');
      break;
    case 'TypeCast':
      addRegclassCast(facts, body);
      break;
    case 'InsertStmt':
    case 'UpdateStmt':
    case 'DeleteStmt':
    case 'MergeStmt':
      addWrite(facts, type, body);
      break;
    default: {
      const name = SQL_JSON_CALLS[type]?.(body);
      if (name !== undefined) {
        facts.functions.add(name);
        facts.unknownFunctions.add(name);
      }
    }
  }
}

function addWrite(facts: TreeFacts, type: string, body: JsonObject): void {
  facts.writes.add(type);
  // An upsert overwrites the rows that already exist: it is an update as much as an insert.
  if (type === 'InsertStmt' && isUpsert(body)) facts.writes.add('UpdateStmt');
  // A MERGE does what its actions do: `WHEN MATCHED THEN DELETE` deletes.
  if (type === 'MergeStmt') for (const action of mergeActions(body)) facts.writes.add(action);
}

function isUpsert(insert: JsonObject): boolean {
  const conflict = insert['onConflictClause'];
  return isObject(conflict) && conflict['action'] === 'ONCONFLICT_UPDATE';
}

const MERGE_ACTIONS: Record<string, string> = { CMD_UPDATE: 'UpdateStmt', CMD_DELETE: 'DeleteStmt' };

function mergeActions(merge: JsonObject): string[] {
  const clauses = Array.isArray(merge['mergeWhenClauses']) ? merge['mergeWhenClauses'] : [];
  return clauses.flatMap((clause: Json) => {
    const when = isObject(clause) && isObject(clause['MergeWhenClause']) ? clause['MergeWhenClause'] : undefined;
    const action = when === undefined ? undefined : MERGE_ACTIONS[String(when['commandType'])];
    return action === undefined ? [] : [action];
  });
}
