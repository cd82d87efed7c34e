/**
 * Checks that need a profile after `extends`: the fields every profile must end up with, the provider's
 * required settings, each action's `grant`/`execute` against the provider it will run on, and break-glass
 * against the actions it names. Problems point at the document that wrote the offending part.
 */
import { parseDurationSeconds } from '../core/duration.js';
import type { Origin, ResolvedProfile } from './extends.resolve.js';
import type { PolicyProblem } from './problems.js';
import { ACTION_SHAPES, REQUIRED_PROVIDER_SETTINGS } from './provider-shapes.js';
import { formatPath, issueProblems } from './schema-issues.js';
import type { ActionSpec, ProfileSpec } from './schemas.js';
import type { Path } from './yaml-documents.js';

const REQUIRED_FIELDS: readonly (keyof ProfileSpec)[] = ['classification', 'environment', 'owners', 'provider'];

function at(origin: Origin, path: Path, message: string): PolicyProblem {
  return origin.doc.problem([...origin.path, ...path], message);
}

/** `{params.NAME}` placeholders of an exec argv must name a property of the action's `params` schema. */
function paramPlaceholderProblems(action: ActionSpec, origin: Origin, field: 'grant' | 'execute'): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  const properties = (action.params?.properties ?? {}) as Record<string, unknown>;
  const settings = action[field] ?? {};
  for (const argvKey of ['argv', 'revokeArgv']) {
    const argv = settings[argvKey];
    if (!Array.isArray(argv)) continue;
    for (const [i, element] of argv.entries()) {
      for (const [, name] of String(element).matchAll(/\{params\.([A-Za-z_][A-Za-z0-9_]*)\}/g)) {
        if (name !== undefined && Object.hasOwn(properties, name)) continue;
        const path = [...origin.path, field, argvKey, i];
        const message = `${formatPath(path)}: placeholder '{params.${name ?? ''}}' names no property of the action's params schema`;
        problems.push(origin.doc.problem(path, message));
      }
    }
  }
  return problems;
}

function checkActions(
  profile: ResolvedProfile,
  problems: PolicyProblem[],
  resolved: ReadonlyMap<string, ResolvedProfile>,
): void {
  const providerType = profile.spec.provider?.type;
  if (providerType === undefined) return;
  const shapes = ACTION_SHAPES[providerType];
  if (!shapes) return;
  for (const [name, action] of Object.entries(profile.spec.actions ?? {})) {
    const origin = profile.actionOrigins.get(name);
    if (!origin) continue;
    if (action.gateway !== undefined && providerType !== 'postgres') {
      const message = `'gateway' needs a postgres provider: the gateway speaks PostgreSQL (this profile's is ${providerType})`;
      problems.push(at(origin, ['gateway'], `${formatPath([...origin.path, 'gateway'])}: ${message}`));
    }
    const field = action.grant !== undefined ? 'grant' : 'execute';
    const settings = action.grant ?? action.execute;
    if (settings === undefined) continue;
    const parsed = shapes[field].safeParse(settings, { reportInput: true });
    if (parsed.success) {
      if (providerType === 'exec') problems.push(...paramPlaceholderProblems(action, origin, field));
      continue;
    }
    if (origin.profile === profile.name) {
      for (const problem of issueProblems(origin.doc, parsed.error.issues, [...origin.path, field])) {
        problems.push({ ...problem, message: `${problem.message} (provider '${providerType}')` });
      }
      continue;
    }
    // An inherited action is reported where it was written only if it fits the provider there; otherwise the
    // mismatch is this profile's doing (it changed the provider), so it is reported at this profile's provider.
    const originType = resolved.get(origin.profile)?.spec.provider?.type;
    if (originType === providerType) continue;
    const providerOrigin = profile.providerOrigins.get('type');
    const where = providerOrigin ?? { doc: profile.document.source, path: ['metadata', 'name'], profile: profile.name };
    problems.push(
      where.doc.problem(
        where.path.slice(0, -1),
        `profile '${profile.name}' inherits action '${name}' from '${origin.profile}', whose ${field} does not fit provider '${providerType}': redefine the action here`,
        { key: true },
      ),
    );
  }
}

const DEFAULT_PENDING_TIMEOUT_SECONDS = 24 * 3600;

/** Reminders come before escalation, and both before the request times out: otherwise nobody would hear them. */
function checkReminders(profile: ResolvedProfile, problems: PolicyProblem[]): void {
  const defaults = profile.spec.requestDefaults ?? {};
  for (const [name, action] of Object.entries(profile.spec.actions ?? {})) {
    const reminders = action.reminders ?? defaults.reminders;
    if (reminders === undefined) continue;
    const origin = profile.actionOrigins.get(name);
    if (!origin) continue;
    const timeout = action.pendingTimeout ?? defaults.pendingTimeout;
    const timeoutSeconds =
      (timeout === undefined ? undefined : parseDurationSeconds(timeout)) ?? DEFAULT_PENDING_TIMEOUT_SECONDS;
    const after = reminders.after === undefined ? undefined : parseDurationSeconds(reminders.after);
    const escalate = reminders.escalateAfter === undefined ? undefined : parseDurationSeconds(reminders.escalateAfter);
    const where = action.reminders !== undefined ? ['reminders'] : ['pendingTimeout'];
    const timeoutText = timeout ?? '24h (the default)';
    if (after !== undefined && after >= timeoutSeconds)
      problems.push(
        at(origin, where, `action '${name}': reminders.after must be shorter than pendingTimeout ${timeoutText}`),
      );
    if (escalate !== undefined && escalate >= timeoutSeconds)
      problems.push(
        at(
          origin,
          where,
          `action '${name}': reminders.escalateAfter must be shorter than pendingTimeout ${timeoutText}`,
        ),
      );
    if (after !== undefined && escalate !== undefined && after >= escalate)
      problems.push(
        at(origin, where, `action '${name}': reminders.after must be shorter than reminders.escalateAfter`),
      );
  }
}

function checkBreakGlass(profile: ResolvedProfile, problems: PolicyProblem[]): void {
  const breakGlass = profile.spec.breakGlass;
  const origin = profile.fieldOrigins.get('breakGlass');
  if (!breakGlass || !origin) return;
  const maxSeconds = parseDurationSeconds(breakGlass.maxDuration);
  for (const [i, name] of breakGlass.actions.entries()) {
    const action = profile.spec.actions?.[name];
    if (!action) {
      problems.push(
        at(origin, ['actions', i], `break-glass names action '${name}', which profile '${profile.name}' does not have`),
      );
      continue;
    }
    const actionSeconds = parseDurationSeconds(action.maxDuration);
    if (maxSeconds !== undefined && actionSeconds !== undefined && maxSeconds > actionSeconds) {
      problems.push(
        at(
          origin,
          ['maxDuration'],
          `break-glass maxDuration ${breakGlass.maxDuration} is longer than the maxDuration ${action.maxDuration} of action '${name}'`,
        ),
      );
    }
  }
}

/** Every problem of the resolved profiles that only shows once `extends` is merged. */
export function validateResolvedProfiles(profiles: ReadonlyMap<string, ResolvedProfile>): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  for (const profile of profiles.values()) {
    const source = profile.document.source;
    for (const field of REQUIRED_FIELDS) {
      if (profile.spec[field] === undefined) {
        const inherited = profile.spec.extends === undefined ? '' : ' (or inherit it through extends)';
        problems.push(
          source.problem(['spec'], `profile '${profile.name}' has no '${field}': set it${inherited}`, { key: true }),
        );
      }
    }
    const provider = profile.spec.provider as Record<string, unknown> | undefined;
    for (const setting of provider ? (REQUIRED_PROVIDER_SETTINGS[String(provider.type)] ?? []) : []) {
      if (provider?.[setting] !== undefined) continue;
      const origin = profile.providerOrigins.get('type');
      if (origin) {
        const message = `provider '${String(provider?.type)}' needs setting '${setting}'`;
        problems.push(origin.doc.problem(origin.path.slice(0, -1), message, { key: true }));
      }
    }
    checkActions(profile, problems, profiles);
    checkReminders(profile, problems);
    checkBreakGlass(profile, problems);
  }
  return problems;
}
