/** Which policy a starting server puts in force (`establishPolicy`), and the empty policy it starts from. */
import { resolve } from 'node:path';
import type { AppContext } from '../app/context.js';
import type { StorePolicyRuntime } from '../app/policy-runtime.js';
import { AppError } from '../core/errors.js';
import { loadPolicy, restorePolicy } from '../features/governance/index.js';
import { parsePolicySources } from '../policy/load.js';
import { SYSTEM_OPERATOR, type PolicySet } from '../policy/model.js';
import { readPolicyDirectory } from '../policy/policy-files.js';
import { formatProblem } from '../policy/problems.js';
import type { Database } from '../store/database.js';
import { BUNDLED_EXAMPLE_POLICY } from './serve-config.js';

/**
 * Puts a policy in force: the directory given (validated, loaded as an audited change), else the last policy
 * loaded into this database, else the example policy shipped with Countersign.
 */
export async function establishPolicy(
  app: AppContext,
  runtime: StorePolicyRuntime,
  database: Database,
  policyDir: string | undefined,
): Promise<{ source: string; isBundledExample: boolean }> {
  if (policyDir === undefined) {
    const restored = await restorePolicy(database);
    if (restored) {
      runtime.replace(restored.policy);
      const isBundledExample = restored.location === BUNDLED_EXAMPLE_POLICY;
      return { source: `${restored.location ?? 'a change set'} (restored from the database)`, isBundledExample };
    }
  }
  const dir = policyDir ?? BUNDLED_EXAMPLE_POLICY;
  const read = await readPolicyDirectory(dir);
  const loaded = read.problems.length === 0 ? parsePolicySources(read.sources) : { problems: read.problems };
  if (!('policy' in loaded) || loaded.policy === undefined) {
    const problems = loaded.problems.map(formatProblem);
    throw new AppError('invalid', `the policy in '${dir}' has problems:\n  ${problems.join('\n  ')}`, { problems });
  }
  const location = resolve(dir);
  await loadPolicy({
    app,
    actor: SYSTEM_OPERATOR,
    input: { policy: loaded.policy, documents: read.sources, location },
  });
  return { source: location, isBundledExample: location === BUNDLED_EXAMPLE_POLICY };
}

export function emptyPolicy(): PolicySet {
  return {
    identities: new Map(),
    groups: new Map(),
    roles: new Map(),
    assignments: [],
    sodRules: [],
    profiles: new Map(),
    resources: new Map(),
    notifiers: new Map(),
    contextSources: new Map(),
  };
}
