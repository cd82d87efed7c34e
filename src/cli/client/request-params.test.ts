import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../core/errors.js';
import { requestParams } from './request-params.js';

describe('request parameters from the command line', () => {
  it.each([
    ['no option at all gives no params', undefined, [], undefined],
    ['key=value is a string, even when it looks like a number', undefined, ['rows=5'], { rows: '5' }],
    ['key:=JSON is typed', undefined, ['rows:=5', 'dry:=true', 'tags:=["a"]'], { rows: 5, dry: true, tags: ['a'] }],
    [
      'a value may itself contain = and :=',
      undefined,
      ['sql=select 1 where a = b := c'],
      { sql: 'select 1 where a = b := c' },
    ],
    ['an empty value is an empty string', undefined, ['note='], { note: '' }],
    [
      '--param overrides a key of --params-json',
      '{"sql":"select 1","rows":1}',
      ['rows:=2'],
      { sql: 'select 1', rows: 2 },
    ],
  ] as const)('%s', (_name, json, pairs, expected) => {
    expect(requestParams(json, pairs)).toEqual(expected);
  });

  it.each([
    ['a pair without =', undefined, ['novalue'], "--param 'novalue' is not key=value or key:=JSON"],
    ['a pair without a key', undefined, ['=x'], "--param '=x' is not key=value or key:=JSON"],
    ['a typed value that is not JSON', undefined, ['rows:=five'], "the value of --param 'rows' is not valid JSON"],
    ['--params-json that is not JSON', '{sql:', [], '--params-json is not valid JSON'],
    ['--params-json that is an array', '[1]', [], '--params-json must be a JSON object'],
    [
      'a parameters file that does not exist',
      '@/nonexistent/params.json',
      [],
      "cannot read the parameters file '/nonexistent/params.json'",
    ],
  ] as const)('%s is a usage error', (_name, json, pairs, message) => {
    let thrown: unknown;
    try {
      requestParams(json, pairs);
    } catch (error) {
      thrown = error;
    }
    expect(isAppError(thrown) && thrown.code).toBe('invalid');
    expect((thrown as Error).message).toContain(message);
  });

  it('reads --params-json @FILE from a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'countersign-params-'));
    try {
      const file = join(dir, 'params.json');
      writeFileSync(file, JSON.stringify({ sql: 'update t set a = 1', expectedRows: 3 }));
      expect(requestParams(`@${file}`, [])).toEqual({ sql: 'update t set a = 1', expectedRows: 3 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
