/**
 * `readOnly` trusts a built-in's name (sql-known-functions.ts), but PostgreSQL calls, among all functions of that
 * name on the search path, the one whose argument types fit best: with a user's `public.lower(varchar)`,
 * `lower(name)` on a `varchar` column (or `lower($1)` with a `varchar` parameter) calls it. The same for an
 * operator with a built-in symbol defined for the user's types (`=` for `varchar`), a cast to a domain whose CHECK
 * calls a user's function, and a user's cast, which may run wherever a value converts. So each session reads once,
 * from its own database, which names are taken (`SHADOW_QUERY`, run by mask-resolution.ts before the client's first
 * statement), and every statement's facts are checked against them after classification (classifications are shared
 * by all sessions, so the session's facts are applied to a copy): a statement that may reach such an object is not
 * read-only. What the session itself creates, renames or moves is added at once, whether or not the server then
 * takes it. Pure: no I/O.
 *
 * Trusted like the built-ins (not counted): functions in pg_catalog and information_schema, and an extension's C,
 * internal and SQL functions, as the column masks trust them (mask-dependents.ts). An extension's scripts come from
 * the server's own directory (a superuser, or a trusted extension's vetted script), `CREATE`/`ALTER EXTENSION` are
 * refused through the gateway, and without this citext (`strpos`, `replace`, `regexp_*` for citext) would make
 * those calls not read-only everywhere. An extension's PL/pgSQL (or other procedural) functions are counted. The
 * trust is in membership: the owner of an extension can add his own SQL function to it (`ALTER EXTENSION … ADD`)
 * from outside the gateway, which no catalog read tells from the extension's own.
 */
import type { StatementFacts } from '../../decide/gateway-statement.decide.js';

/** What the session's database holds that could stand behind a built-in's name. */
export interface ShadowCatalog {
  /** Lower-cased names of functions (aggregates too) not trusted like the built-ins that share a built-in's name. */
  readonly functions: ReadonlySet<string>;
  /** Symbols of operators outside pg_catalog whose function is not trusted. */
  readonly operators: ReadonlySet<string>;
  /**
   * Lower-cased names of the types a cast to which may run a user's code: domains whose CHECK calls an untrusted
   * function or operator, and what contains them (domains over them, arrays, row types of tables, ranges).
   */
  readonly types: ReadonlySet<string>;
  /**
   * Casts with an untrusted function: `explicit` (explicit or assignment casts: any written cast may be one, as
   * `mytype::text` names only the target) or `implicit` (any value may be converted by it unwritten: in a
   * condition, a call's argument, a UNION), so no statement that evaluates anything is read-only.
   */
  readonly casts: 'none' | 'explicit' | 'implicit';
  /** pg_cron's SQL schedulers found in schema `cron` (`schedule`, `schedule_in_database`, `alter_job`). */
  readonly cron: ReadonlySet<string>;
}

/** The catalog of a session whose database was never read: every name may be taken (fail closed). */
export const UNREAD_CATALOG: ShadowCatalog = {
  functions: new Set(),
  operators: new Set(),
  types: new Set(),
  casts: 'implicit',
  cron: new Set(['schedule', 'schedule_in_database', 'alter_job']),
};

/** pg_cron's functions that run SQL text later, as the user, outside the session (and after the grant ends). */
export const CRON_SCHEDULERS: readonly string[] = ['schedule', 'schedule_in_database', 'alter_job'];

const TRUSTED_SCHEMAS = "('pg_catalog'::pg_catalog.regnamespace, 'information_schema'::pg_catalog.regnamespace)";

/**
 * One query, rows `[kind, name]`. Every function is qualified (a search_path set for the role or database must not
 * put someone's own `lower` in front). Functions are walked once (the extension test uses pg_depend's depender
 * index); operators, domain constraints and casts are small tables. The closure over types follows only domains
 * found unsafe, so in a database without them it costs nothing.
 */
export const SHADOW_QUERY =
  'WITH RECURSIVE untrusted(oid, proname) AS (SELECT p.oid, p.proname FROM pg_catalog.pg_proc p ' +
  'JOIN pg_catalog.pg_language l ON l.oid = p.prolang ' +
  `WHERE p.pronamespace NOT IN ${TRUSTED_SCHEMAS} ` +
  "AND NOT (l.lanname IN ('c', 'internal', 'sql') AND EXISTS (SELECT FROM pg_catalog.pg_depend e " +
  "WHERE e.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND e.objid = p.oid AND e.objsubid = 0 " +
  "AND e.deptype = 'e'))), " +
  'untrusted_operator(oid, oprname) AS (SELECT o.oid, o.oprname FROM pg_catalog.pg_operator o ' +
  "WHERE o.oprnamespace <> 'pg_catalog'::pg_catalog.regnamespace " +
  'AND o.oprcode::pg_catalog.oid IN (SELECT oid FROM untrusted)), ' +
  'unsafe_type(oid) AS (SELECT c.contypid FROM pg_catalog.pg_constraint c JOIN pg_catalog.pg_depend d ' +
  "ON d.classid = 'pg_catalog.pg_constraint'::pg_catalog.regclass AND d.objid = c.oid " +
  "WHERE c.contypid <> 0 AND ((d.refclassid = 'pg_catalog.pg_proc'::pg_catalog.regclass " +
  'AND d.refobjid IN (SELECT oid FROM untrusted)) ' +
  "OR (d.refclassid = 'pg_catalog.pg_operator'::pg_catalog.regclass " +
  'AND d.refobjid IN (SELECT oid FROM untrusted_operator))) ' +
  'UNION SELECT child.oid FROM unsafe_type u CROSS JOIN LATERAL (' +
  'SELECT t.oid FROM pg_catalog.pg_type t WHERE t.typbasetype = u.oid OR t.typelem = u.oid ' +
  'UNION ALL SELECT r.reltype FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class r ON r.oid = a.attrelid ' +
  'WHERE a.atttypid = u.oid AND a.attnum > 0 AND NOT a.attisdropped ' +
  'UNION ALL SELECT g.rngtypid FROM pg_catalog.pg_range g WHERE g.rngsubtype = u.oid) child) ' +
  "SELECT 'function', proname FROM untrusted WHERE proname IN (SELECT proname FROM pg_catalog.pg_proc " +
  "WHERE pronamespace = 'pg_catalog'::pg_catalog.regnamespace) " +
  "UNION SELECT 'operator', oprname FROM untrusted_operator " +
  "UNION SELECT 'type', t.typname FROM unsafe_type u JOIN pg_catalog.pg_type t ON t.oid = u.oid " +
  "UNION SELECT 'cast', ca.castcontext::text FROM pg_catalog.pg_cast ca WHERE ca.castfunc IN (SELECT oid FROM untrusted) " +
  "UNION SELECT 'cron', p.proname FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace " +
  `WHERE n.nspname = 'cron' AND p.proname IN (${CRON_SCHEDULERS.map((name) => `'${name}'`).join(', ')})`;

/** The catalog from `SHADOW_QUERY`'s rows; a row of a kind it does not know makes every cast suspect. */
export function readShadows(rows: readonly (readonly string[])[]): ShadowCatalog {
  const functions = new Set<string>();
  const operators = new Set<string>();
  const types = new Set<string>();
  const cron = new Set<string>();
  let casts: ShadowCatalog['casts'] = 'none';
  for (const [kind = '', name = ''] of rows) {
    if (kind === 'function') functions.add(name.toLowerCase());
    else if (kind === 'operator') operators.add(name);
    else if (kind === 'type') types.add(name.toLowerCase());
    else if (kind === 'cron') cron.add(name);
    else if (kind === 'cast' && (name === 'e' || name === 'a')) casts = casts === 'implicit' ? casts : 'explicit';
    else casts = 'implicit';
  }
  return { functions, operators, types, casts, cron };
}

interface Taken {
  readonly functions: Set<string>;
  readonly operators: Set<string>;
  readonly types: Set<string>;
  casts: ShadowCatalog['casts'];
}

/**
 * A session's view of its database: what the catalog held when the session started, and what the session's own
 * statements created since. Mutable; one per session.
 */
export class SessionShadows {
  readonly #taken: Taken;
  readonly #cron: ReadonlySet<string>;

  constructor(catalog: ShadowCatalog) {
    this.#taken = {
      functions: new Set(catalog.functions),
      operators: new Set(catalog.operators),
      types: new Set(catalog.types),
      casts: catalog.casts,
    };
    this.#cron = catalog.cron;
  }

  /**
   * Each statement's facts as this session's database makes them, in order: what a statement defines counts for
   * the statements after it in the same message (`CREATE FUNCTION lower(varchar) …; SELECT lower(…)`), but for
   * the session only once `learn` is told the message is forwarded.
   */
  apply(statements: readonly StatementFacts[]): StatementFacts[] {
    const defining = statements.some((facts) => defines(facts));
    const taken = defining ? copyOf(this.#taken) : this.#taken;
    return statements.map((facts) => {
      const applied = this.#applied(facts, taken);
      if (defining) learnInto(taken, facts);
      return applied;
    });
  }

  /**
   * What a forwarded message's statements (and SQL routines' bodies in them) create, rename or move: taken from
   * now on, before the server has run them and whether or not it then succeeds (fail closed).
   */
  learn(statements: readonly StatementFacts[]): void {
    for (const facts of statements) learnInto(this.#taken, facts);
  }

  /** The facts with `readOnly` false if the statement may reach an object under a built-in's name; else as given. */
  #applied(facts: StatementFacts, taken: Taken): StatementFacts {
    const body = facts.body?.map((inner) => this.#applied(inner, taken));
    const scheduled = (facts.lookups?.calls ?? []).filter((name) => this.#cron.has(name)).map((n) => `cron.${n}`);
    const shadowed = facts.readOnly && reaches(facts, taken);
    if (!shadowed && scheduled.length === 0 && (body ?? []).every((inner, i) => inner === facts.body?.[i])) {
      return facts;
    }
    return {
      ...facts,
      ...(shadowed ? { readOnly: false } : {}),
      // An unqualified scheduler with pg_cron installed is pg_cron's (fail closed): refused as written qualified.
      ...(scheduled.length > 0 ? { functions: [...facts.functions, ...scheduled] } : {}),
      ...(body ? { body } : {}),
    };
  }
}

function reaches(facts: StatementFacts, taken: Taken): boolean {
  const lookups = facts.lookups;
  // An implicit cast of the user's runs unwritten wherever a value converts: only statements that evaluate
  // nothing (transaction control, SHOW, the login settings restated) stay read-only.
  if (taken.casts === 'implicit') return lookups !== undefined || !['transaction', 'session'].includes(facts.kind);
  if (lookups === undefined) return false;
  if (taken.casts === 'explicit' && lookups.casts.length > 0) return true;
  return (
    lookups.calls.some((name) => taken.functions.has(name.toLowerCase())) ||
    lookups.operators.some((symbol) => taken.operators.has(symbol)) ||
    lookups.casts.some((name) => taken.types.has(name.toLowerCase()))
  );
}

function defines(facts: StatementFacts): boolean {
  const defined = facts.lookups?.defines;
  const own =
    defined !== undefined &&
    (defined.cast || defined.functions.length + defined.operators.length + defined.types.length > 0);
  return own || (facts.body ?? []).some(defines);
}

function copyOf(taken: Taken): Taken {
  return {
    functions: new Set(taken.functions),
    operators: new Set(taken.operators),
    types: new Set(taken.types),
    casts: taken.casts,
  };
}

function learnInto(taken: Taken, facts: StatementFacts): void {
  const defined = facts.lookups?.defines;
  if (defined !== undefined) {
    for (const name of defined.functions) taken.functions.add(name.toLowerCase());
    for (const symbol of defined.operators) taken.operators.add(symbol);
    for (const name of defined.types) taken.types.add(name.toLowerCase());
    if (defined.cast) taken.casts = 'implicit';
  }
  for (const inner of facts.body ?? []) learnInto(taken, inner);
}
