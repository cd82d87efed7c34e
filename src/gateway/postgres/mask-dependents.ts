/**
 * What a session's masks reach beyond the masked tables' own columns: the views, materialized views and functions
 * the database's owner built over them, which a statement names without showing what they compute (`select
 * contact from people_v`, where the view is `select email as contact from people`). The catalog records what each
 * depends on (`pg_depend`: a view's rule on the columns it reads, a SQL-standard function's body on the columns
 * and tables it reads, a function on its argument and result types, an operator on its function), so the
 * gateway follows those records from the masked tables, chains included (a view over a view over the table), when
 * the session starts (`dependentsQuery`, run by mask-resolution.ts) and decides, fail-closed (`decideDependents`):
 *
 * - a view or materialized view over a masked relation whose definition (`pg_get_viewdef`) only passes masked
 *   columns through as they are, as plain columns of its select list, has those columns masked alike (a
 *   materialized view holds a copy of the data, masked like the original); one whose definition computes from a
 *   masked column, compares, sorts or groups by it, or takes a whole row (`row_to_json(p)`) is refused;
 * - a function or operator that depends on a masked relation at all, or on the row type of one (the catalog does
 *   not tell which columns a whole row reaches), is refused; so is anything that depends on something refused;
 * - a function whose body the catalog cannot follow into (PL/pgSQL and other procedural languages, a `LANGUAGE
 *   sql` body kept as a string, C code no extension installed) is refused whatever it reads, and the walk starts
 *   from these too, so what is built on one (a view, an operator, an aggregate, a cast) is refused as well; a
 *   cast by the names of its target type, which is how a statement asks for it;
 * - what depends only on relations with no masked column stays as it is.
 *
 * A refused object is refused by name in every statement (sql-mask-check.ts). Pure: no I/O.
 */
import type { ColumnMask, ColumnMaskKind } from '../../policy/model.js';
import type { MaskCatalog } from '../backend.js';
import { strongerMask } from './column-masks.js';
import { viewColumnMasks } from './sql-mask-check.js';

/**
 * An object the catalog query found: a relation, function, type, operator or cast that depends on a masked table
 * or on a function whose body the gateway cannot see through, or such a function itself. A cast is named by its
 * target type (`schema`, `name`).
 */
export interface CatalogNode {
  readonly kind: 'relation' | 'function' | 'type' | 'operator' | 'cast';
  readonly oid: string;
  readonly schema: string;
  readonly name: string;
  /** `pg_class.relkind` of a relation, `pg_proc.prokind` of a function, `pg_cast.castcontext` of a cast. */
  readonly subkind: string;
  /** A function whose body the gateway cannot see through: its language (`plpgsql`, `sql` with a string body…). */
  readonly opaque?: string;
  /** A cast's target type's other names: its domains and the array types (`_name`). */
  readonly aliases?: readonly string[];
  /** The SELECT of a view or materialized view. */
  readonly definition?: string;
  /** A view's columns, `[attnum, name]` in order. */
  readonly columns: readonly (readonly [number, string])[];
  /** The found objects it depends on, as `kind:oid`. */
  readonly dependsOn: readonly string[];
}

export interface Dependents {
  /** `relid:attnum` → mask: the view columns that are a masked column as it is. */
  readonly columns: ReadonlyMap<string, ColumnMaskKind>;
  readonly catalog: MaskCatalog;
}

const CLASSES =
  "(VALUES ('pg_catalog.pg_class'::pg_catalog.regclass, 'relation'), ('pg_catalog.pg_proc'::pg_catalog.regclass, 'function'), " +
  "('pg_catalog.pg_type'::pg_catalog.regclass, 'type'), ('pg_catalog.pg_operator'::pg_catalog.regclass, 'operator'), " +
  "('pg_catalog.pg_cast'::pg_catalog.regclass, 'cast'))";

/**
 * The functions whose bodies the gateway cannot see through, with their language: outside pg_catalog and
 * information_schema, a procedural language (plpgsql, plpython…, in an extension or not), a `LANGUAGE sql` body
 * kept as a string (`prosrc` holds it; a SQL-standard body, `BEGIN ATOMIC` or `RETURN`, leaves it empty, on every
 * version, and an empty string body reads nothing), and `c` or `internal` code that no extension installed
 * (it can run any SQL, `internal` can be `query_to_xml` under another name). An extension's C, internal and SQL
 * functions are left as the built-ins are. Trigger functions cannot be called by name, and an aggregate is its
 * support functions' (followed through pg_depend). One pass over pg_proc, the depender index for extensions.
 */
const OPAQUE =
  'opaque(oid, language) AS (SELECT p.oid, l.lanname FROM pg_catalog.pg_proc p ' +
  'JOIN pg_catalog.pg_namespace pn ON pn.oid = p.pronamespace JOIN pg_catalog.pg_language l ON l.oid = p.prolang ' +
  "WHERE pn.nspname NOT IN ('pg_catalog', 'information_schema') AND p.prokind <> 'a' " +
  "AND p.prorettype NOT IN ('pg_catalog.trigger'::pg_catalog.regtype, 'pg_catalog.event_trigger'::pg_catalog.regtype) " +
  "AND CASE WHEN l.lanname NOT IN ('sql', 'c', 'internal') THEN true " +
  "WHEN EXISTS (SELECT FROM pg_catalog.pg_depend e WHERE e.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass " +
  "AND e.objid = p.oid AND e.objsubid = 0 AND e.deptype = 'e') THEN false " +
  "WHEN l.lanname = 'sql' THEN p.prosrc <> '' ELSE true END)";

/**
 * Every name a statement can cast to a found cast's target type by (a cast to a domain is a cast to its base
 * type): the type's own, its domains' (recursively), and their array types' (`x::_t` is an array coercion).
 */
const CAST_NAMES =
  'cast_target(castid, oid) AS (SELECT ca.oid, ca.casttarget FROM pg_catalog.pg_cast ca ' +
  "JOIN link ON link.kind = 'cast' AND link.objid = ca.oid " +
  'UNION SELECT cast_target.castid, d.oid FROM cast_target JOIN pg_catalog.pg_type d ON d.typbasetype = cast_target.oid), ' +
  'cast_names(castid, names) AS (SELECT castid, pg_catalog.json_agg(DISTINCT named.typname)::text FROM cast_target ' +
  'JOIN pg_catalog.pg_type tt ON tt.oid = cast_target.oid CROSS JOIN LATERAL (VALUES (tt.oid), (tt.typarray)) v(oid) ' +
  'JOIN pg_catalog.pg_type named ON named.oid = v.oid GROUP BY castid)';

/**
 * The objects that depend, directly or through others, on the relations `seeds` (OIDs of the relations with a
 * masked column) and on the functions whose bodies the gateway cannot see through (`OPAQUE`), each with what it
 * depends on among them. Walked from those through the index of `pg_depend` on what is depended on, so its cost
 * follows what depends on them and the number of functions outside pg_catalog, not the size of the catalog. A
 * rule counts as its relation (a view's `_RETURN`); a relation's own rules on itself are not dependencies, nor
 * are a relation's dependencies as a relation (its columns' types, its indexes and sequences). A cast is named
 * by its target type, with the type's other names.
 */
export function dependentsQuery(seeds: readonly string[]): string {
  const oids = seeds.filter((oid) => /^\d+$/.test(oid)).join(',');
  return (
    `WITH RECURSIVE class(classid, kind) AS ${CLASSES}, ${OPAQUE}, ` +
    'link(kind, objid, refkind, refobjid) AS (' +
    `SELECT 'relation', s, '', 0::pg_catalog.oid FROM pg_catalog.unnest('{${oids}}'::pg_catalog.oid[]) s ` +
    "UNION SELECT 'function', oid, '', 0::pg_catalog.oid FROM opaque " +
    'UNION SELECT k.kind, coalesce(r.ev_class, d.objid), l.kind, l.objid FROM link l ' +
    'JOIN class lk ON lk.kind = l.kind ' +
    'JOIN pg_catalog.pg_depend d ON d.refclassid = lk.classid AND d.refobjid = l.objid ' +
    'LEFT JOIN pg_catalog.pg_rewrite r ' +
    "ON d.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass AND r.oid = d.objid " +
    'JOIN class k ON k.classid = ' +
    "CASE WHEN r.oid IS NULL THEN d.classid ELSE 'pg_catalog.pg_class'::pg_catalog.regclass END " +
    "WHERE d.classid <> 'pg_catalog.pg_class'::pg_catalog.regclass), " +
    "node(kind, objid, deps, calls_opaque) AS (SELECT kind, objid, pg_catalog.string_agg(DISTINCT refkind || ':' || refobjid::text, ' ') " +
    "FILTER (WHERE refkind <> '' AND (refkind, refobjid) <> (kind, objid)), " +
    "pg_catalog.bool_or(refkind = 'function' AND refobjid IN (SELECT oid FROM opaque)) FROM link GROUP BY kind, objid), " +
    `${CAST_NAMES} ` +
    'SELECT n.kind, n.objid::text, coalesce(cn.nspname, pn.nspname, tn.nspname, opn.nspname, can.nspname), ' +
    "coalesce(c.relname, p.proname, t.typname, o.oprname, cat.typname), coalesce(c.relkind::text, p.prokind::text, ca.castcontext::text, ''), " +
    // A view that calls a function refused as it is is refused whatever it does: its definition is not read.
    "CASE WHEN c.relkind IN ('v', 'm') AND NOT n.calls_opaque THEN pg_catalog.pg_get_viewdef(c.oid) END, " +
    "CASE WHEN c.relkind IN ('v', 'm') AND NOT n.calls_opaque THEN (SELECT pg_catalog.json_agg(" +
    'pg_catalog.json_build_array(a.attnum, a.attname) ORDER BY a.attnum) FROM pg_catalog.pg_attribute a ' +
    'WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped)::text END, n.deps, ' +
    'op.language, cnames.names ' +
    "FROM node n LEFT JOIN pg_catalog.pg_class c ON n.kind = 'relation' AND c.oid = n.objid " +
    'LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = c.relnamespace ' +
    "LEFT JOIN pg_catalog.pg_proc p ON n.kind = 'function' AND p.oid = n.objid " +
    'LEFT JOIN pg_catalog.pg_namespace pn ON pn.oid = p.pronamespace ' +
    "LEFT JOIN opaque op ON n.kind = 'function' AND op.oid = n.objid " +
    "LEFT JOIN pg_catalog.pg_type t ON n.kind = 'type' AND t.oid = n.objid " +
    'LEFT JOIN pg_catalog.pg_namespace tn ON tn.oid = t.typnamespace ' +
    "LEFT JOIN pg_catalog.pg_operator o ON n.kind = 'operator' AND o.oid = n.objid " +
    'LEFT JOIN pg_catalog.pg_namespace opn ON opn.oid = o.oprnamespace ' +
    "LEFT JOIN pg_catalog.pg_cast ca ON n.kind = 'cast' AND ca.oid = n.objid " +
    'LEFT JOIN pg_catalog.pg_type cat ON cat.oid = ca.casttarget ' +
    'LEFT JOIN pg_catalog.pg_namespace can ON can.oid = cat.typnamespace ' +
    'LEFT JOIN cast_names cnames ON cnames.castid = ca.oid'
  );
}

const KINDS: ReadonlySet<string> = new Set(['relation', 'function', 'type', 'operator', 'cast']);

/** The query's rows `[kind, oid, schema, name, subkind, definition, columns, dependsOn, opaque, aliases]` as nodes. */
export function readDependents(rows: readonly (readonly string[])[]): CatalogNode[] {
  return rows.map((row) => {
    const [kind = '', oid = '', schema = '', name = '', subkind = '', definition = '', columns, deps] = row;
    const [opaque = '', aliases = ''] = row.slice(8);
    if (!KINDS.has(kind)) throw new Error(`the catalog named an object of unknown kind '${kind}'`);
    return {
      kind: kind as CatalogNode['kind'],
      oid,
      schema,
      name,
      subkind,
      ...(definition !== '' ? { definition } : {}),
      columns: columns ? (JSON.parse(columns) as [number, string][]) : [],
      dependsOn: deps ? deps.split(' ') : [],
      ...(opaque !== '' ? { opaque } : {}),
      ...(aliases !== '' ? { aliases: JSON.parse(aliases) as string[] } : {}),
    };
  });
}

type Verdict = { readonly state: 'clear' } | { readonly state: 'masked' | 'refused'; readonly because: string };
const CLEAR: Verdict = { state: 'clear' };

const key = (node: CatalogNode): string => `${node.kind}:${node.oid}`;
const RELATION_WORDS: Readonly<Record<string, string>> = { v: 'view', m: 'materialized view', r: 'table', p: 'table' };
const FUNCTION_WORDS: Readonly<Record<string, string>> = { p: 'procedure', a: 'aggregate' };

function word(node: CatalogNode): string {
  if (node.kind === 'relation') return RELATION_WORDS[node.subkind] ?? 'relation';
  if (node.kind === 'function') return FUNCTION_WORDS[node.subkind] ?? 'function';
  if (node.kind === 'cast') return 'cast to type';
  return node.kind;
}

/** Why the gateway cannot see through a function in `language`: `[as a predicate, as an apposition]`. */
function opacity(language: string): readonly [string, string] {
  if (language === 'sql') return ['has a body kept as a string', 'whose body is kept as a string'];
  if (language === 'c' || language === 'internal') {
    return [`is ${language} code that no extension installed`, `${language} code that no extension installed`];
  }
  return [`is written in ${language}`, `written in ${language}`];
}

const unmaskable = (seed: string): string => `${seed} in a way the gateway cannot mask`;

/**
 * Decides the found objects, each once all it depends on is decided (so a view over a view is read with the
 * inner view's masked columns). `masks` are the profile's; `seeds` maps each relation with a masked column to
 * words naming one (`masked column 'email' of 'public.people'`). Objects left undecided (a cycle of functions
 * replaced to call each other) are refused.
 */
export function decideDependents(
  masks: readonly ColumnMask[],
  seeds: ReadonlyMap<string, string>,
  nodes: readonly CatalogNode[],
): Dependents {
  const verdicts = new Map<string, Verdict>();
  const columns = new Map<string, ColumnMaskKind>();
  const derived: ColumnMask[] = [];
  const refused = new Map<string, string>();
  const kinds = new Map<string, ColumnMaskKind>();
  const strengthen = (name: string, kind: ColumnMaskKind): void => {
    kinds.set(name.toLowerCase(), strongerMask(kinds.get(name.toLowerCase()), kind));
  };
  for (const mask of masks) strengthen(mask.column, mask.mask);
  // Names a mask without a table already covers in every relation, for the statement check.
  const everywhere = new Set(masks.filter((mask) => mask.table === undefined).map((mask) => mask.column.toLowerCase()));

  /** Refuses `node` by its names, `why` it cannot be used; `because` is what its own dependents depend on. */
  const refuseAs = (node: CatalogNode, why: string, because: string): Verdict => {
    for (const name of [node.name, ...(node.aliases ?? [])]) {
      const lowered = name.toLowerCase();
      if (!refused.has(lowered)) {
        refused.set(
          lowered,
          `${word(node)} '${node.schema}.${node.name}' ${why}, so it cannot be used in this session`,
        );
      }
    }
    return { state: 'refused', because };
  };
  const refuse = (node: CatalogNode, because: string): Verdict => refuseAs(node, `depends on ${because}`, because);
  /** A function whose body the gateway cannot see through, refused as it is: the catalog cannot say what it reads. */
  const refuseOpaque = (node: CatalogNode, language: string): Verdict => {
    const [predicate, apposition] = opacity(language);
    const cannot = 'which the gateway cannot see through';
    return refuseAs(
      node,
      `${predicate}, ${cannot}`,
      `${word(node)} '${node.schema}.${node.name}', ${apposition}, ${cannot}`,
    );
  };

  /** A view over a masked relation: its masked columns, or refused when it computes from one. */
  const readView = (node: CatalogNode, because: string, seed: string | undefined): Verdict => {
    const read = viewColumnMasks(node.definition ?? '', [...masks, ...derived]);
    if ('violation' in read) return refuse(node, because);
    if (read.columns.every((column) => column === undefined)) return seed ? { state: 'masked', because: seed } : CLEAR;
    if (read.columns.length !== node.columns.length) return refuse(node, because);
    // A name with a dot would be read as schema.table: such a view's columns are masked in every relation.
    const table = `${node.schema}.${node.name}`.split('.').length === 2 ? `${node.schema}.${node.name}` : undefined;
    read.columns.forEach((column, index) => {
      const [attnum, name] = node.columns[index]!;
      if (column === undefined) return;
      const kind = kinds.get(column.toLowerCase()) ?? 'redact';
      columns.set(`${node.oid}:${attnum}`, strongerMask(columns.get(`${node.oid}:${attnum}`), kind));
      if (!everywhere.has(name.toLowerCase())) derived.push({ ...(table ? { table } : {}), column: name, mask: kind });
      strengthen(name, kind);
    });
    return { state: 'masked', because };
  };

  const decide = (node: CatalogNode): Verdict => {
    const seeded = node.kind === 'relation' ? seeds.get(node.oid) : undefined;
    const seed = seeded === undefined ? undefined : unmaskable(seeded);
    let holder: string | undefined;
    let tainted: string | undefined;
    for (const dependency of node.dependsOn) {
      const verdict = verdicts.get(dependency);
      if (verdict === undefined || verdict.state === 'clear') continue;
      if (verdict.state === 'masked' && dependency.startsWith('relation:')) holder ??= verdict.because;
      else tainted ??= verdict.because;
    }
    const because = tainted ?? holder;
    if (node.kind === 'type') return because === undefined ? CLEAR : { state: 'masked', because };
    if (node.kind === 'function' && tainted === undefined && node.opaque !== undefined) {
      return refuseOpaque(node, node.opaque);
    }
    // A cast is used where its types meet: what matters is whether its function may be called.
    if (node.kind === 'cast') {
      for (const dependency of node.dependsOn) {
        const verdict = verdicts.get(dependency);
        if (dependency.startsWith('function:') && verdict?.state === 'refused') return refuse(node, verdict.because);
      }
      return CLEAR;
    }
    if (node.kind !== 'relation') return because === undefined ? CLEAR : refuse(node, because);
    if (tainted !== undefined) return refuse(node, tainted);
    if (holder === undefined) return seed ? { state: 'masked', because: seed } : CLEAR;
    // A table's rule that reads a masked relation (`ON INSERT DO ALSO …`) is not a view to mask column by column.
    if (node.subkind !== 'v' && node.subkind !== 'm') return refuse(node, holder);
    return readView(node, holder, seed);
  };

  let pending = [...nodes];
  for (;;) {
    const ready = pending.filter((node) => node.dependsOn.every((dependency) => verdicts.has(dependency)));
    if (ready.length === 0) break;
    for (const node of ready) verdicts.set(key(node), decide(node));
    pending = pending.filter((node) => !verdicts.has(key(node)));
  }
  const [anyColumn = 'a masked column'] = seeds.values();
  for (const node of pending) {
    if (node.kind !== 'type') refuse(node, unmaskable(anyColumn));
  }
  return { columns, catalog: { columns: derived, refused } };
}
