/**
 * The one-time credential an activation (or break-glass) answers. It lives only in the state of the component that
 * received it: never in the query cache, the URL or browser storage, so it is gone when the page is left. The Copy
 * button puts each value on the clipboard (navigator.clipboard) and says whether that worked.
 */
import { useState } from 'react';

function CopyButton({ label, value }: { label: string; value: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setState('copied');
    } catch {
      setState('failed');
    }
  };
  return (
    <>
      <button type="button" className="button secondary" onClick={() => void copy()} aria-label={`Copy ${label}`}>
        Copy
      </button>
      <span role="status" className="muted">
        {state === 'copied' ? ' Copied.' : state === 'failed' ? ' The browser refused; select and copy it.' : ''}
      </span>
    </>
  );
}

export function OneTimeCredential({
  credential,
  onDismiss,
}: {
  credential: Readonly<Record<string, string>> | undefined;
  onDismiss: () => void;
}) {
  const entries = Object.entries(credential ?? {});
  return (
    <section className="card credential" aria-labelledby="credential-heading" data-testid="one-time-credential">
      <h2 id="credential-heading">Your access is active</h2>
      {entries.length === 0 ? (
        <p>The provider issued no credential: use your own identity on the resource.</p>
      ) : (
        <>
          <p className="notice">
            <strong>Shown once.</strong> Copy it now: Countersign does not keep it and cannot show it again. It is gone
            when you leave this page.
          </p>
          <dl className="facts">
            {entries.map(([name, value]) => (
              <div key={name} className="credential-entry">
                <dt>{name}</dt>
                <dd>
                  <pre className="secret">{value}</pre>
                  <CopyButton label={name} value={value} />
                </dd>
              </div>
            ))}
          </dl>
        </>
      )}
      <div className="actions">
        <button type="button" className="button secondary" onClick={onDismiss}>
          I have saved it, hide it
        </button>
      </div>
    </section>
  );
}
