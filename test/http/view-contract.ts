/**
 * The contract between an answer and its view (`features/<feature>/*.view.ts`): the OpenAPI document answers the
 * route with the view's component, the real body is valid against the JSON Schema the document publishes, each
 * view in it is exactly an instance of the view's zod schema (nothing invalid, nothing the schema would strip),
 * and every time in it is written as the view says (ISO 8601, `expectTimes`).
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';
import { expect } from 'vitest';
import type { z } from 'zod';
import type { HttpTestApp } from './http-fixtures.js';

type Method = 'get' | 'post' | 'put' | 'delete';

interface OpenApiDocument {
  readonly paths: Record<string, Partial<Record<Method, { responses: Record<string, ResponseObject> }>>>;
  readonly components: { readonly schemas: Record<string, unknown> };
}
interface ResponseObject {
  readonly content?: { readonly 'application/json'?: { readonly schema: unknown } };
}

/** A time field of a view: `…At`, `at`, `time`, `reviewBy`, `deadline`, `firstSeen`, `lastSeen`. */
const TIME_KEY = /(At|^at|^time|^reviewBy|^deadline|^firstSeen|^lastSeen)$/;
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export interface ViewContract {
  /**
   * Asserts that `body`, the answer of `route` (`GET /v1/requests/{id}`, the path as the OpenAPI document writes
   * it) with `status`, keeps the contract of `view`; `views` picks the instances of `view` out of the body (default:
   * the body itself). Returns the body.
   */
  expectAnswer<T>(route: string, status: number, body: T, view: z.ZodType, views?: (body: T) => readonly unknown[]): T;
}

/** Reads the app's OpenAPI document once and checks answers against it. */
export async function viewContract(t: HttpTestApp): Promise<ViewContract> {
  const doc = (await t.call('GET', '/openapi.json')).json<OpenApiDocument>();
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  formats.default(ajv);
  ajv.addSchema({ $id: 'openapi.json', components: doc.components });
  const validators = new Map<string, ValidateFunction>();

  function documented(route: string, status: number): { schema: unknown; validate: ValidateFunction } {
    const [method = '', path = ''] = route.split(' ');
    const schema =
      doc.paths[path]?.[method.toLowerCase() as Method]?.responses[String(status)]?.content?.['application/json']
        ?.schema;
    expect(schema, `the OpenAPI document answers ${route} with ${status}`).toBeDefined();
    const key = `${route} ${status}`;
    let validate = validators.get(key);
    if (validate === undefined) {
      const rooted = JSON.stringify(schema).replaceAll('"#/components/', '"openapi.json#/components/');
      validate = ajv.compile(JSON.parse(rooted) as object);
      validators.set(key, validate);
    }
    return { schema, validate };
  }

  return {
    expectAnswer(route, status, body, view, views = (whole) => [whole]) {
      const id = (view.meta() as { id?: string } | undefined)?.id;
      expect(id, 'a view schema names its OpenAPI component').toBeDefined();
      const { schema, validate } = documented(route, status);
      expect(JSON.stringify(schema)).toContain(`"$ref":"#/components/schemas/${id}"`);
      expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
      const instances = views(body);
      expect(instances.length, `the answer of ${route} holds a ${id}`).toBeGreaterThan(0);
      for (const instance of instances) expect(view.parse(instance)).toEqual(instance);
      expectTimes(body);
      return body;
    },
  };
}

/**
 * Free-form records a view carries as they were written: an audit event's `details` are hash-chained as the verb
 * recorded them (times in epoch milliseconds), so they are not the view's to reformat.
 */
const RECORDED_AS_WRITTEN = new Set(['details']);

/** Every time field in `value`, at any depth, is an ISO 8601 time (or null). */
export function expectTimes(value: unknown, path = '$'): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => expectTimes(item, `${path}[${index}]`));
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, item] of Object.entries(value)) {
    if (RECORDED_AS_WRITTEN.has(key)) continue;
    if (TIME_KEY.test(key) && item !== null && typeof item !== 'object') {
      expect(String(item), `${path}.${key} is an ISO 8601 time`).toMatch(ISO_8601);
    }
    expectTimes(item, `${path}.${key}`);
  }
}
