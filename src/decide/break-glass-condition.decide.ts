/**
 * A profile's `breakGlass.when` (docs/policy.md): a CEL condition break-glass needs besides the `allowed` list,
 * such as `context.oncall.contains(requester.id)`. Fail closed: a condition that reads an unknown context source
 * or the state of a resource never observed, that cannot be evaluated, or that is false refuses break-glass.
 * Pure.
 */
import { reason, type Reason } from '../core/decision.js';
import { evaluationErrorMessage } from '../policy/cel.js';
import type { ContextValues } from '../policy/context-sources.js';
import type { CelVariables, ResourceProfile } from '../policy/model.js';
import { describeUnknown, unknownSourcesRead } from './context.decide.js';

export interface ConditionCheck {
  readonly problems: readonly Reason[];
  readonly reasons: readonly Reason[];
}

const MAX_ERROR_LENGTH = 300;

/** Does break-glass on `profile` meet its `when`? No condition: nothing to check. */
export function checkBreakGlassCondition(
  profile: Pick<ResourceProfile, 'name' | 'breakGlass'>,
  variables: () => CelVariables,
  observation: { readonly resource: string; readonly observed: boolean },
  context: ContextValues | undefined,
): ConditionCheck {
  const when = profile.breakGlass?.when;
  if (when === undefined) return { problems: [], reasons: [] };
  const refused = (code: 'break_glass.condition_unknown' | 'break_glass.condition_not_met', message: string) => ({
    problems: [reason(code, message)],
    reasons: [],
  });
  const unknown = unknownSourcesRead(when, context);
  if (unknown.length > 0) {
    const message = `break-glass on profile '${profile.name}' needs ${when.source}, which cannot be decided: ${describeUnknown(unknown)} (fail closed)`;
    return refused('break_glass.condition_unknown', message);
  }
  if (when.readsObservedState && !observation.observed) {
    const message = `break-glass on profile '${profile.name}' needs ${when.source}, which reads the state of '${observation.resource}', never observed (fail closed)`;
    return refused('break_glass.condition_unknown', message);
  }
  let value: unknown;
  try {
    value = when.evaluate(variables());
  } catch (error) {
    const detail = evaluationErrorMessage(error).slice(0, MAX_ERROR_LENGTH);
    return refused('break_glass.condition_unknown', `the break-glass condition could not be evaluated: ${detail}`);
  }
  if (value !== true) {
    return refused('break_glass.condition_not_met', `break-glass on profile '${profile.name}' needs ${when.source}`);
  }
  const message = `break-glass condition holds: ${when.source}`;
  return { problems: [], reasons: [reason('break_glass.condition_met', message)] };
}
