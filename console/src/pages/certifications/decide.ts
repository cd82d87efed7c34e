/**
 * Deciding certification items, one API call per item (`POST /v1/certifications/{id}/items/{itemId}/decide`):
 * the server judges each one on its own (SoD, duty, already decided), so a bulk decision is a series of single
 * ones whose outcomes are reported per item; one refusal does not stop the others.
 */
import { api, data } from '../../api/client';
import type { components } from '../../api/schema';

type Teardown = components['schemas']['CertificationTeardown'];

export type Decision = 'keep' | 'revoke';

export type ItemOutcome =
  | { readonly itemId: string; readonly ok: true; readonly teardown?: Teardown }
  | { readonly itemId: string; readonly ok: false; readonly error: unknown };

export interface BulkDecision {
  readonly decision: Decision;
  readonly outcomes: readonly ItemOutcome[];
}

/** Decides each item in turn (in order, so the audit log reads as the reviewer acted) and reports each. */
export async function decideItems(
  campaignId: string,
  itemIds: readonly string[],
  decision: Decision,
  comment: string | undefined,
): Promise<BulkDecision> {
  const outcomes: ItemOutcome[] = [];
  for (const itemId of itemIds) {
    try {
      const answer = data(
        await api.POST('/v1/certifications/{id}/items/{itemId}/decide', {
          params: { path: { id: campaignId, itemId } },
          body: comment === undefined ? { decision } : { decision, comment },
        }),
      );
      outcomes.push(
        answer.teardown === undefined ? { itemId, ok: true } : { itemId, ok: true, teardown: answer.teardown },
      );
    } catch (error) {
      outcomes.push({ itemId, ok: false, error });
    }
  }
  return { decision, outcomes };
}

/** What a revoke's teardown did, in words, when it needs saying (it did not finish at once). */
export function teardownText(teardown: Teardown | undefined): string | undefined {
  if (teardown === undefined) return undefined;
  if (teardown.outcome === 'revoke_failed')
    return `the access could not be removed yet (attempt ${teardown.attempts}); it is retried automatically`;
  if (teardown.outcome === 'in_progress') return 'the access is being removed';
  return undefined;
}
