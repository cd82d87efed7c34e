/**
 * The kind and command of a top-level statement, from its parse node type (every statement type of PostgreSQL's
 * grammar as libpg-query returns it). A node type not listed here is `unknown`, which the gateway refuses: a new
 * PostgreSQL version's statement is never let through by accident.
 */
import type { StatementKind } from '../../decide/gateway-statement.decide.js';
import { isReservedPortal } from './statement-names.js';

type Body = Record<string, unknown>;
export interface KindAndCommand {
  readonly kind: StatementKind;
  readonly command: string;
}
type Classifier = (body: Body) => KindAndCommand;

const fixed =
  (kind: StatementKind, command: string): Classifier =>
  () => ({ kind, command });

/** `OBJECT_MATERIALIZED_VIEW` → `MATERIALIZED VIEW`. */
function objectWords(objtype: unknown, fallback: string): string {
  if (typeof objtype !== 'string' || !objtype.startsWith('OBJECT_')) return fallback;
  const words = objtype.slice('OBJECT_'.length).replace(/_/g, ' ');
  const renamed: Record<string, string> = { FDW: 'FOREIGN DATA WRAPPER', FOREIGN_SERVER: 'SERVER', ROUTINE: 'ROUTINE' };
  return renamed[objtype.slice('OBJECT_'.length)] ?? words;
}

/**
 * The command of a cursor statement naming a portal of the gateway's (statement-names.ts), which the decision
 * refuses whatever the statement does: a cursor under such a name could stand where the gate fails a batch, or run
 * a client's portal, which the gate keeps under such a name, with no Execute to record it. The same for a
 * `PREPARE`, `EXECUTE` (also under `EXPLAIN` and `CREATE TABLE AS`) or `DEALLOCATE` of a statement named so: the
 * gate keeps the client's prepared statements under such names.
 */
export const GATEWAY_CURSOR_COMMAND = 'CURSOR OF THE GATEWAY';

function cursor(command: (body: Body) => string): Classifier {
  return (body) => {
    const name = body['portalname'];
    return {
      kind: 'select',
      command: typeof name === 'string' && isReservedPortal(name) ? GATEWAY_CURSOR_COMMAND : command(body),
    };
  };
}

const TRANSACTION_COMMANDS: Record<string, string> = {
  TRANS_STMT_BEGIN: 'BEGIN',
  TRANS_STMT_START: 'START TRANSACTION',
  TRANS_STMT_COMMIT: 'COMMIT',
  TRANS_STMT_ROLLBACK: 'ROLLBACK',
  TRANS_STMT_SAVEPOINT: 'SAVEPOINT',
  TRANS_STMT_RELEASE: 'RELEASE',
  TRANS_STMT_ROLLBACK_TO: 'ROLLBACK TO SAVEPOINT',
  TRANS_STMT_PREPARE: 'PREPARE TRANSACTION',
  TRANS_STMT_COMMIT_PREPARED: 'COMMIT PREPARED',
  TRANS_STMT_ROLLBACK_PREPARED: 'ROLLBACK PREPARED',
};

function variableSet(body: Body): KindAndCommand {
  const verb = body['kind'] === 'VAR_RESET' || body['kind'] === 'VAR_RESET_ALL' ? 'RESET' : 'SET';
  if (body['kind'] === 'VAR_RESET_ALL') return { kind: 'session', command: 'RESET ALL' };
  const name = typeof body['name'] === 'string' ? body['name'].toLowerCase() : '';
  if (name === 'role') return { kind: 'role', command: `${verb} ROLE` };
  if (name === 'session_authorization') return { kind: 'role', command: `${verb} SESSION AUTHORIZATION` };
  if (name === 'transaction' || name === 'transaction snapshot') {
    return { kind: 'transaction', command: 'SET TRANSACTION' };
  }
  if (name === 'session characteristics') return { kind: 'session', command: 'SET SESSION CHARACTERISTICS' };
  return { kind: 'session', command: verb };
}

/** Statements that define, change or remove schema objects; the command from the node name or object type. */
const DDL: Record<string, string | ((body: Body) => string)> = {
  CreateStmt: 'CREATE TABLE',
  CreateTableAsStmt: (body) => (body['objtype'] === 'OBJECT_MATVIEW' ? 'CREATE MATERIALIZED VIEW' : 'CREATE TABLE AS'),
  ViewStmt: 'CREATE VIEW',
  IndexStmt: 'CREATE INDEX',
  CreateSchemaStmt: 'CREATE SCHEMA',
  CreateSeqStmt: 'CREATE SEQUENCE',
  AlterSeqStmt: 'ALTER SEQUENCE',
  CreateFunctionStmt: (body) => (body['is_procedure'] === true ? 'CREATE PROCEDURE' : 'CREATE FUNCTION'),
  AlterFunctionStmt: (body) => `ALTER ${objectWords(body['objtype'], 'FUNCTION')}`,
  CreateTrigStmt: 'CREATE TRIGGER',
  CreateEventTrigStmt: 'CREATE EVENT TRIGGER',
  AlterEventTrigStmt: 'ALTER EVENT TRIGGER',
  RuleStmt: 'CREATE RULE',
  CreateDomainStmt: 'CREATE DOMAIN',
  AlterDomainStmt: 'ALTER DOMAIN',
  CompositeTypeStmt: 'CREATE TYPE',
  CreateEnumStmt: 'CREATE TYPE',
  CreateRangeStmt: 'CREATE TYPE',
  AlterEnumStmt: 'ALTER TYPE',
  AlterTypeStmt: 'ALTER TYPE',
  DefineStmt: (body) => `CREATE ${objectWords(body['kind'], 'OBJECT')}`,
  CreateCastStmt: 'CREATE CAST',
  CreateConversionStmt: 'CREATE CONVERSION',
  CreateOpClassStmt: 'CREATE OPERATOR CLASS',
  CreateOpFamilyStmt: 'CREATE OPERATOR FAMILY',
  AlterOpFamilyStmt: 'ALTER OPERATOR FAMILY',
  AlterOperatorStmt: 'ALTER OPERATOR',
  CreateAmStmt: 'CREATE ACCESS METHOD',
  CreateTransformStmt: 'CREATE TRANSFORM',
  CreateStatsStmt: 'CREATE STATISTICS',
  AlterStatsStmt: 'ALTER STATISTICS',
  CreatePublicationStmt: 'CREATE PUBLICATION',
  AlterPublicationStmt: 'ALTER PUBLICATION',
  CreateSubscriptionStmt: 'CREATE SUBSCRIPTION',
  AlterSubscriptionStmt: 'ALTER SUBSCRIPTION',
  DropSubscriptionStmt: 'DROP SUBSCRIPTION',
  CreateExtensionStmt: 'CREATE EXTENSION',
  AlterExtensionStmt: 'ALTER EXTENSION',
  AlterExtensionContentsStmt: 'ALTER EXTENSION',
  CreatePLangStmt: 'CREATE LANGUAGE',
  CreateFdwStmt: 'CREATE FOREIGN DATA WRAPPER',
  AlterFdwStmt: 'ALTER FOREIGN DATA WRAPPER',
  CreateForeignServerStmt: 'CREATE SERVER',
  AlterForeignServerStmt: 'ALTER SERVER',
  CreateForeignTableStmt: 'CREATE FOREIGN TABLE',
  ImportForeignSchemaStmt: 'IMPORT FOREIGN SCHEMA',
  CreatedbStmt: 'CREATE DATABASE',
  AlterDatabaseStmt: 'ALTER DATABASE',
  AlterDatabaseSetStmt: 'ALTER DATABASE',
  AlterDatabaseRefreshCollStmt: 'ALTER DATABASE',
  DropdbStmt: 'DROP DATABASE',
  CreateTableSpaceStmt: 'CREATE TABLESPACE',
  DropTableSpaceStmt: 'DROP TABLESPACE',
  AlterTableSpaceOptionsStmt: 'ALTER TABLESPACE',
  AlterTableMoveAllStmt: 'ALTER TABLE',
  AlterCollationStmt: 'ALTER COLLATION',
  AlterTSDictionaryStmt: 'ALTER TEXT SEARCH DICTIONARY',
  AlterTSConfigurationStmt: 'ALTER TEXT SEARCH CONFIGURATION',
  AlterTableStmt: (body) => `ALTER ${objectWords(body['objtype'], 'TABLE')}`,
  AlterObjectSchemaStmt: (body) => `ALTER ${objectWords(body['objectType'], 'OBJECT')}`,
  AlterObjectDependsStmt: (body) => `ALTER ${objectWords(body['objectType'], 'OBJECT')}`,
  RenameStmt: (body) => `ALTER ${objectWords(body['renameType'], 'OBJECT')}`,
  DropStmt: (body) => `DROP ${objectWords(body['removeType'], 'OBJECT')}`,
  CommentStmt: 'COMMENT',
  ReplicaIdentityStmt: 'ALTER TABLE',
};

const PRIVILEGE: Record<string, string | ((body: Body) => string)> = {
  GrantStmt: (body) => (body['is_grant'] === true ? 'GRANT' : 'REVOKE'),
  AlterDefaultPrivilegesStmt: 'ALTER DEFAULT PRIVILEGES',
  AlterOwnerStmt: (body) => `ALTER ${objectWords(body['objectType'], 'OBJECT')} OWNER`,
  ReassignOwnedStmt: 'REASSIGN OWNED',
  DropOwnedStmt: 'DROP OWNED',
  CreatePolicyStmt: 'CREATE POLICY',
  AlterPolicyStmt: 'ALTER POLICY',
  SecLabelStmt: 'SECURITY LABEL',
  CreateUserMappingStmt: 'CREATE USER MAPPING',
  AlterUserMappingStmt: 'ALTER USER MAPPING',
  DropUserMappingStmt: 'DROP USER MAPPING',
};

/** Role management and role switching: always refused through the gateway. */
const ROLE: Record<string, string | ((body: Body) => string)> = {
  CreateRoleStmt: (body) =>
    `CREATE ${body['stmt_type'] === 'ROLESTMT_USER' ? 'USER' : body['stmt_type'] === 'ROLESTMT_GROUP' ? 'GROUP' : 'ROLE'}`,
  AlterRoleStmt: 'ALTER ROLE',
  AlterRoleSetStmt: 'ALTER ROLE SET',
  DropRoleStmt: 'DROP ROLE',
  GrantRoleStmt: (body) => (body['is_grant'] === true ? 'GRANT ROLE' : 'REVOKE ROLE'),
};

const UTILITY: Record<string, string | ((body: Body) => string)> = {
  AlterSystemStmt: 'ALTER SYSTEM',
  LoadStmt: 'LOAD',
  CheckPointStmt: 'CHECKPOINT',
  VacuumStmt: (body) => (body['is_vacuumcmd'] === true ? 'VACUUM' : 'ANALYZE'),
  ClusterStmt: 'CLUSTER',
  ReindexStmt: 'REINDEX',
  LockStmt: 'LOCK TABLE',
  ListenStmt: 'LISTEN',
  UnlistenStmt: 'UNLISTEN',
  NotifyStmt: 'NOTIFY',
  RefreshMatViewStmt: 'REFRESH MATERIALIZED VIEW',
};

function fromTable(
  kind: StatementKind,
  table: Record<string, string | ((body: Body) => string)>,
): Record<string, Classifier> {
  return Object.fromEntries(
    Object.entries(table).map(([type, command]) => [
      type,
      (body: Body) => ({ kind, command: typeof command === 'string' ? command : command(body) }),
    ]),
  );
}

const CLASSIFIERS: Record<string, Classifier> = {
  ...fromTable('ddl', DDL),
  ...fromTable('privilege', PRIVILEGE),
  ...fromTable('role', ROLE),
  ...fromTable('utility', UTILITY),
  SelectStmt: (body) =>
    body['intoClause'] ? { kind: 'ddl', command: 'SELECT INTO' } : { kind: 'select', command: 'SELECT' },
  InsertStmt: fixed('insert', 'INSERT'),
  UpdateStmt: fixed('update', 'UPDATE'),
  DeleteStmt: fixed('delete', 'DELETE'),
  MergeStmt: fixed('merge', 'MERGE'),
  TruncateStmt: fixed('delete', 'TRUNCATE TABLE'),
  CopyStmt: fixed('copy', 'COPY'),
  CallStmt: fixed('call', 'CALL'),
  DoStmt: fixed('call', 'DO'),
  TransactionStmt: (body) => ({
    kind: 'transaction',
    command: TRANSACTION_COMMANDS[String(body['kind'])] ?? 'TRANSACTION',
  }),
  ConstraintsSetStmt: fixed('transaction', 'SET CONSTRAINTS'),
  VariableSetStmt: variableSet,
  VariableShowStmt: fixed('session', 'SHOW'),
  DiscardStmt: (body) => ({
    kind: 'session',
    command: `DISCARD ${String(body['target'] ?? '').replace('DISCARD_', '')}`,
  }),
  PrepareStmt: fixed('prepare', 'PREPARE'),
  ExecuteStmt: fixed('prepare', 'EXECUTE'),
  DeallocateStmt: fixed('prepare', 'DEALLOCATE'),
  DeclareCursorStmt: cursor(() => 'DECLARE CURSOR'),
  FetchStmt: cursor((body) => (body['ismove'] === true ? 'MOVE' : 'FETCH')),
  ClosePortalStmt: cursor(() => 'CLOSE CURSOR'),
  ExplainStmt: fixed('utility', 'EXPLAIN'),
};

/** The kind and command of one top-level parse node (`{"SelectStmt": {…}}`); `unknown` for anything else. */
export function statementKind(node: unknown): KindAndCommand & { readonly type: string; readonly body: Body } {
  const entries = typeof node === 'object' && node !== null ? Object.entries(node) : [];
  const [type, body] = entries.length === 1 ? (entries[0] as [string, unknown]) : ['', undefined];
  const classify = Object.prototype.hasOwnProperty.call(CLASSIFIERS, type) ? CLASSIFIERS[type] : undefined;
  if (!classify || typeof body !== 'object' || body === null) {
    return { kind: 'unknown', command: type.replace(/Stmt$/, '').toUpperCase(), type, body: {} };
  }
  const classified = classify(body as Body);
  const command = namesGatewayStatement(type, body as Body) ? GATEWAY_CURSOR_COMMAND : classified.command;
  return { ...classified, command, type, body: body as Body };
}

/** Whether a statement prepares, executes or deallocates a prepared statement under a name of the gateway's. */
function namesGatewayStatement(type: string, body: Body): boolean {
  if (type === 'PrepareStmt' || type === 'ExecuteStmt' || type === 'DeallocateStmt') {
    return typeof body['name'] === 'string' && isReservedPortal(body['name']);
  }
  if (type !== 'ExplainStmt' && type !== 'CreateTableAsStmt') return false;
  const query = body['query'];
  const entries = typeof query === 'object' && query !== null ? Object.entries(query) : [];
  const [inner, innerBody] = entries.length === 1 ? entries[0]! : ['', undefined];
  return typeof innerBody === 'object' && innerBody !== null && namesGatewayStatement(inner, innerBody as Body);
}
