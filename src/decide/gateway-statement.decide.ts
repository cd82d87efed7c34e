/**
 * May this SQL statement go through the gateway? (issue 14; docs/gateway.md "Statement rules".) Pure: the facts
 * come from the classifier (`gateway/postgres/sql-classify.ts`, the real PostgreSQL parser), the rules from the
 * action's `gateway` block, the time from the caller.
 *
 * Order: the built-in denials first (no rule can allow them: they would take the session out of what the gateway
 * can see or enforce — another role, server files and programs, opaque code, the gateway's own settings), then
 * the rules in order (first match wins), then the block's default. A rule that cannot be evaluated refuses.
 */
import { evaluationErrorMessage } from '../policy/cel.js';
import { buildGatewayCelVariables, type GatewayCelContext } from '../policy/gateway-cel.js';
import type { GatewayPolicy } from '../policy/model.js';

export const STATEMENT_KINDS = [
  'select',
  'insert',
  'update',
  'delete',
  'merge',
  'ddl',
  'privilege',
  'role',
  'session',
  'copy',
  'call',
  'transaction',
  'prepare',
  'utility',
  'unknown',
] as const;
export type StatementKind = (typeof STATEMENT_KINDS)[number];

export interface StatementFacts {
  /** The most consequential thing the statement does (`with d as (delete …) select …` is a `delete`). */
  readonly kind: StatementKind;
  /** 'SELECT', 'CREATE TABLE', 'SET ROLE', … */
  readonly command: string;
  /** Conservative: true only when the statement provably changes nothing (no writes, locks, unknown functions). */
  readonly readOnly: boolean;
  /**
   * Relations named (in FROM, as a target, in a string read as a relation name, by DROP or COMMENT ON), as PostgreSQL
   * reads the name: as written, and also by the bare name when written qualified ('public.t' gives 'public.t', 't').
   */
  readonly tables: readonly string[];
  /**
   * Schemas named explicitly (a qualified name, or a statement about the schema: `GRANT … IN SCHEMA`, `ALTER SCHEMA`),
   * and `pg_catalog` for an unqualified `pg_*` relation (the catalog is searched first).
   */
  readonly schemas: readonly string[];
  /** Functions called: the bare name, and the qualified name too when written qualified. */
  readonly functions: readonly string[];
  /**
   * Run-time parameters the statement sets or resets, in any form (`SET`, `RESET`, `set_config(…)`, a function's
   * `SET` clause, `ALTER … SET`); `*` for all of them (`RESET ALL`, `DISCARD ALL`) or a name computed at run time.
   */
  readonly settings?: readonly string[];
  /** `SECURITY DEFINER` in a CREATE or ALTER FUNCTION/PROCEDURE. */
  readonly securityDefiner?: boolean;
  /** Code the gateway cannot see into (a DO block, a function body in a language other than SQL). */
  readonly opaqueCode?: boolean;
  readonly copy?: { readonly direction: 'from' | 'to'; readonly program: boolean; readonly file: boolean };
  /**
   * The statements of a SQL function's or procedure's body given as a string (`AS $$ … $$`), each classified as if
   * sent on its own: the body runs them whenever the routine is called, so the built-in refusals apply to them.
   */
  readonly body?: readonly StatementFacts[];
  /** Stable digest of the normalised statement (constants removed): the same query shape, the same value. */
  readonly fingerprint: string;
  /**
   * Not in CEL nor in records: the names PostgreSQL looks up among the session database's own objects as well as
   * the built-ins (unqualified calls, operator symbols, cast target types), and what the statement creates, renames
   * or moves. A session makes `readOnly` false where its database holds a function, operator, domain or cast that
   * could stand behind them (shadowed-builtins.ts). The same for every session, so cached with the facts.
   */
  readonly lookups?: StatementLookups;
}

export interface StatementLookups {
  readonly calls: readonly string[];
  readonly operators: readonly string[];
  readonly casts: readonly string[];
  readonly defines: {
    readonly functions: readonly string[];
    readonly operators: readonly string[];
    readonly types: readonly string[];
    readonly cast: boolean;
  };
}

export interface StatementDecision {
  readonly allowed: boolean;
  /** The rule that decided (a built-in rule's name when `builtIn`); unset when the default decided. */
  readonly rule?: string;
  readonly builtIn: boolean;
  /** Why, in the words the client is told; empty when allowed. */
  readonly message: string;
}

export type StatementContext = GatewayCelContext;

/** Parameters that would take the session out of the role the grant gave: never changeable through the gateway. */
const ROLE_SETTINGS: ReadonlySet<string> = new Set(['role', 'session_authorization']);
/** Parameters the gateway sets itself from the profile, when the profile sets them. */
const TIMEOUT_SETTINGS: ReadonlySet<string> = new Set(['statement_timeout', 'transaction_timeout']);
/**
 * Parameters that change how the server reads a statement's text, which the gateway checks and forwards as sent:
 * read in another encoding (SJIS, BIG5, GBK…, where a multibyte character can swallow a backslash) or with
 * backslashes as escapes in plain strings, the same bytes are other statements than the ones checked and recorded
 * (`select '\'' ; delete …` is one string to the gateway and a DELETE to a server with
 * `standard_conforming_strings` off). Ending the session when the server reports the switch comes too late for
 * messages already pipelined behind it, so the switch itself is refused.
 */
const LEXER_SETTINGS: ReadonlySet<string> = new Set(['client_encoding', 'standard_conforming_strings']);

/**
 * `pg_settings` is updatable: its rule turns an UPDATE of a row into `set_config` of that row's name, chosen at
 * run time. A statement that may write (or define something that writes) and names it sets parameters unseen.
 */
function mayWriteSettingsView(facts: StatementFacts): boolean {
  return !facts.readOnly && facts.tables.some((name) => name === 'pg_settings' || name.endsWith('.pg_settings'));
}

/**
 * Functions that reach outside the database session: server files, other servers, running SQL text the gateway
 * never sees, or the server's configuration. Matched by bare name, however qualified or quoted.
 */
const OUTSIDE_FUNCTIONS: ReadonlyMap<string, string> = new Map([
  ...['pg_read_file', 'pg_read_binary_file', 'pg_stat_file', 'pg_ls_dir', 'pg_file_write', 'pg_file_rename']
    .concat(['pg_file_unlink', 'pg_file_sync', 'pg_logdir_ls', 'lo_import', 'lo_export'])
    .map((name): [string, string] => [name, 'reads or writes files on the database server']),
  ...['pg_ls_logdir', 'pg_ls_waldir', 'pg_ls_tmpdir', 'pg_ls_archive_statusdir', 'pg_ls_logicalsnapdir']
    .concat(['pg_ls_logicalmapdir', 'pg_ls_replslotdir', 'pg_current_logfile'])
    .map((name): [string, string] => [name, 'lists files on the database server']),
  ...['query_to_xml', 'query_to_xmlschema', 'query_to_xml_and_xmlschema'].map((name): [string, string] => [
    name,
    'runs SQL text the gateway cannot check',
  ]),
  ...['table_to_xml', 'table_to_xmlschema', 'table_to_xml_and_xmlschema'].map((name): [string, string] => [
    name,
    'reads the table a string names, which the gateway cannot check',
  ]),
  ...['schema_to_xml', 'schema_to_xmlschema', 'schema_to_xml_and_xmlschema', 'database_to_xml']
    .concat(['database_to_xmlschema', 'database_to_xml_and_xmlschema'])
    .map((name): [string, string] => [name, 'reads every table of a schema or database']),
  ...['pg_reload_conf', 'pg_rotate_logfile', 'pg_promote', 'pg_switch_wal', 'pg_create_restore_point'].map(
    (name): [string, string] => [name, "changes the database server's state"],
  ),
]);

/**
 * pg_cron's functions that store SQL text for the server to run later, as the user, outside the session (unchecked,
 * unrecorded, and possibly after the grant ended). Written qualified (`cron.schedule`) they are refused everywhere;
 * an unqualified `schedule(…)` is a common name in applications, so it is refused only in a session whose database
 * has these functions in schema `cron` (the session's catalog read adds the qualified name: shadowed-builtins.ts).
 */
const SCHEDULED_SQL: ReadonlySet<string> = new Set(
  ['schedule', 'schedule_in_database', 'alter_job'].map((name) => `cron.${name}`),
);

/**
 * Functions that run a query given as text, which the gateway never sees parsed: full-text statistics and rewriting
 * (`ts_rewrite` in its two-argument form only, which the classifier tells apart) and the query runners of the
 * `tablefunc` extension. By bare name, so that a function of that name in any schema counts. The classifier marks a
 * statement calling one as opaque code.
 */
export function isQueryTextFunction(name: string): boolean {
  return ['ts_stat', 'ts_rewrite', 'connectby'].includes(name) || /^crosstab\d*$/.test(name);
}

/** The commands that are refused whatever the rules say, with why. */
const REFUSED_COMMANDS: ReadonlyMap<string, { rule: string; why: string }> = new Map([
  ['ALTER SYSTEM', { rule: 'alter-system', why: "ALTER SYSTEM changes the server's configuration" }],
  ['LOAD', { rule: 'load', why: 'LOAD loads a shared library into the server' }],
  ['CREATE EXTENSION', { rule: 'extension', why: 'extensions add code to the database' }],
  ['ALTER EXTENSION', { rule: 'extension', why: 'extensions add code to the database' }],
  ['CREATE LANGUAGE', { rule: 'extension', why: 'procedural languages add code to the database' }],
  ['CREATE FOREIGN DATA WRAPPER', { rule: 'foreign-server', why: 'it reaches other servers' }],
  ['ALTER FOREIGN DATA WRAPPER', { rule: 'foreign-server', why: 'it reaches other servers' }],
  ['CREATE SERVER', { rule: 'foreign-server', why: 'it reaches other servers' }],
  ['ALTER SERVER', { rule: 'foreign-server', why: 'it reaches other servers' }],
  ['CREATE USER MAPPING', { rule: 'foreign-server', why: 'it stores credentials for other servers' }],
  ['ALTER USER MAPPING', { rule: 'foreign-server', why: 'it stores credentials for other servers' }],
  ['IMPORT FOREIGN SCHEMA', { rule: 'foreign-server', why: 'it reaches other servers' }],
  ['CREATE SUBSCRIPTION', { rule: 'foreign-server', why: 'it connects to other servers' }],
  // sql-statement-kind.ts: a cursor named like the portal the gateway fails a refused batch in.
  [
    'CURSOR OF THE GATEWAY',
    { rule: 'gateway-names', why: "cursor names beginning 'countersign.' are the gateway's own" },
  ],
  ['ALTER SUBSCRIPTION', { rule: 'foreign-server', why: 'it connects to other servers' }],
  [
    'PREPARE TRANSACTION',
    {
      rule: 'two-phase',
      why: 'a prepared transaction outlives the session and the grant: its locks stay, and only its role can end it',
    },
  ],
]);

interface BuiltInDenial {
  readonly rule: string;
  readonly why: string;
}

/** The built-in denial that applies to `facts`, if any. Exported for `policy explain` and the tests. */
export function builtInDenial(policy: GatewayPolicy, facts: StatementFacts): BuiltInDenial | undefined {
  const { kind, command } = facts;
  if (kind === 'unknown') {
    return { rule: 'unknown-statement', why: `the gateway does not know what ${command || 'this statement'} does` };
  }
  if (kind === 'role') return { rule: 'role-change', why: `${command} changes roles or role membership` };
  const settings = facts.settings ?? [];
  const roleSetting = settings.find((name) => ROLE_SETTINGS.has(name));
  if (roleSetting !== undefined) return { rule: 'role-change', why: `${command} changes '${roleSetting}'` };
  if (settings.includes('*')) {
    return { rule: 'gateway-settings', why: `${command} resets or sets parameters the gateway cannot see` };
  }
  const lexerSetting = settings.find((name) => LEXER_SETTINGS.has(name));
  if (lexerSetting !== undefined) {
    return {
      rule: 'gateway-settings',
      why: `'${lexerSetting}' changes how the server reads the statements the gateway checks`,
    };
  }
  if (mayWriteSettingsView(facts)) {
    return { rule: 'gateway-settings', why: `${command} of pg_settings sets parameters the gateway cannot see` };
  }
  if (policy.statementTimeoutSeconds !== undefined) {
    const timeout = settings.find((name) => TIMEOUT_SETTINGS.has(name));
    if (timeout !== undefined) {
      return { rule: 'gateway-settings', why: `'${timeout}' is set by the gateway from the profile` };
    }
  }
  const refused = REFUSED_COMMANDS.get(command);
  if (refused) return refused;
  if (facts.copy?.program) return { rule: 'copy-program', why: 'COPY … PROGRAM runs a program on the server' };
  if (facts.copy?.file) return { rule: 'copy-file', why: 'COPY with a file name reads or writes server files' };
  if (facts.opaqueCode) {
    const runner = facts.functions.find(isQueryTextFunction);
    const why = runner === undefined ? `${command} runs code` : `function '${runner}' runs SQL given as text, which`;
    return { rule: 'opaque-code', why: `${why} the gateway cannot check` };
  }
  if (facts.securityDefiner) {
    return { rule: 'security-definer', why: 'a SECURITY DEFINER routine runs with its owner’s privileges' };
  }
  const scheduler = facts.functions.find((name) => SCHEDULED_SQL.has(name.split('.').slice(-2).join('.')));
  if (scheduler !== undefined) {
    return {
      rule: 'outside-function',
      why: `${scheduler}() stores SQL for the server to run later, outside the session and unchecked (pg_cron)`,
    };
  }
  for (const name of facts.functions) {
    const why = OUTSIDE_FUNCTIONS.get(name) ?? (name.startsWith('dblink') ? 'it reaches other servers' : undefined);
    if (why !== undefined) return { rule: 'outside-function', why: `${name}() ${why}` };
  }
  for (const inner of facts.body ?? []) {
    const denial = builtInDenial(policy, inner);
    if (denial) return { rule: denial.rule, why: `the body of ${command} runs what is refused alone: ${denial.why}` };
  }
  return undefined;
}

/**
 * Decides one statement. Invariant: a statement with a built-in denial (a role change, ALTER SYSTEM, COPY to or
 * from a program or server file, LOAD, opaque code, an unknown statement, …) is refused whatever the rules say,
 * and a rule that cannot be evaluated refuses rather than being skipped.
 */
export function decideStatement(
  policy: GatewayPolicy,
  facts: StatementFacts,
  context: StatementContext,
): StatementDecision {
  const denial = builtInDenial(policy, facts);
  if (denial) {
    return {
      allowed: false,
      rule: denial.rule,
      builtIn: true,
      message: `refused by the gateway's built-in rule '${denial.rule}': ${denial.why}; this is never allowed through the gateway`,
    };
  }
  let variables: ReturnType<typeof buildGatewayCelVariables> | undefined;
  for (const rule of policy.rules) {
    if (rule.when) {
      variables ??= buildGatewayCelVariables(facts, context);
      let matched: unknown;
      try {
        matched = rule.when.evaluate(variables);
      } catch (error) {
        return refusedBy(rule.name, `rule '${rule.name}' could not be evaluated (${evaluationErrorMessage(error)})`);
      }
      if (matched !== true) continue;
    }
    if (rule.allow === true) return { allowed: true, rule: rule.name, builtIn: false, message: '' };
    return refusedBy(rule.name, `refused by gateway rule '${rule.name}': ${rule.deny ?? 'denied'}`);
  }
  if (policy.otherwise === 'allow') return { allowed: true, builtIn: false, message: '' };
  return {
    allowed: false,
    builtIn: false,
    message: `refused: no gateway rule allows this ${facts.command || 'statement'} (the default is deny)`,
  };
}

function refusedBy(rule: string, message: string): StatementDecision {
  return { allowed: false, rule, builtIn: false, message };
}

/**
 * Decides what one message holds: every statement is decided, and one refusal refuses the whole message (nothing
 * of it is forwarded); the refusal told is the first built-in one, else the first. A parse error refuses (the real parser could not read it, so nothing can be
 * said about it); an empty message (only comments or semicolons) is allowed, as PostgreSQL answers it empty.
 */
export function decideStatements(
  policy: GatewayPolicy,
  classified: { readonly statements: readonly StatementFacts[] } | { readonly error: string },
  context: StatementContext,
): StatementDecision {
  if ('error' in classified) {
    return {
      allowed: false,
      rule: 'unparsable',
      builtIn: true,
      message: `refused by the gateway's built-in rule 'unparsable': the statement could not be parsed (${classified.error})`,
    };
  }
  const rules = new Set<string>();
  let refusal: { decision: StatementDecision; index: number } | undefined;
  for (const [index, facts] of classified.statements.entries()) {
    const decision = decideStatement(policy, facts, context);
    if (decision.allowed) {
      if (decision.rule !== undefined) rules.add(decision.rule);
      continue;
    }
    // The refusal told is the first built-in one if any (it is never approvable), else the first refusal.
    if (!refusal || (decision.builtIn && !refusal.decision.builtIn)) refusal = { decision, index };
  }
  if (refusal) {
    const count = classified.statements.length;
    if (count === 1) return refusal.decision;
    return { ...refusal.decision, message: `statement ${refusal.index + 1} of ${count}: ${refusal.decision.message}` };
  }
  return { allowed: true, ...(rules.size > 0 ? { rule: [...rules].join(',') } : {}), builtIn: false, message: '' };
}

/** The client's error message for a recorded refusal: the decision's reason and how to ask for approval. */
export function refusalMessage(decision: StatementDecision, refusalId: string | undefined): string {
  if (refusalId === undefined) return decision.message;
  return `${decision.message}. To ask for approval: countersign request create --from-refusal ${refusalId}`;
}
