/**
 * SQL statement classification for the PostgreSQL gateway (issue 14), with the real PostgreSQL parser
 * (`libpg-query`, PostgreSQL's own grammar compiled to WebAssembly): never a regular expression, so comments,
 * quoting, case and whitespace cannot hide what a statement is. One Query message may hold several statements;
 * each is classified on its own (and decided on its own: one refusal refuses the message).
 *
 * `loadSqlParser()` must have finished once before `classifySql` is called (the WebAssembly module loads
 * asynchronously; parsing is synchronous after that).
 */
import { createHash } from 'node:crypto';
import { fingerprintSync, loadModule, normalizeSync, parseSync } from 'libpg-query';
import type { StatementFacts, StatementKind, StatementLookups } from '../../decide/gateway-statement.decide.js';
import { statementObjectNames } from './sql-object-names.js';
import { addRelationName, collectTreeFacts, emptyTreeFacts, type TreeFacts } from './sql-tree-facts.js';
import { statementKind } from './sql-statement-kind.js';

/**
 * Longest query text classified; a longer one is refused before parsing. The WebAssembly parser takes roughly a
 * microsecond per byte (texts over 8 KiB are parsed on a worker thread, sql-parse-pool.ts, but one worker serves
 * every session), so this bounds how long one message can hold it (bulk data belongs in COPY FROM STDIN, whose data
 * is not parsed).
 */
export const MAX_SQL_LENGTH = 1024 * 1024;
/**
 * Longest query text as its record holds it (the UTF-8 bytes of its JSON string, where a control character takes
 * six) that the audit event can still carry readably: the event holds at most 256 KiB and the encrypted copy is
 * base64 (4/3 of this). A longer text would be kept as an HMAC only, which no auditor can read, so it is refused.
 */
export const MAX_RECORDED_SQL_BYTES = 150 * 1024;
/** Below this many characters a text cannot exceed `MAX_RECORDED_SQL_BYTES` (six bytes a character at most). */
const SURELY_RECORDABLE = Math.floor(MAX_RECORDED_SQL_BYTES / 6);
/** Above this a statement's fingerprint is a digest of its text: libpg-query's fingerprint parses it again. */
const MAX_FINGERPRINT_PARSE = 64 * 1024;

let loading: Promise<void> | undefined;
let loaded = false;

/** Loads the parser's WebAssembly module; call once at start (later calls return at once). */
export async function loadSqlParser(): Promise<void> {
  loading ??= loadModule().then(() => {
    loaded = true;
  });
  await loading;
}

export type SqlClassification = { readonly statements: readonly StatementFacts[] } | { readonly error: string };

export interface SqlStatement {
  /** The statement's own text, as sent (without the separating semicolon). */
  readonly text: string;
  /** The top-level parse node (`{"SelectStmt": {…}}`). */
  readonly node: unknown;
}

/** Splits a query string into its statements, with the real parser; an empty query has none. */
export function splitSql(sql: string): { readonly statements: readonly SqlStatement[] } | { readonly error: string } {
  if (!loaded) return { error: 'the SQL parser is not loaded' };
  if (sql.length > MAX_SQL_LENGTH) {
    return { error: `query text longer than ${MAX_SQL_LENGTH} characters (send bulk data with COPY FROM STDIN)` };
  }
  if (sql.length > SURELY_RECORDABLE && Buffer.byteLength(JSON.stringify(sql)) > MAX_RECORDED_SQL_BYTES) {
    return {
      error: `query text longer than the ${MAX_RECORDED_SQL_BYTES / 1024} KiB the record can keep readable (send bulk data with COPY FROM STDIN)`,
    };
  }
  if (sql.trim() === '') return { statements: [] };
  let parsed: ReturnType<typeof parseSync>;
  try {
    parsed = parseSync(sql);
  } catch (error) {
    return { error: parseErrorMessage(error) };
  }
  // Locations are byte offsets into the UTF-8 text, not string indexes.
  const bytes = Buffer.from(sql, 'utf8');
  const statements = (parsed.stmts ?? []).map((raw) => {
    const start = raw.stmt_location ?? 0;
    const end = raw.stmt_len ? start + raw.stmt_len : bytes.length;
    return { text: bytes.subarray(start, end).toString('utf8').trim(), node: raw.stmt };
  });
  return { statements };
}

/**
 * The parser's complaint without the statement's text: `at or near "…"` quotes the statement from the error on (an
 * unterminated string quotes all the rest of it, values included), and this message is recorded in clear (the
 * session's statement list, which approvers read, and the audit event), where only the sealed text may hold
 * values. The position stands in for the quote.
 */
function parseErrorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : 'the statement could not be parsed';
  const position = (error as { sqlDetails?: { cursorPosition?: unknown } } | undefined)?.sqlDetails?.cursorPosition;
  const bare = message
    .replace(/\s+at or near "[\s\S]*$/, '')
    .replace(/"[^"]*"/g, '"…"')
    .replace(/\s+/g, ' ');
  const at = typeof position === 'number' && !bare.endsWith('at end of input') ? ` at character ${position + 1}` : '';
  return `${bare}${at}`.slice(0, 200);
}

/**
 * Recent classifications by normalised text. Applications send the same statements again and again with other
 * constants (`… WHERE id = 42`), and parsing and walking the tree costs several times more than normalising it
 * (which only replaces each constant with a parameter). The key is the normalised text itself, never a hash of it,
 * so two statements share an entry only when they differ in nothing but constants; and only statements whose facts
 * cannot depend on a constant are kept (see `constantBlind`).
 */
const recentClassifications = new Map<string, readonly StatementFacts[]>();
const RECENT_LIMIT = 2_000;
/** Longer texts are classified every time (they are rarely repeated, and would make the cache large). */
const RECENT_TEXT_LIMIT = 8 * 1024;
const CONSTANT_BLIND_COMMANDS: ReadonlySet<string> = new Set(['SELECT', 'INSERT', 'UPDATE', 'DELETE']);

/** Facts with a relation named by a string constant (`'t'::regclass`), which another constant would change. */
const namedByConstants = new WeakSet<StatementFacts>();

/**
 * Facts that no constant can change: plain data statements that call no function (a constant can name a setting,
 * as in `set_config('role', …)`), name no relation in a string, set nothing, run no code and copy nothing.
 */
function constantBlind(facts: StatementFacts): boolean {
  return (
    !namedByConstants.has(facts) &&
    CONSTANT_BLIND_COMMANDS.has(facts.command) &&
    CONSTANT_BLIND_COMMANDS.has(facts.kind.toUpperCase()) &&
    facts.functions.length === 0 &&
    (facts.settings ?? []).length === 0 &&
    facts.copy === undefined &&
    facts.opaqueCode !== true &&
    facts.securityDefiner !== true
  );
}

function normalisedText(sql: string): string | undefined {
  if (!loaded || sql.length > RECENT_TEXT_LIMIT) return undefined;
  try {
    return normalizeSync(sql);
  } catch {
    return undefined; // the full parse below reports the error
  }
}

/**
 * Whether a classified text holds a SQL `PREPARE` or `DEALLOCATE`: SQL and the protocol share one name space of
 * prepared statements, so after it the gate cannot know what a protocol name stands for (`StatementCheck`).
 */
export function redefinesPrepared(classified: SqlClassification): boolean {
  return (
    'statements' in classified &&
    classified.statements.some((f) => f.command === 'PREPARE' || f.command === 'DEALLOCATE')
  );
}

/** Classifies every statement of a query string; `error` when the parser rejects it. */
export function classifySql(sql: string): SqlClassification {
  const key = normalisedText(sql);
  const recent = key === undefined ? undefined : recentClassifications.get(key);
  if (recent !== undefined) return { statements: recent };
  const split = splitSql(sql);
  if ('error' in split) return split;
  const statements = split.statements.map(classifyStatement);
  if (key !== undefined && statements.length > 0 && statements.every(constantBlind)) {
    if (recentClassifications.size >= RECENT_LIMIT) {
      recentClassifications.delete(recentClassifications.keys().next().value as string);
    }
    recentClassifications.set(key, statements);
  }
  return { statements };
}

/** Classifies a query string keeping each statement's text beside its facts (for records and refusals). */
export function classifySqlStatements(
  sql: string,
):
  | { readonly statements: readonly { readonly text: string; readonly facts: StatementFacts }[] }
  | { readonly error: string } {
  const split = splitSql(sql);
  if ('error' in split) return split;
  return {
    statements: split.statements.map((statement) => ({ text: statement.text, facts: classifyStatement(statement) })),
  };
}

const WRITE_KIND: Record<string, StatementKind> = {
  InsertStmt: 'insert',
  MergeStmt: 'merge',
  UpdateStmt: 'update',
  DeleteStmt: 'delete',
};
const WRITE_RANK: readonly StatementKind[] = ['insert', 'merge', 'update', 'delete'];
const DATA_KINDS: ReadonlySet<StatementKind> = new Set(['select', 'insert', 'update', 'delete', 'merge']);

/** The facts of one parsed statement. */
export function classifyStatement(statement: SqlStatement): StatementFacts {
  const { kind: topKind, command, type, body } = statementKind(statement.node);
  const tree = collectTreeFacts(statement.node, emptyTreeFacts());
  const named = statementObjectNames(type, body);
  for (const parts of named.relations) addRelationName(tree, parts);
  for (const schema of named.schemas) tree.schemas.add(schema);
  const kind = effectiveKind(topKind, type, body, tree);
  const facts: StatementFacts = {
    kind,
    // A command naming the gateway's own names (sql-statement-kind.ts) stays so, to be refused.
    command: type === 'ExplainStmt' && isExplainAnalyze(body) && command === 'EXPLAIN' ? 'EXPLAIN ANALYZE' : command,
    readOnly: isReadOnly(kind, type, body, tree),
    tables: [...tree.tables],
    schemas: [...tree.schemas],
    functions: [...tree.functions],
    settings: [...tree.settings],
    securityDefiner: tree.securityDefiner,
    opaqueCode: tree.opaqueCode,
    ...(type === 'CopyStmt' ? { copy: copyFacts(body) } : {}),
    // A SQL routine's body runs its statements when called: each is classified as if sent (built-in refusals apply).
    ...(tree.routineStatements.length > 0
      ? { body: tree.routineStatements.map((node) => classifyStatement({ text: '', node })) }
      : {}),
    fingerprint: fingerprint(statement.text, statement.node),
    ...lookupsOf(tree),
  };
  if (tree.namesFromConstants) namedByConstants.add(facts);
  return facts;
}

/** The names the session's database may hold objects under (`StatementFacts.lookups`), as plain data; none: absent. */
function lookupsOf(tree: TreeFacts): { lookups?: StatementLookups } {
  const { calls, operators, casts, defines, definesCast } = tree.lookups;
  const empty =
    calls.size + operators.size + casts.size + defines.functions.size + defines.operators.size + defines.types.size ===
      0 && !definesCast;
  if (empty) return {};
  return {
    lookups: {
      calls: [...calls],
      operators: [...operators],
      casts: [...casts],
      defines: {
        functions: [...defines.functions],
        operators: [...defines.operators],
        types: [...defines.types],
        cast: definesCast,
      },
    },
  };
}

/**
 * The most consequential thing a statement does, so that a rule about a kind cannot be gone around by wrapping
 * it: a SELECT or INSERT with a data-changing CTE is that change (an upsert is an update, a MERGE is the strongest
 * of its actions), an EXPLAIN ANALYZE is what it runs, a PREPARE is what it prepares (its EXECUTE runs it later, by
 * name only), a COPY of a data-changing query (`COPY (DELETE … RETURNING *) TO STDOUT`) is that change, and so is a
 * CREATE TABLE AS or SELECT INTO whose query changes rows (it runs now, whatever table it then creates).
 */
function effectiveKind(
  topKind: StatementKind,
  type: string,
  body: Record<string, unknown>,
  tree: TreeFacts,
): StatementKind {
  if ((type === 'ExplainStmt' && isExplainAnalyze(body)) || type === 'PrepareStmt') {
    const inner = statementKind(body['query']);
    return kindOfRun(inner.kind, inner.type, tree);
  }
  if (type === 'CopyStmt') return strongestWriteOf(tree) ?? topKind;
  return type === 'DeclareCursorStmt' ? topKind : kindOfRun(topKind, type, tree);
}

/** The kind of a statement run now, given every change found in it. */
function kindOfRun(kind: StatementKind, type: string, tree: TreeFacts): StatementKind {
  if (DATA_KINDS.has(kind)) return strongestWrite(kind, tree);
  // CREATE TABLE AS and SELECT INTO (a SelectStmt with INTO is `ddl`) run their query as they create the table.
  if (type === 'CreateTableAsStmt' || type === 'SelectStmt') return strongestWriteOf(tree) ?? kind;
  return kind;
}

function strongestWriteOf(tree: TreeFacts): StatementKind | undefined {
  return tree.writes.size === 0 ? undefined : strongestWrite('insert', tree);
}

function strongestWrite(kind: StatementKind, tree: TreeFacts): StatementKind {
  let strongest = kind;
  for (const write of tree.writes) {
    const candidate = WRITE_KIND[write];
    if (candidate && WRITE_RANK.indexOf(candidate) > WRITE_RANK.indexOf(strongest)) strongest = candidate;
  }
  return strongest;
}

function isExplainAnalyze(body: Record<string, unknown>): boolean {
  const options = Array.isArray(body['options']) ? body['options'] : [];
  return options.some((option: unknown) => {
    const element = (option as { DefElem?: { defname?: unknown; arg?: unknown } }).DefElem;
    if (element?.defname !== 'analyze') return false;
    // `ANALYZE false` / `ANALYZE off` do not run the statement; any other spelling does (fail closed).
    const arg = element.arg as { String?: { sval?: string }; Boolean?: { boolval?: boolean } } | undefined;
    const value = arg?.String?.sval?.toLowerCase() ?? (arg?.Boolean ? String(arg.Boolean.boolval === true) : 'true');
    return !['false', 'off', '0', 'no'].includes(value);
  });
}

/** Provably changes nothing: no write anywhere, no row lock, no SELECT INTO, only built-in read-only functions. */
function isReadOnly(kind: StatementKind, type: string, body: Record<string, unknown>, tree: TreeFacts): boolean {
  const pure = tree.writes.size === 0 && !tree.locks && !tree.selectInto && tree.unknownFunctions.size === 0;
  const noSideEffects = pure && tree.settings.size === 0 && !tree.opaqueCode;
  switch (type) {
    case 'SelectStmt':
    case 'DeclareCursorStmt':
    case 'PrepareStmt':
      return kind !== 'ddl' && noSideEffects;
    case 'ExplainStmt':
      // Without ANALYZE nothing runs, except that the planner folds calls with constant arguments (and estimates
      // with them): a user's function in the plain EXPLAIN of anything is called, so only built-ins keep it read-only.
      return isExplainAnalyze(body)
        ? noSideEffects && kind === 'select'
        : tree.unknownFunctions.size === 0 && tree.settings.size === 0 && !tree.opaqueCode;
    case 'CopyStmt': {
      const copy = copyFacts(body);
      return copy.direction === 'to' && !copy.program && !copy.file && noSideEffects;
    }
    case 'VariableSetStmt':
      // Only a SET restating the gateway's own login settings has no setting (sql-tree-facts.ts).
      return tree.settings.size === 0 && noSideEffects;
    case 'VariableShowStmt':
    case 'FetchStmt':
    case 'ClosePortalStmt':
      return true;
    case 'TransactionStmt':
      // Finishing a prepared transaction commits or discards what it wrote.
      return !['TRANS_STMT_COMMIT_PREPARED', 'TRANS_STMT_ROLLBACK_PREPARED'].includes(String(body['kind']));
    default:
      return false;
  }
}

function copyFacts(body: Record<string, unknown>): NonNullable<StatementFacts['copy']> {
  const filename = body['filename'];
  const program = body['is_program'] === true;
  return {
    direction: body['is_from'] === true ? 'from' : 'to',
    program,
    // Without a file name it is STDIN/STDOUT: the data travels over the connection, through the gateway.
    file: !program && typeof filename === 'string',
  };
}

/** libpg-query's fingerprint; it answers some inputs (an empty text) with an error message instead of throwing. */
const FINGERPRINT = /^[0-9a-f]{16}$/;

/** The statement's fingerprint; a digest of its text when too long, of its tree when it has no text of its own. */
function fingerprint(text: string, node: unknown): string {
  if (text !== '' && text.length <= MAX_FINGERPRINT_PARSE) {
    try {
      const found = fingerprintSync(text);
      if (FINGERPRINT.test(found)) return found;
    } catch {
      // fall through to the digest
    }
  }
  return createHash('sha256')
    .update(text === '' ? JSON.stringify(node) : text)
    .digest('hex')
    .slice(0, 16);
}
