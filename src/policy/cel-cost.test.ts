import { Environment } from '@marcbachmann/cel-js';
import { describe, expect, it } from 'vitest';
import { DYNAMIC_COLLECTION_BOUND, estimateCelCost, hasNestedRepetition, MAX_EVALUATION_COST } from './cel-cost.js';

const env = new Environment({ unlistedVariablesAreDyn: true, enableOptionalTypes: true });
const estimate = (source: string) => estimateCelCost(env.parse(source).ast);

describe('estimateCelCost', () => {
  it.each([
    ['a comparison costs a few steps', 'request.action == "read"', 4],
    ['a comprehension over a literal list costs its body once per element', '[1, 2, 3].all(x, x > 0)', 14],
    ['nested literal comprehensions multiply', '[1, 2].all(x, [1, 2, 3].exists(y, x == y))', 32],
    ['membership in a literal list counts its elements', '"a" in ["a", "b"]', 7],
    ['cel.bind keeps the size of the bound list', 'cel.bind(l, [1, 2], l.all(x, x > 0))', 12],
  ] as const)('%s', (_name, source, cost) => {
    expect(estimate(source)).toEqual({ ok: true, cost });
  });

  it('allows one pass over a list the request supplies', () => {
    const result = estimate('request.params.tags.all(t, t.startsWith("team-"))');
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.cost).toBeGreaterThan(DYNAMIC_COLLECTION_BOUND);
  });

  it.each([
    ['two nested passes over request data', 'request.params.a.all(x, request.params.b.exists(y, x == y))'],
    ['a pass with membership in request data', 'request.params.a.all(x, x in request.params.b)'],
    ['a map of a filter inside a comprehension', 'requester.groups.all(g, resource.config.l.map(x, x).size() > 0)'],
  ] as const)('refuses %s', (_name, source) => {
    const result = estimate(source);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.message).toContain(`more than the ${MAX_EVALUATION_COST.toLocaleString('en-US')} allowed`);
      expect(result.offset).toBe(0);
    }
  });

  it('refuses a pattern that is not a literal, pointing at it', () => {
    const source = 'request.justification.matches(request.ticket)';
    expect(estimate(source)).toEqual({
      ok: false,
      message: expect.stringContaining('must be a string literal'),
      offset: source.indexOf('request.ticket'),
    });
  });

  it('refuses a literal pattern with nested repetition', () => {
    expect(estimate('request.ticket.matches("^(a|b+)*$")')).toMatchObject({ ok: false });
    expect(estimate('request.ticket.matches("^[A-Z]+-[0-9]{1,6}$")')).toMatchObject({ ok: true });
  });
});

describe('hasNestedRepetition', () => {
  it.each([
    ['(a+)+', true],
    ['^(a|b+)*$', true],
    ['(\\w*x)*', true],
    ['(a{2,})+', true],
    ['((a)+)+', true],
    ['(?:x(ab)*)+', true],
    ['(a+)?', false],
    ['(ab)+', false],
    ['[(a+)]+', false],
    ['\\(a+\\)+', false],
    ['^[A-Z]+-[0-9]+$', false],
    ['(a{1})+', false],
    ['(a+?)', false],
  ] as const)('%s → %s', (pattern, nested) => {
    expect(hasNestedRepetition(pattern)).toBe(nested);
  });
});
