/**
 * Request parameters from the command line: `--params-json '{…}'` (or `@file`) for a whole object, and
 * repeatable `--param key=value` (a string) or `--param key:=JSON` (a number, boolean, array or object, as
 * HTTPie writes it). `--param` entries override keys of `--params-json`. Malformed input is a usage error.
 */
import { readFileSync } from 'node:fs';
import { AppError } from '../../core/errors.js';

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('invalid', `${what} is not valid JSON`);
  }
}

function readParamsJson(source: string): Record<string, unknown> {
  let text = source;
  if (source.startsWith('@')) {
    const path = source.slice(1);
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      throw new AppError('invalid', `cannot read the parameters file '${path}'`);
    }
  }
  const value = parseJson(text, '--params-json');
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new AppError('invalid', '--params-json must be a JSON object such as {"sql": "select 1"}');
  }
  return value as Record<string, unknown>;
}

/** The `params` object of a request, or undefined when neither option was given. */
export function requestParams(
  paramsJson: string | undefined,
  pairs: readonly string[] = [],
): Record<string, unknown> | undefined {
  if (paramsJson === undefined && pairs.length === 0) return undefined;
  const params: Record<string, unknown> = paramsJson === undefined ? {} : { ...readParamsJson(paramsJson) };
  for (const pair of pairs) {
    const match = /^([^=:]+)(:?=)([\s\S]*)$/.exec(pair);
    if (match === null) {
      throw new AppError('invalid', `--param '${pair.slice(0, 100)}' is not key=value or key:=JSON`);
    }
    const [, key = '', operator, value = ''] = match;
    params[key.trim()] = operator === ':=' ? parseJson(value, `the value of --param '${key}'`) : value;
  }
  return params;
}
