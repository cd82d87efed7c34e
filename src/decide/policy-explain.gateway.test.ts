import { describe, expect, it } from 'vitest';
import { gatewayCondition as when } from '../../test/factories/profile.factory.js';
import { BUILT_IN_REFUSALS, describeGateway } from './policy-explain.gateway.js';

describe("a gateway block in policy explain's words", () => {
  it('says the action is gateway-only, what is always refused, each rule, the default and the limits', () => {
    expect(
      describeGateway({
        rules: [
          { name: 'reads', when: when('statement.kind == "select"'), allow: true },
          { name: 'no-writes', when: when('statement.kind in ["insert", "delete"]'), deny: 'use run-sql' },
          { name: 'rest', allow: true },
        ],
        otherwise: 'deny',
        statementTimeoutSeconds: 90,
        maxRows: 1_000_000,
        maxBytes: 200 * 1024 * 1024,
        masks: [
          { column: 'email', mask: 'hash' },
          { column: 'card', table: 'payments', mask: 'last4' },
        ],
      }),
    ).toEqual([
      'gateway only: the credential is never shown; every statement is checked before it is sent',
      BUILT_IN_REFUSALS,
      '[reads] allow when statement.kind == "select"',
      '[no-writes] deny when statement.kind in ["insert", "delete"]: use run-sql',
      '[rest] allow every statement',
      'otherwise: deny (no rule matched)',
      'per session: statement timeout 1m30s, at most 1,000,000 rows, at most 200MB',
      'masked columns: email (hash), payments.card (last4)',
    ]);
  });

  it('with no rules says only the default decides', () => {
    expect(describeGateway({ rules: [], otherwise: 'deny', masks: [] }).at(-1)).toBe('otherwise: deny');
  });
});
