/**
 * Fixtures for the exec provider tests: a profile whose actions are argv templates, parameters validated by the
 * real params-schema compiler, and a calling helper. Programs are real: `process.execPath` (node), `/bin/echo`,
 * `/bin/sh`.
 */
import { createParamsCompiler } from '../../src/policy/params-schema.js';
import type { ActionDefinition, ResourceProfile } from '../../src/policy/model.js';
import type { ProviderCall } from '../../src/providers/provider.js';
import { makeAction, makeProfile, makeResource } from '../factories/profile.factory.js';

export const NODE = process.execPath;
export const EXPIRES_AT = Date.UTC(2030, 0, 1, 12, 0, 0);

/** Prints its arguments after the first (which ends node's own option parsing) as a JSON array on stdout. */
export const PRINT_ARGS = 'process.stdout.write(JSON.stringify(process.argv.slice(2)))';

const compile = createParamsCompiler();

export function validatorFor(schema: Readonly<Record<string, unknown>>): ActionDefinition['validateParams'] {
  const compiled = compile(schema);
  if (!compiled.ok) throw new Error(`fixture schema does not compile: ${compiled.message}`);
  return compiled.validate;
}

const VALUE_SCHEMA = { type: 'object', properties: { value: { type: 'string', maxLength: 10_000 } } };

export function execAction(
  name: string,
  settings: { grant?: Record<string, unknown>; execute?: Record<string, unknown> },
  schema: Readonly<Record<string, unknown>> = VALUE_SCHEMA,
): ActionDefinition {
  const { grant, execute } = settings;
  return makeAction({
    name,
    paramsSchema: schema,
    validateParams: validatorFor(schema),
    ...(grant === undefined ? { grant: undefined } : { grant }),
    ...(execute === undefined ? {} : { execute }),
  });
}

export function execProfile(
  actions: readonly ActionDefinition[],
  settings: Record<string, unknown> = {},
): ResourceProfile {
  return makeProfile({ name: 'hosts', provider: { type: 'exec', settings }, actions });
}

export const RESOURCE = makeResource({
  name: 'web-1',
  profile: 'hosts',
  attributes: { host: 'web-1.internal', port: 22 },
});

export function callOf(
  profile: ResourceProfile,
  actionName: string,
  params: Record<string, unknown> = {},
): ProviderCall {
  const action = profile.actions.get(actionName);
  if (action === undefined) throw new Error(`fixture profile has no action '${actionName}'`);
  return {
    requestId: 'req_test1',
    identity: 'alice',
    resource: RESOURCE,
    profile,
    action,
    params,
    expiresAt: EXPIRES_AT,
  };
}
