import { describe, expect, it } from 'vitest';
import { jsonDepth, MAX_JSON_DEPTH } from './request-body.js';

describe('jsonDepth', () => {
  it.each([
    ['a scalar', '"x"', 0],
    ['an empty object', '{}', 1],
    ['an object in an array', '[{"a":1}]', 2],
    ['brackets inside strings do not count', '{"a":"[[[{{{"}', 1],
    ['an escaped quote does not end the string', '{"a":"\\"[[["}', 1],
    ['an escaped backslash before the closing quote', '{"a":"\\\\","b":[[1]]}', 3],
    ['siblings do not add up', '[[1],[2],[3]]', 2],
  ] as const)('%s', (_name, text, depth) => {
    expect(jsonDepth(text)).toBe(depth);
  });

  it('stops counting once past the limit', () => {
    expect(jsonDepth('['.repeat(100_000), MAX_JSON_DEPTH)).toBe(MAX_JSON_DEPTH + 1);
  });
});
