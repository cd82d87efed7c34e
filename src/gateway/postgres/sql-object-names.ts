/**
 * Relations and schemas a statement names other than as a table reference, so that a rule about names sees them
 * as it sees a FROM clause: a relation named in a string the server reads as a relation name
 * (`'secret_keys'::regclass`, `nextval('secret_seq')`), and the objects of statements about schemas or about
 * objects named by a list (`GRANT … ON ALL TABLES IN SCHEMA s`, `ALTER SCHEMA s RENAME`, `COMMENT ON TABLE t`,
 * `DROP TABLE t`).
 */
type Json = unknown;
type JsonObject = Record<string, Json>;

const isObject = (value: Json): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The `sval` of a String node, or of each String node of a list. */
function stringValues(list: Json): string[] {
  const items = Array.isArray(list) ? list : [list];
  const values: string[] = [];
  for (const item of items) {
    const sval = isObject(item) && isObject(item['String']) ? item['String']['sval'] : undefined;
    if (typeof sval === 'string') values.push(sval);
  }
  return values;
}

/**
 * A qualified name written in a string, read as PostgreSQL reads a `regclass` (`stringToQualifiedNameList`): parts
 * separated by dots, an unquoted part folded to lower case (ASCII letters only, as in UTF-8), a quoted part kept
 * with `""` standing for `"`, blanks around parts ignored, each cut to 63 bytes. Undefined when the server would refuse
 * the string.
 */
export function qualifiedNameInString(text: string): string[] | undefined {
  const parts: string[] = [];
  let rest = text.trimStart();
  for (;;) {
    let part: string;
    if (rest.startsWith('"')) {
      const end = /^"((?:[^"]|"")*)"/.exec(rest);
      if (!end) return undefined;
      part = (end[1] as string).replace(/""/g, '"');
      rest = rest.slice(end[0].length).trimStart();
    } else {
      const word = /^[^."\s]+/.exec(rest);
      if (!word) return undefined;
      part = word[0].replace(/[A-Z]/g, (letter) => letter.toLowerCase());
      rest = rest.slice(word[0].length).trimStart();
    }
    if (part === '') return undefined;
    parts.push(truncateIdentifier(part));
    if (rest === '') return parts.length <= 3 ? parts : undefined;
    if (!rest.startsWith('.')) return undefined;
    rest = rest.slice(1).trimStart();
  }
}

/**
 * The elements of a one-dimensional array literal (`{a, "b c"}`) as `array_in` reads them: unquoted elements trimmed,
 * double quotes and backslashes taken away, `NULL` left out. Undefined for anything else (nested arrays included).
 */
export function arrayLiteralElements(text: string): string[] | undefined {
  const inner = /^\s*\{([\s\S]*)\}\s*$/.exec(text)?.[1];
  if (inner === undefined) return undefined;
  const elements: string[] = [];
  let current = '';
  let quoted = false;
  let inQuotes = false;
  const finish = () => {
    const element = quoted ? current : current.trim();
    if (quoted || (element !== '' && element.toUpperCase() !== 'NULL')) elements.push(element);
    current = '';
    quoted = false;
  };
  for (let index = 0; index < inner.length; index++) {
    const character = inner[index] as string;
    if (character === '\\') current += inner[++index] ?? '';
    else if (character === '"') [inQuotes, quoted] = [!inQuotes, true];
    else if (!inQuotes && (character === '{' || character === '}')) return undefined;
    else if (!inQuotes && character === ',') finish();
    else current += character;
  }
  if (inQuotes) return undefined;
  finish();
  return elements;
}

/** PostgreSQL keeps the first NAMEDATALEN - 1 bytes of an identifier, cut at a character boundary. */
const MAX_IDENTIFIER_BYTES = 63;

function truncateIdentifier(part: string): string {
  if (Buffer.byteLength(part) <= MAX_IDENTIFIER_BYTES) return part;
  let kept = '';
  for (const character of part) {
    if (Buffer.byteLength(kept + character) > MAX_IDENTIFIER_BYTES) break;
    kept += character;
  }
  return kept;
}

/**
 * Built-in functions whose first argument names a relation, read from a string constant as a `regclass` or by
 * the same rules (`pg_get_serial_sequence`): reading or writing a sequence by name, or a relation's size, definition
 * or location; and `regclass(…)`, the cast written as a call.
 */
export const RELATION_ARGUMENT_FUNCTIONS: ReadonlySet<string> = new Set(
  (
    'regclass nextval currval setval pg_sequence_last_value pg_sequence_parameters pg_relation_size ' +
    'pg_total_relation_size pg_table_size pg_indexes_size pg_relation_filenode pg_relation_filepath ' +
    'pg_get_viewdef pg_get_serial_sequence to_regclass pg_get_indexdef pg_get_partkeydef pg_get_replica_identity_index'
  ).split(' '),
);

/** The relations (qualified names) and schemas a top-level statement names by its objects, not by table references. */
export function statementObjectNames(
  type: string,
  body: JsonObject,
): { readonly relations: readonly string[][]; readonly schemas: readonly string[] } {
  const relations: string[][] = [];
  const schemas: string[] = [];
  const objectType = body['objectType'] ?? body['objtype'] ?? body['removeType'] ?? body['renameType'];
  switch (type) {
    case 'CreateSchemaStmt': {
      // Without a name the schema is named after its owner (`CREATE SCHEMA AUTHORIZATION joe`).
      const owner = isObject(body['authrole']) ? body['authrole']['rolename'] : undefined;
      const name = typeof body['schemaname'] === 'string' ? body['schemaname'] : owner;
      if (typeof name === 'string') schemas.push(name);
      break;
    }
    case 'RenameStmt':
      if (objectType === 'OBJECT_SCHEMA') {
        for (const name of [body['subname'], body['newname']]) if (typeof name === 'string') schemas.push(name);
      }
      break;
    case 'AlterObjectSchemaStmt':
      if (typeof body['newschema'] === 'string') schemas.push(body['newschema']);
      break;
    case 'GrantStmt':
      if (body['targtype'] === 'ACL_TARGET_ALL_IN_SCHEMA' || objectType === 'OBJECT_SCHEMA') {
        schemas.push(...stringValues(body['objects']));
      }
      break;
    case 'AlterDefaultPrivilegesStmt':
      for (const option of Array.isArray(body['options']) ? body['options'] : []) {
        const element = isObject(option) && isObject(option['DefElem']) ? option['DefElem'] : undefined;
        const list =
          element?.['defname'] === 'schemas' && isObject(element['arg']) ? element['arg']['List'] : undefined;
        if (isObject(list)) schemas.push(...stringValues(list['items']));
      }
      break;
    case 'DropStmt':
      if (objectType === 'OBJECT_SCHEMA') schemas.push(...stringValues(body['objects']));
      for (const object of Array.isArray(body['objects']) ? body['objects'] : []) {
        const list = isObject(object) && isObject(object['List']) ? object['List']['items'] : undefined;
        if (list !== undefined) relations.push(...relationOf(objectType, stringValues(list)));
      }
      break;
    case 'AlterOwnerStmt':
    case 'CommentStmt':
    case 'SecLabelStmt': {
      const object = body['object'];
      if (objectType === 'OBJECT_SCHEMA') schemas.push(...stringValues(object));
      const list = isObject(object) && isObject(object['List']) ? stringValues(object['List']['items']) : [];
      relations.push(...relationOf(objectType, list));
      break;
    }
    case 'CreatePublicationStmt':
    case 'AlterPublicationStmt':
      for (const object of Array.isArray(body['pubobjects']) ? body['pubobjects'] : []) {
        const spec = isObject(object) && isObject(object['PublicationObjSpec']) ? object['PublicationObjSpec'] : {};
        if (spec['pubobjtype'] === 'PUBLICATIONOBJ_TABLES_IN_SCHEMA' && typeof spec['name'] === 'string') {
          schemas.push(spec['name']);
        }
      }
      break;
  }
  return { relations, schemas };
}

/**
 * The relation an object named by a list is, or belongs to: the list itself for a relation, all but the last part
 * for a column, trigger, rule, policy or table constraint (`COMMENT ON COLUMN t.c`, `DROP TRIGGER tr ON t`).
 */
function relationOf(objectType: unknown, list: readonly string[]): string[][] {
  if (list.length === 0) return [];
  if (RELATION_OBJECTS.has(String(objectType))) return [[...list]];
  if (PARTS_OF_RELATIONS.has(String(objectType)) && list.length > 1) return [list.slice(0, -1)];
  return [];
}

const PARTS_OF_RELATIONS: ReadonlySet<string> = new Set([
  'OBJECT_COLUMN',
  'OBJECT_TRIGGER',
  'OBJECT_RULE',
  'OBJECT_POLICY',
  'OBJECT_TABCONSTRAINT',
]);

const RELATION_OBJECTS: ReadonlySet<string> = new Set([
  'OBJECT_TABLE',
  'OBJECT_VIEW',
  'OBJECT_MATVIEW',
  'OBJECT_SEQUENCE',
  'OBJECT_INDEX',
  'OBJECT_FOREIGN_TABLE',
]);
