/**
 * Checks across `ContextSource` documents: one ticket source at most (CEL's `ticket` must mean one thing),
 * and one environment variable is the credential of one service only, so that a token meant for one service is
 * never sent to another by a copy-paste slip.
 */
import type { DocumentIndex } from './policy-documents.js';
import type { PolicyProblem } from './problems.js';

export function validateContextSources(index: DocumentIndex): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  let ticketSource: string | undefined;
  const tokenOwners = new Map<string, { name: string; origin: string }>();
  for (const { name, spec, source } of index.byKind.ContextSource.values()) {
    if (spec.type === 'jira' && spec.tickets === true) {
      if (ticketSource !== undefined) {
        const message = `only one ContextSource may answer 'ticket': '${ticketSource}' already has 'tickets: true'`;
        problems.push(source.problem(['spec', 'tickets'], message));
      } else ticketSource = name;
    }
    if (spec.tokenEnv === undefined) continue;
    const origin = new URL(spec.baseUrl).origin;
    const owner = tokenOwners.get(spec.tokenEnv);
    if (owner !== undefined && owner.origin !== origin) {
      const message = `tokenEnv '${spec.tokenEnv}' is already the credential of '${owner.name}' (${owner.origin}): a credential is sent to one service only`;
      problems.push(source.problem(['spec', 'tokenEnv'], message));
    } else if (owner === undefined) tokenOwners.set(spec.tokenEnv, { name, origin });
  }
  return problems;
}
