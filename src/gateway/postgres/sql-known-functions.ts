/**
 * What the gateway knows of PostgreSQL's built-in functions and operators: which change nothing (so a statement
 * calling only these can be read-only), and which calls the SQL/JSON syntax of newer servers stands for on older ones.
 */
/**
 * Built-in functions that read and change nothing (no writes, no locks, no other session touched). Anything else
 * called makes a statement not read-only: a user's function can do anything its owner can. Not here: `json_object`
 * (PostgreSQL 16's parser turns `json_object(a, b)` into `pg_catalog.json_object`, while PostgreSQL 15 resolves it
 * through the search path) and extensions' functions (`uuid_generate_v4` lives wherever uuid-ossp was installed).
 */
export const READ_ONLY_FUNCTIONS: ReadonlySet<string> = new Set(
  (
    'count sum avg min max array_agg string_agg bool_and bool_or every json_agg jsonb_agg json_object_agg ' +
    'jsonb_object_agg stddev stddev_pop stddev_samp variance var_pop var_samp corr covar_pop covar_samp ' +
    'percentile_cont percentile_disc mode row_number rank dense_rank percent_rank cume_dist ntile lag lead ' +
    'first_value last_value nth_value lower upper length char_length character_length octet_length bit_length ' +
    'substr substring trim btrim ltrim rtrim replace translate concat concat_ws left right lpad rpad position ' +
    'strpos split_part regexp_replace regexp_match regexp_matches regexp_split_to_array regexp_split_to_table ' +
    'regexp_like regexp_count regexp_instr regexp_substr format md5 sha224 sha256 sha384 sha512 encode decode ' +
    'initcap reverse repeat starts_with to_char to_number to_date to_timestamp quote_ident quote_literal ' +
    'quote_nullable ascii chr overlay abs round ceil ceiling floor trunc mod power pow sqrt cbrt ln log log10 ' +
    'exp sign div degrees radians pi sin cos tan width_bucket random gcd lcm scale now date_trunc date_part ' +
    'date_bin extract age clock_timestamp statement_timestamp transaction_timestamp timeofday make_date ' +
    'make_time make_interval make_timestamp make_timestamptz timezone isfinite justify_days justify_hours ' +
    'justify_interval json_build_object jsonb_build_object json_build_array jsonb_build_array to_json to_jsonb ' +
    'row_to_json array_to_json jsonb_object json_extract_path jsonb_extract_path ' +
    'json_extract_path_text jsonb_extract_path_text json_array_elements jsonb_array_elements ' +
    'json_array_elements_text jsonb_array_elements_text json_array_length jsonb_array_length json_each jsonb_each ' +
    'json_each_text jsonb_each_text json_object_keys jsonb_object_keys json_typeof jsonb_typeof jsonb_pretty ' +
    'jsonb_set jsonb_insert jsonb_strip_nulls json_strip_nulls jsonb_path_query jsonb_path_exists ' +
    'jsonb_path_match jsonb_path_query_array jsonb_path_query_first array_length array_lower array_upper ' +
    'array_ndims array_dims unnest array_to_string string_to_array cardinality array_position array_positions ' +
    'array_remove array_replace array_append array_prepend array_cat generate_series generate_subscripts ' +
    'version current_database current_schema current_schemas current_setting pg_typeof pg_size_pretty ' +
    'pg_size_bytes pg_relation_size pg_total_relation_size pg_table_size pg_indexes_size pg_database_size ' +
    'pg_column_size pg_backend_pid has_table_privilege has_column_privilege has_schema_privilege ' +
    'has_database_privilege has_function_privilege has_sequence_privilege pg_has_role format_type ' +
    'obj_description col_description shobj_description pg_get_viewdef pg_get_indexdef pg_get_constraintdef ' +
    'pg_get_expr pg_get_userbyid pg_get_functiondef pg_get_function_arguments pg_get_function_result ' +
    'pg_get_triggerdef pg_get_ruledef pg_table_is_visible to_regclass to_regtype to_regproc inet_client_addr ' +
    'inet_server_addr inet_server_port gen_random_uuid num_nulls num_nonnulls bool ' +
    'string_to_table jsonb_to_record json_to_record jsonb_to_recordset json_to_recordset jsonb_populate_record ' +
    'json_populate_record host network netmask masklen family'
  ).split(' '),
);

/**
 * Operators of the built-in types. Another operator may be a user's, whose function can write: it makes the
 * statement not read-only (as an unknown function does).
 */
export const BUILT_IN_OPERATORS: ReadonlySet<string> = new Set(
  (
    '= <> != < > <= >= + - * / % ^ || ~~ !~~ ~~* !~~* ~ !~ ~* !~* @> <@ && ? ?| ?& -> ->> #> #>> #- @@ @? ' +
    '|/ ||/ @ & | # << >> <-> <<= >>= &< &> -|- <^ >^ ?# ?- ?|| ~= @@@ !!'
  ).split(' '),
);

/**
 * The SQL/JSON syntax of PostgreSQL 16 and later, which PostgreSQL 15 reads as a plain call of whatever function of
 * that name the search path holds (`JSON_VALUE(x, '$.a')` runs a user's `json_value`): the parse node, and the name
 * PostgreSQL 15 calls. Never read-only, whichever server runs it, since the parser cannot tell which one will.
 */
export const SQL_JSON_CALLS: Readonly<Record<string, (node: Record<string, unknown>) => string>> = {
  JsonFuncExpr: (node) =>
    String(node['op'])
      .replace(/^JSON_(\w+)_OP$/, 'json_$1')
      .toLowerCase(),
  JsonTable: () => 'json_table',
  JsonObjectConstructor: () => 'json_object',
  JsonArrayConstructor: () => 'json_array',
  JsonArrayQueryConstructor: () => 'json_array',
  JsonObjectAgg: () => 'json_objectagg',
  JsonArrayAgg: () => 'json_arrayagg',
  JsonParseExpr: () => 'json',
  JsonScalarExpr: () => 'json_scalar',
  JsonSerializeExpr: () => 'json_serialize',
  MergeSupportFunc: () => 'merge_action',
};
