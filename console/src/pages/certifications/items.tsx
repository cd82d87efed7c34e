/**
 * A campaign's items for the reviewer: what each gives access to and who holds it, keep or revoke one at a
 * time, or select several (or all) and "Keep selected" / "Revoke selected". Items the viewer holds are not
 * offered to them (the server refuses a holder anyway); every other refusal is the server's, shown beside the
 * item it concerns. A revoke takes access away at once, so revoking asks for confirmation first.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState } from 'react';
import type { components } from '../../api/schema';
import { useSession } from '../../app/session';
import { ProblemMessage } from '../../ui/states';
import { Time } from '../../ui/time';
import { decideItems, teardownText, type BulkDecision, type Decision, type ItemOutcome } from './decide';

type Campaign = components['schemas']['CertificationCampaignDetail'];
type Item = Campaign['items'][number];

const KIND_WORDS: Record<Item['kind'], string> = {
  role_assignment: 'Role assignment',
  grant: 'Grant',
  break_glass: 'Break-glass use',
  high_risk_request: 'High-risk request',
};

const STATUS_TONE: Record<Item['status'], string> = {
  pending: 'badge warn',
  escalated: 'badge danger',
  kept: 'badge ok',
  revoked: 'badge',
};

function field(item: Item, key: string): string | undefined {
  const value = item.summary[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The item in one line: whose access to what. */
export function describeItem(item: Item): string {
  if (item.kind === 'role_assignment')
    return `role ${field(item, 'role') ?? item.role ?? '?'} for ${field(item, 'subject') ?? item.holders.join(', ')}`;
  const who = field(item, 'identity') ?? field(item, 'requester') ?? item.holders.join(', ');
  const what = field(item, 'action') ?? '?';
  const where = field(item, 'resource') ?? item.profile ?? '?';
  return `${who}: '${what}' on ${where}`;
}

export function CampaignItems({ campaign }: { campaign: Campaign }) {
  const session = useSession();
  const queryClient = useQueryClient();
  const [onlyMine, setOnlyMine] = useState(true);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [comment, setComment] = useState('');
  const [outcomes, setOutcomes] = useState<ReadonlyMap<string, ItemOutcome>>(new Map());
  const [last, setLast] = useState<BulkDecision | undefined>(undefined);
  const confirmRef = useRef<HTMLDialogElement>(null);
  const revokeButton = useRef<HTMLButtonElement>(null);
  const ids = useId();

  const reviewable = (item: Item) =>
    campaign.status === 'open' &&
    (item.status === 'pending' || item.status === 'escalated') &&
    !item.holders.includes(session.identity);
  const shown = campaign.items.filter((item) => !onlyMine || reviewable(item));
  const selectable = shown.filter(reviewable).map((item) => item.id);
  // Only what is still reviewable counts: items decided meanwhile (here or by another reviewer) drop out.
  const chosen = selectable.filter((id) => selected.has(id));

  const decide = useMutation({
    mutationFn: ({ itemIds, decision }: { itemIds: readonly string[]; decision: Decision }) =>
      decideItems(campaign.id, itemIds, decision, comment.trim() === '' ? undefined : comment.trim()),
    onSuccess: (result) => {
      setLast(result);
      setOutcomes((previous) => {
        const next = new Map(previous);
        for (const outcome of result.outcomes) next.set(outcome.itemId, outcome);
        return next;
      });
      if (result.outcomes.every((outcome) => outcome.ok)) setComment('');
    },
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ['certification', campaign.id] }),
        queryClient.invalidateQueries({ queryKey: ['certifications'] }),
      ]),
  });
  const run = (itemIds: readonly string[], decision: Decision) => decide.mutate({ itemIds, decision });

  const allChosen = selectable.length > 0 && chosen.length === selectable.length;
  const toggleAll = () => setSelected(allChosen ? new Set() : new Set(selectable));
  const toggle = (id: string) =>
    setSelected((previous) => {
      const next = new Set(previous);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <section className="card" aria-labelledby={`${ids}-items`}>
      <h2 id={`${ids}-items`}>Items</h2>
      <div className="filters">
        <label>
          Show
          <select value={onlyMine ? 'mine' : 'all'} onChange={(event) => setOnlyMine(event.target.value === 'mine')}>
            <option value="mine">Items I can review</option>
            <option value="all">All items</option>
          </select>
        </label>
        {campaign.status === 'open' && (
          <label className="grow">
            Comment for the decisions (optional)
            <input value={comment} maxLength={2000} onChange={(event) => setComment(event.target.value)} />
          </label>
        )}
      </div>
      {campaign.status === 'open' && (
        <div className="actions bulk-actions" role="group" aria-label="Decide the selected items">
          <span aria-live="polite">
            {chosen.length} of {selectable.length} selected
          </span>
          <button
            type="button"
            className="button primary"
            disabled={chosen.length === 0 || decide.isPending}
            onClick={() => run(chosen, 'keep')}
          >
            Keep selected
          </button>
          <button
            ref={revokeButton}
            type="button"
            className="button danger"
            disabled={chosen.length === 0 || decide.isPending}
            onClick={() => confirmRef.current?.showModal()}
          >
            Revoke selected
          </button>
          {decide.isPending && <span role="status">Deciding…</span>}
        </div>
      )}
      {last !== undefined && <BulkReport result={last} items={campaign.items} />}
      {shown.length === 0 ? (
        <p className="state state-empty">
          {onlyMine ? 'Nothing left for you to review in this campaign.' : 'This campaign has no items.'}
        </p>
      ) : (
        <div className="table-wrap">
          <table data-testid="certification-items">
            <thead>
              <tr>
                <th scope="col">
                  {selectable.length > 0 ? (
                    <label className="check">
                      <input type="checkbox" checked={allChosen} onChange={toggleAll} />
                      <span>Select all</span>
                    </label>
                  ) : (
                    <span className="visually-hidden">Selection</span>
                  )}
                </th>
                <th scope="col">Access</th>
                <th scope="col">Holders</th>
                <th scope="col">Status</th>
                <th scope="col">Decision</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((item) => (
                <ItemRow
                  key={item.id}
                  item={item}
                  reviewable={reviewable(item)}
                  mine={item.holders.includes(session.identity)}
                  selected={selected.has(item.id)}
                  outcome={outcomes.get(item.id)}
                  busy={decide.isPending}
                  onToggle={() => toggle(item.id)}
                  onDecide={(decision) => run([item.id], decision)}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <dialog
        ref={confirmRef}
        className="confirm-dialog"
        aria-labelledby={`${ids}-confirm`}
        onClose={() => revokeButton.current?.focus()}
      >
        <form
          method="dialog"
          className="form"
          onSubmit={() => {
            run(chosen, 'revoke');
          }}
        >
          <h2 id={`${ids}-confirm`}>Revoke {chosen.length === 1 ? 'one item' : `${chosen.length} items`}?</h2>
          <p>Revoking takes the access away at once: grants are torn down, role assignments removed.</p>
          <ul>
            {campaign.items
              .filter((item) => chosen.includes(item.id))
              .map((item) => (
                <li key={item.id}>{describeItem(item)}</li>
              ))}
          </ul>
          <div className="actions">
            <button type="submit" className="button danger">
              Revoke
            </button>
            <button type="button" className="button secondary" onClick={() => confirmRef.current?.close()}>
              Cancel
            </button>
          </div>
        </form>
      </dialog>
    </section>
  );
}

function ItemRow(props: {
  item: Item;
  reviewable: boolean;
  mine: boolean;
  selected: boolean;
  outcome: ItemOutcome | undefined;
  busy: boolean;
  onToggle: () => void;
  onDecide: (decision: Decision) => void;
}) {
  const { item, outcome } = props;
  const describe = describeItem(item);
  const justification = field(item, 'justification');
  return (
    <tr data-item-id={item.id}>
      <td>
        {props.reviewable && (
          <input type="checkbox" checked={props.selected} onChange={props.onToggle} aria-label={`Select ${describe}`} />
        )}
      </td>
      <td>
        <strong>{KIND_WORDS[item.kind]}</strong>: {describe}
        {justification !== undefined && <div className="muted">Justification: {justification}</div>}
      </td>
      <td>{item.holders.join(', ') || '—'}</td>
      <td>
        <span className={STATUS_TONE[item.status]}>{item.status}</span>
        {item.decidedAt !== null && (
          <div className="muted">
            by {item.decidedBy ?? '?'} <Time iso={item.decidedAt} />
          </div>
        )}
        {item.comment !== null && <div className="muted">“{item.comment}”</div>}
      </td>
      <td>
        {props.reviewable ? (
          <div className="actions">
            <button
              type="button"
              className="button secondary"
              disabled={props.busy}
              aria-label={`Keep ${describe}`}
              onClick={() => props.onDecide('keep')}
            >
              Keep
            </button>
            <button
              type="button"
              className="button danger"
              disabled={props.busy}
              aria-label={`Revoke ${describe}`}
              onClick={() => props.onDecide('revoke')}
            >
              Revoke
            </button>
          </div>
        ) : props.mine && (item.status === 'pending' || item.status === 'escalated') ? (
          <span className="muted">You hold this access: someone else reviews it.</span>
        ) : null}
        {outcome !== undefined && !outcome.ok && <ProblemMessage error={outcome.error} />}
        {outcome?.ok === true && teardownText(outcome.teardown) !== undefined && (
          <p className="notice">{teardownText(outcome.teardown)}</p>
        )}
      </td>
    </tr>
  );
}

/** What the last decision did: how many succeeded, and each refusal with the item it concerns. */
function BulkReport({ result, items }: { result: BulkDecision; items: readonly Item[] }) {
  const done = result.outcomes.filter((outcome) => outcome.ok).length;
  const failed = result.outcomes.filter((outcome) => !outcome.ok);
  const verb = result.decision === 'keep' ? 'Kept' : 'Revoked';
  return (
    <div className={failed.length === 0 ? 'success' : 'notice'} role="status" data-testid="bulk-report">
      <p>
        {verb} {done} of {result.outcomes.length} {result.outcomes.length === 1 ? 'item' : 'items'}
        {failed.length > 0 ? `; ${failed.length} refused:` : '.'}
      </p>
      {failed.length > 0 && (
        <ul>
          {failed.map((outcome) => {
            const item = items.find((candidate) => candidate.id === outcome.itemId);
            return (
              <li key={outcome.itemId}>
                {item === undefined ? outcome.itemId : describeItem(item)}
                {!outcome.ok && <ProblemMessage error={outcome.error} />}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
