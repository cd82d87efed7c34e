/**
 * The CEL variables of policy conditions (docs/policy.md "CEL conditions"): the value types the checker knows
 * (`CEL_TYPES`, registered by `cel.ts`) and how the model becomes them (`buildCelVariables`,
 * `buildRoleCelVariables`). Pure: the caller passes the time.
 */
import { Duration } from '@marcbachmann/cel-js/evaluator';
import type { ResourceState, RequestInput } from '../core/domain.js';
import type { CelVariables, Identity, Resource, ResourceProfile, SubjectRef } from './model.js';

// The CEL values the variables are made of. Plain classes with declared field types: the checker knows every
// field (so `request.durationx` is a load error) and evaluation reads the fields without converting anything.
class CelDrift {
  constructor(
    readonly low: bigint,
    readonly medium: bigint,
    readonly high: bigint,
    readonly critical: bigint,
  ) {}
}

class CelResource {
  constructor(
    readonly id: string,
    readonly owner: string,
    readonly labels: Readonly<Record<string, string>>,
    readonly config: Readonly<Record<string, unknown>>,
    readonly drift: CelDrift,
    /** False for a resource never observed: its `config` and `drift` are unknown, not empty and clean. */
    readonly observed: boolean,
  ) {}
}

class CelProfile {
  constructor(
    readonly name: string,
    readonly classification: string,
    readonly environment: string,
  ) {}
}

class CelRequest {
  constructor(
    readonly id: string,
    readonly action: string,
    readonly duration: Duration,
    readonly params: Readonly<Record<string, unknown>>,
    readonly justification: string,
    readonly ticket: string,
    readonly breakGlass: boolean,
  ) {}
}

class CelRequester {
  constructor(
    readonly id: string,
    readonly kind: string,
    readonly groups: readonly string[],
    readonly attributes: Readonly<Record<string, unknown>>,
  ) {}
}

class CelRole {
  constructor(
    readonly name: string,
    readonly duties: readonly string[],
  ) {}
}

/** The declared CEL types of the variables, registered with the environments of `cel.ts`. */
export const CEL_TYPES = {
  drift: {
    name: 'countersign.Drift',
    ctor: CelDrift,
    fields: { low: 'int', medium: 'int', high: 'int', critical: 'int' },
  },
  resource: {
    name: 'countersign.Resource',
    ctor: CelResource,
    fields: {
      id: 'string',
      owner: 'string',
      labels: 'map<string, string>',
      config: 'map<string, dyn>',
      drift: 'countersign.Drift',
      observed: 'bool',
    },
  },
  profile: {
    name: 'countersign.Profile',
    ctor: CelProfile,
    fields: { name: 'string', classification: 'string', environment: 'string' },
  },
  request: {
    name: 'countersign.Request',
    ctor: CelRequest,
    fields: {
      id: 'string',
      action: 'string',
      duration: 'google.protobuf.Duration',
      params: 'map<string, dyn>',
      justification: 'string',
      ticket: 'string',
      breakGlass: 'bool',
    },
  },
  requester: {
    name: 'countersign.Requester',
    ctor: CelRequester,
    fields: { id: 'string', kind: 'string', groups: 'list<string>', attributes: 'map<string, dyn>' },
  },
  role: {
    name: 'countersign.Role',
    ctor: CelRole,
    fields: { name: 'string', duties: 'list<string>' },
  },
} as const;

export interface CelVariablesInput {
  readonly request?: RequestInput;
  readonly requestId?: string;
  readonly requester?: Identity;
  readonly resource: Resource;
  readonly state: ResourceState;
  readonly profile: Pick<ResourceProfile, 'name' | 'classification' | 'environment'>;
  /** Epoch milliseconds; becomes the `now` timestamp. */
  readonly now: number;
}

export interface RoleCelVariablesInput {
  readonly requestId?: string;
  readonly durationSeconds: number;
  readonly justification?: string;
  readonly ticket?: string;
  readonly requester: Identity;
  readonly role: { readonly name: string; readonly duties: readonly string[] };
  /** Epoch milliseconds; becomes the `now` timestamp. */
  readonly now: number;
}

/**
 * The variables of a role's activation rules: `request` (its `action` is `activate`, no parameters, never
 * break-glass), `requester`, `role` (`name`, `duties`) and `now`.
 */
export function buildRoleCelVariables(input: RoleCelVariablesInput): CelVariables {
  const { requester } = input;
  return {
    request: new CelRequest(
      input.requestId ?? '',
      'activate',
      Duration.fromMilliseconds(input.durationSeconds * 1000),
      EMPTY_MAP,
      input.justification ?? '',
      input.ticket ?? '',
      false,
    ),
    requester: new CelRequester(requester.name, requester.kind, requester.groups, convertMap(requester.attributes)),
    role: new CelRole(input.role.name, input.role.duties),
    now: new Date(input.now),
  };
}

/**
 * Converts the model into the CEL variables of docs/policy.md: integers become BigInt (CEL `int`), the request
 * duration a CEL duration, `now` a timestamp, absent strings `""` (as unset proto fields read). Converted
 * config, params and attributes are cached per source object, which the model treats as immutable.
 */
export function buildCelVariables(input: CelVariablesInput): CelVariables {
  const { resource, state, profile } = input;
  const drift = state.drift;
  const variables: Record<string, unknown> = {
    resource: new CelResource(
      resource.name,
      resource.owner ? formatSubject(resource.owner) : '',
      resource.labels,
      state.config ? convertMap(state.config) : EMPTY_MAP,
      new CelDrift(BigInt(drift.low), BigInt(drift.medium), BigInt(drift.high), BigInt(drift.critical)),
      state.config !== undefined,
    ),
    profile: new CelProfile(profile.name, profile.classification, profile.environment),
    now: new Date(input.now),
  };
  if (input.request) {
    const request = input.request;
    variables['request'] = new CelRequest(
      input.requestId ?? '',
      request.action,
      Duration.fromMilliseconds(request.durationSeconds * 1000),
      request.params ? convertMap(request.params) : EMPTY_MAP,
      request.justification ?? '',
      request.ticket ?? '',
      request.breakGlass,
    );
  }
  if (input.requester) {
    const requester = input.requester;
    variables['requester'] = new CelRequester(
      requester.name,
      requester.kind,
      requester.groups,
      convertMap(requester.attributes),
    );
  }
  return variables;
}

const EMPTY_MAP: Readonly<Record<string, unknown>> = Object.freeze(Object.create(null) as Record<string, unknown>);
const converted = new WeakMap<object, Readonly<Record<string, unknown>>>();

function convertMap(source: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> {
  const cached = converted.get(source);
  if (cached) return cached;
  const result = toCelMap(source);
  converted.set(source, result);
  return result;
}

function toCelMap(source: Readonly<Record<string, unknown>>): Record<string, unknown> {
  // A null prototype, so a key such as `__proto__` in observed config is just a key.
  const result = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(source)) {
    const value = toCelValue(source[key]);
    if (value !== undefined) result[key] = value;
  }
  return result;
}

/** JSON-ish values to CEL values: whole numbers are CEL ints (so `port + 1 == 5433` works), others doubles. */
function toCelValue(value: unknown): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'bigint':
      return value;
    case 'number':
      return Number.isSafeInteger(value) ? BigInt(value) : value;
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    default:
      if (value === null || value instanceof Date || value instanceof Uint8Array) return value;
      if (Array.isArray(value)) return value.map((item) => toCelValue(item) ?? null);
      if (value instanceof Map) return toCelMap(Object.fromEntries(value) as Record<string, unknown>);
      return toCelMap(value as Record<string, unknown>);
  }
}

function formatSubject(subject: SubjectRef): string {
  return `${subject.type}:${subject.name}`;
}
