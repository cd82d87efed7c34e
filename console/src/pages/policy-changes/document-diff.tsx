/**
 * What a policy change does to each document, as the server computed it (`diff` of `PolicyChangeDetail`): per
 * document whether it is added, removed or modified, and its line diff with a little context. Added and removed
 * lines are marked by a sign column (+ / −) and words for screen readers, not only by colour; a run of
 * unchanged lines the server left out reads "N unchanged lines".
 */
import type { components } from '../../api/schema';

type DocumentDiff = components['schemas']['PolicyDocumentDiff'];
type DiffLine = DocumentDiff['lines'][number];

/** Lines drawn per document at most; a longer diff says how many it leaves out (the documents are below). */
const MAX_LINES_SHOWN = 3000;

const CHANGE: Record<DocumentDiff['change'], readonly [string, string]> = {
  added: ['Added', 'badge ok'],
  removed: ['Removed', 'badge danger'],
  modified: ['Modified', 'badge warn'],
};

const LINE: Record<DiffLine['op'], readonly [string, string, string]> = {
  '+': ['+', 'added', 'diff-add'],
  '-': ['−', 'removed', 'diff-del'],
  ' ': ['', 'unchanged', 'diff-same'],
};

function Line({ line }: { line: DiffLine }) {
  if (line.skipped !== undefined) {
    return (
      <tr className="diff-skip">
        <td colSpan={2}>
          ⋯ {line.skipped} unchanged line{line.skipped === 1 ? '' : 's'}
        </td>
      </tr>
    );
  }
  const [sign, words, className] = LINE[line.op];
  return (
    <tr className={className}>
      <td className="diff-sign">
        <span aria-hidden="true">{sign}</span>
        <span className="visually-hidden">{words}</span>
      </td>
      <td className="diff-text">{line.text === '' ? '\u00a0' : line.text}</td>
    </tr>
  );
}

function Document({ diff }: { diff: DocumentDiff }) {
  const [label, badge] = CHANGE[diff.change];
  const shown = diff.lines.slice(0, MAX_LINES_SHOWN);
  const added = diff.lines.filter((l) => l.op === '+' && l.skipped === undefined).length;
  const removed = diff.lines.filter((l) => l.op === '-' && l.skipped === undefined).length;
  return (
    <section className="card diff-document" data-testid="policy-document-diff">
      <h3>
        <code>{diff.document}</code> <span className={badge}>{label}</span>
      </h3>
      <p className="help">
        {added} line{added === 1 ? '' : 's'} added, {removed} removed.
      </p>
      <div className="table-wrap">
        <table className="diff">
          <thead className="visually-hidden">
            <tr>
              <th scope="col">Change</th>
              <th scope="col">Line</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((line, i) => (
              <Line key={i} line={line} />
            ))}
          </tbody>
        </table>
      </div>
      {diff.lines.length > shown.length && (
        <p className="notice">
          {diff.lines.length - shown.length} more diff lines are not drawn here; the whole documents are below.
        </p>
      )}
    </section>
  );
}

export function DocumentDiffs({ diffs }: { diffs: readonly DocumentDiff[] }) {
  return (
    <section aria-labelledby="change-diff-heading">
      <h2 id="change-diff-heading">What changes</h2>
      {diffs.length === 0 ? (
        <p className="muted">No document differs from the policy this change was planned on.</p>
      ) : (
        <>
          <p className="help">
            {diffs.length === 1 ? '1 document differs' : `${diffs.length} documents differ`} from the policy this change
            was planned on. Lines marked + are added, lines marked − are removed.
          </p>
          {diffs.map((diff) => (
            <Document key={diff.document} diff={diff} />
          ))}
        </>
      )}
    </section>
  );
}
