/**
 * Action parameter schemas: each action's `params` JSON Schema (draft 2020-12) is compiled once, strictly (an
 * unknown keyword is a load error, not a silently ignored constraint), into a validator that returns readable
 * problems such as `params.sql: must be string`.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';
import type { ParamsValidator } from './model.js';

export type ParamsCompileResult = { ok: true; validate: ParamsValidator } | { ok: false; message: string };

/** The validator of an action without `params`: it takes no parameters at all. */
export const noParams: ParamsValidator = (params) =>
  params === undefined || params === null || (typeof params === 'object' && Object.keys(params).length === 0)
    ? []
    : ['params: this action takes no parameters'];

function errorPath(instancePath: string): string {
  let text = 'params';
  for (const raw of instancePath.split('/').slice(1)) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    text += /^\d+$/.test(segment) ? `[${segment}]` : `.${segment}`;
  }
  return text;
}

function describeError(error: ErrorObject): string {
  const detail =
    error.keyword === 'additionalProperties'
      ? ` '${String((error.params as { additionalProperty?: unknown }).additionalProperty)}'`
      : '';
  return `${errorPath(error.instancePath)}: ${error.message ?? 'is invalid'}${detail}`;
}

/**
 * A compiler for parameter schemas. One per load: schemas are not registered by `$id`, so two actions may use
 * the same `$id` without clashing.
 */
export function createParamsCompiler(): (schema: Readonly<Record<string, unknown>>) => ParamsCompileResult {
  const ajv = new Ajv2020({ allErrors: true, strict: true, addUsedSchema: false });
  formats.default(ajv);
  return (schema) => {
    if (schema.type !== 'object') {
      return { ok: false, message: "the schema must describe an object ('type: object')" };
    }
    try {
      const check = ajv.compile(schema);
      const validate: ParamsValidator = (params) =>
        check(params ?? {}) ? [] : (check.errors ?? []).map((error) => describeError(error));
      return { ok: true, validate };
    } catch (error) {
      return {
        ok: false,
        message: `the schema does not compile: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
  };
}
