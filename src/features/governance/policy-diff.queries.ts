/**
 * The readable diff of a policy change: its documents against those of the policy load it was planned on, each
 * document compared as canonical YAML (`policy/document-diff.ts`). A change set planned on a policy whose
 * documents were never stored (a load made in a test, or none yet) shows every document as added.
 */
import type { Transaction } from 'kysely';
import { canonicalDocuments, diffDocuments } from '../../policy/document-diff.js';
import { fromJsonText } from '../../store/columns.js';
import type { Schema } from '../../store/schema.js';
import type { PolicyDocumentDiffView } from './policy-change.view.js';

type PolicyFiles = readonly { readonly path: string; readonly text: string }[];

/** The documents of the latest load of the policy with this hash (the newest load when `null`); none if none. */
async function loadedDocuments(trx: Transaction<Schema>, policyHash: string | null): Promise<PolicyFiles> {
  let query = trx.selectFrom('policy_loads').select('documents');
  if (policyHash !== null) query = query.where('policy_hash', '=', policyHash);
  const row = await query.orderBy('loaded_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
  return row === undefined ? [] : fromJsonText<{ path: string; text: string }[]>(row.documents);
}

/** Per document, what `proposed` changes against the policy with hash `basePolicyHash`. */
export async function policyDocumentDiff(
  trx: Transaction<Schema>,
  basePolicyHash: string | null,
  proposed: PolicyFiles,
): Promise<PolicyDocumentDiffView[]> {
  const base = await loadedDocuments(trx, basePolicyHash);
  return diffDocuments(canonicalDocuments(base), canonicalDocuments(proposed));
}
