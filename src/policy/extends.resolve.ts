/**
 * Profile inheritance (docs/policy.md "How extends merges"): each profile is laid over its resolved base, and
 * every part of the result remembers the document it was written in, so that later checks report inherited
 * defects where they were written.
 */
import type { PolicyDocument } from './policy-documents.js';
import type { PolicyProblem } from './problems.js';
import type { ActionSpec, BaselineCheckSpec, ProfileSpec } from './schemas.js';
import type { Path, SourceDocument } from './yaml-documents.js';

/** Where a part of a resolved profile was written: the document, the path inside it, and its profile's name. */
export interface Origin {
  readonly doc: SourceDocument;
  readonly path: Path;
  readonly profile: string;
}

export type ProviderSpec = NonNullable<ProfileSpec['provider']>;

/** A profile after `extends`: the merged spec as written (durations still strings) and where each part came from. */
export interface ResolvedProfile {
  readonly name: string;
  readonly document: PolicyDocument<'ResourceProfile'>;
  readonly spec: ProfileSpec;
  /** Top-level fields that were set somewhere in the chain, by the most derived profile that set them. */
  readonly fieldOrigins: ReadonlyMap<keyof ProfileSpec, Origin>;
  /** Provider settings keys (and `type`) by the profile that set them. */
  readonly providerOrigins: ReadonlyMap<string, Origin>;
  readonly baselineOrigins: ReadonlyMap<string, Origin>;
  readonly actionOrigins: ReadonlyMap<string, Origin>;
}

/** What the most derived document says and which base it stands on; `overlay` applies the merge rules. */
function overlay(base: ResolvedProfile | undefined, document: PolicyDocument<'ResourceProfile'>): ResolvedProfile {
  const own = document.spec;
  const origin = (path: Path): Origin => ({ doc: document.source, path, profile: document.name });
  const fieldOrigins = new Map(base?.fieldOrigins ?? []);
  const spec: Record<string, unknown> = { ...(base?.spec ?? {}) };
  for (const [field, value] of Object.entries(own) as [keyof ProfileSpec, unknown][]) {
    if (value === undefined) continue;
    fieldOrigins.set(field, origin(['spec', field]));
    spec[field] = value;
  }
  if (own.extends === undefined) delete spec.extends;

  // Profile labels: metadata labels, then spec labels, laid key by key over the base's.
  const ownLabels = { ...(document.metadata.labels ?? {}), ...(own.labels ?? {}) };
  const labels = { ...(base?.spec.labels ?? {}), ...ownLabels };
  if (Object.keys(labels).length > 0) spec.labels = labels;
  if (own.requestDefaults !== undefined)
    spec.requestDefaults = { ...(base?.spec.requestDefaults ?? {}), ...own.requestDefaults };

  const providerOrigins = new Map(base?.providerOrigins ?? []);
  if (own.provider !== undefined) {
    const baseProvider = base?.spec.provider;
    if (baseProvider === undefined || baseProvider.type !== own.provider.type) providerOrigins.clear();
    spec.provider =
      baseProvider !== undefined && baseProvider.type === own.provider.type
        ? { ...baseProvider, ...own.provider }
        : own.provider;
    for (const key of Object.keys(own.provider)) providerOrigins.set(key, origin(['spec', 'provider', key]));
  }

  const baselineOrigins = new Map(base?.baselineOrigins ?? []);
  if (own.baseline !== undefined) {
    const checks: BaselineCheckSpec[] = [...(base?.spec.baseline ?? [])];
    for (const [i, check] of own.baseline.entries()) {
      const at = checks.findIndex((existing) => existing.name === check.name);
      if (at >= 0) checks[at] = check;
      else checks.push(check);
      baselineOrigins.set(check.name, origin(['spec', 'baseline', i]));
    }
    spec.baseline = checks;
  }

  const actionOrigins = new Map(base?.actionOrigins ?? []);
  if (own.actions !== undefined) {
    const actions: Record<string, ActionSpec> = { ...(base?.spec.actions ?? {}) };
    for (const [name, action] of Object.entries(own.actions)) {
      actions[name] = action;
      actionOrigins.set(name, origin(['spec', 'actions', name]));
    }
    spec.actions = actions;
  }

  return {
    name: document.name,
    document,
    spec: spec as ProfileSpec,
    fieldOrigins,
    providerOrigins,
    baselineOrigins,
    actionOrigins,
  };
}

/**
 * Resolves every profile's `extends` chain. A missing base or a cycle is a problem at the `extends` that causes
 * it; a profile whose base is itself invalid is left out without a further problem (the base reports its own).
 */
export function resolveProfiles(
  documents: ReadonlyMap<string, PolicyDocument<'ResourceProfile'>>,
  knownNames: ReadonlySet<string>,
): { profiles: Map<string, ResolvedProfile>; problems: PolicyProblem[] } {
  const problems: PolicyProblem[] = [];
  const resolved = new Map<string, ResolvedProfile>();
  const failed = new Set<string>();

  const resolve = (name: string, chain: readonly string[]): ResolvedProfile | undefined => {
    const done = resolved.get(name);
    if (done) return done;
    if (failed.has(name)) return undefined;
    const document = documents.get(name);
    if (!document) return undefined;
    const baseName = document.spec.extends;
    let base: ResolvedProfile | undefined;
    if (baseName !== undefined) {
      const cycleStart = [...chain, name].indexOf(baseName);
      if (cycleStart >= 0) {
        const cycle = [...chain, name].slice(cycleStart);
        for (const member of cycle) {
          failed.add(member);
          const memberDocument = documents.get(member);
          const path = [...cycle.slice(cycle.indexOf(member)), ...cycle.slice(0, cycle.indexOf(member)), member];
          if (memberDocument) {
            problems.push(
              memberDocument.source.problem(
                ['spec', 'extends'],
                `profile '${member}' extends itself: ${path.join(' → ')}`,
              ),
            );
          }
        }
        return undefined;
      }
      if (!documents.has(baseName)) {
        failed.add(name);
        if (!knownNames.has(baseName)) {
          problems.push(
            document.source.problem(['spec', 'extends'], `profile '${name}' extends unknown profile '${baseName}'`),
          );
        }
        return undefined;
      }
      base = resolve(baseName, [...chain, name]);
      if (!base) {
        failed.add(name);
        return undefined;
      }
    }
    if (failed.has(name)) return undefined;
    const profile = overlay(base, document);
    resolved.set(name, profile);
    return profile;
  };

  for (const name of documents.keys()) resolve(name, []);
  return { profiles: resolved, problems };
}
