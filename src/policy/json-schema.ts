/**
 * The JSON Schema (draft 2020-12) of a policy document, for editors (`countersign policy schema`). Derived from
 * the same zod schemas the loader uses, one branch per kind selected by `kind`, so the editor and the loader
 * agree on every field. Checks that span documents (references, `extends`, CEL types) are the loader's alone.
 */
import { z } from 'zod';
import { API_VERSION, DOCUMENT_SCHEMAS, KINDS } from './schemas.js';

/** A JSON Schema for one policy YAML document of any kind. */
export function policyJsonSchema(): Record<string, unknown> {
  const branches = KINDS.map((kind) => {
    const { $schema: _ignored, ...schema } = z.toJSONSchema(DOCUMENT_SCHEMAS[kind]) as Record<string, unknown>;
    return { if: { properties: { kind: { const: kind } }, required: ['kind'] }, then: { ...schema, title: kind } };
  });
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://countersign.dev/schemas/policy-v1.json',
    title: 'Countersign policy document',
    type: 'object',
    required: ['apiVersion', 'kind', 'metadata', 'spec'],
    properties: {
      apiVersion: { const: API_VERSION },
      kind: { enum: [...KINDS] },
      metadata: { type: 'object' },
      spec: { type: 'object' },
    },
    allOf: branches,
  };
}
