/**
 * The variables of an action's gateway rules: `statement` (what the classifier found in one SQL statement) with
 * the `requester`, `resource`, `profile` and `now` of the session, built like every other CEL variable
 * (`buildCelVariables`). Pure: the caller passes the time.
 */
import { NO_DRIFT, type ResourceState } from '../core/domain.js';
import { buildCelVariables } from './cel-variables.js';
import { CelStatement, CelStatementCopy } from './gateway-cel-types.js';
import type { CelVariables, Identity, Resource, ResourceProfile } from './model.js';

/** What the classifier knows about a statement, as CEL sees it (`StatementFacts` is one). */
export interface StatementCelInput {
  readonly kind: string;
  readonly command: string;
  readonly readOnly: boolean;
  readonly tables: readonly string[];
  readonly schemas: readonly string[];
  readonly functions: readonly string[];
  readonly settings?: readonly string[];
  readonly copy?: { readonly direction: 'from' | 'to'; readonly program: boolean; readonly file: boolean };
  readonly fingerprint: string;
}

/** Who sends the statements of a session, to what, and when this statement is decided. */
export interface GatewayCelContext {
  readonly requester: Identity;
  readonly resource: Resource;
  readonly profile: Pick<ResourceProfile, 'name' | 'classification' | 'environment'>;
  /** The resource's last observation; a resource never observed has an unknown `resource.config`. */
  readonly state?: ResourceState;
  /** Epoch milliseconds: the statement's time, becomes `now`. */
  readonly now: number;
}

const NOT_COPY = new CelStatementCopy('', false, false);
const UNOBSERVED: ResourceState = { drift: NO_DRIFT };

export function buildGatewayCelVariables(statement: StatementCelInput, context: GatewayCelContext): CelVariables {
  const copy = statement.copy
    ? new CelStatementCopy(statement.copy.direction, statement.copy.program, statement.copy.file)
    : NOT_COPY;
  return {
    ...buildCelVariables({
      requester: context.requester,
      resource: context.resource,
      profile: context.profile,
      state: context.state ?? UNOBSERVED,
      now: context.now,
    }),
    statement: new CelStatement(
      statement.kind,
      statement.command,
      statement.readOnly,
      statement.tables,
      statement.schemas,
      statement.functions,
      statement.settings ?? [],
      copy,
      statement.fingerprint,
    ),
  };
}
