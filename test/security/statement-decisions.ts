/**
 * What the classifier attack tests decide with: a statement's text through the real parser and the real decision
 * (the code path the gateway runs before forwarding), for mallory under a profile the test writes with `rule` and
 * `policy`, or under the example profile of docs/policy.md (`DOCS_EXAMPLE`).
 */
import {
  decideStatements,
  type StatementContext,
  type StatementDecision,
} from '../../src/decide/gateway-statement.decide.js';
import { classifySql } from '../../src/gateway/postgres/sql-classify.js';
import type { GatewayPolicy, GatewayRule } from '../../src/policy/model.js';
import { gatewayCondition } from '../factories/profile.factory.js';

/** A gateway rule whose `when` is CEL over `statement` (compiled as a profile's is). */
export function rule(name: string, when: string, outcome: { allow: true } | { deny: string }): GatewayRule {
  return { name, when: gatewayCondition(when), ...outcome };
}

/** An action's gateway block: `rules` in order, then the default. */
export function policy(rules: readonly GatewayRule[], otherwise: 'allow' | 'deny'): GatewayPolicy {
  return { rules, otherwise, masks: [] };
}

export const NO_SECRET_TABLES = rule('no-secrets', 'statement.tables.exists(t, t.startsWith("secret"))', {
  deny: 'secret tables are off limits',
});

/**
 * The example of docs/policy.md: no secret tables, read-only statements, the settings that only change how answers
 * look, no writes, default deny.
 */
export const DOCS_EXAMPLE = policy(
  [
    NO_SECRET_TABLES,
    rule('reads', 'statement.readOnly && !("pg_catalog" in statement.schemas)', { allow: true }),
    rule(
      'client-settings',
      'statement.command in ["SET", "RESET"] && statement.settings.all(s, s in ["timezone", "datestyle", ' +
        '"intervalstyle", "application_name", "extra_float_digits", "client_min_messages", "bytea_output"])',
      { allow: true },
    ),
    rule('no-writes', 'statement.kind in ["insert", "update", "delete", "merge"]', { deny: 'writes need run-sql' }),
  ],
  'deny',
);

/** A deny list over an allowing default: secret tables are off limits, anything else goes. */
export const SECRETS_DENIED = policy([NO_SECRET_TABLES], 'allow');

export const MALLORY: StatementContext = {
  requester: { name: 'mallory', kind: 'human', groups: [], attributes: {}, disabled: false },
  resource: { name: 'orders-db', profile: 'pg', labels: {}, connection: {}, attributes: {} },
  profile: { name: 'pg', classification: 'internal', environment: 'prod' },
  now: 0,
};

/** The decision on `sql` for mallory under `rules` (`loadSqlParser()` must have finished). */
export function decide(rules: GatewayPolicy, sql: string): StatementDecision {
  return decideStatements(rules, classifySql(sql), MALLORY);
}
