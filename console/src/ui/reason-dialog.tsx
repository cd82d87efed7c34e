/**
 * A button that opens a native modal `<dialog>` asking for a reason (or comment) before a consequential action:
 * the browser traps focus inside and Escape closes it; focus returns to the button afterwards. The action's own
 * refusal (the server's problem+json) is shown inside the dialog, which stays open so the user can read it.
 */
import { useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { ProblemMessage } from './states';

export function ReasonDialog({
  label,
  title,
  confirmLabel,
  reasonLabel = 'Reason',
  required = false,
  danger = false,
  pending,
  error,
  onConfirm,
  children,
}: {
  /** The opening button's name. */
  label: string;
  title: string;
  confirmLabel: string;
  reasonLabel?: string;
  required?: boolean;
  danger?: boolean;
  pending: boolean;
  error: unknown;
  /** Resolves true when the action succeeded (the dialog then closes). */
  onConfirm: (reason: string | undefined) => Promise<boolean>;
  children?: ReactNode;
}) {
  const id = useId();
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const [reason, setReason] = useState('');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const text = reason.trim();
    if (required && text === '') return;
    if (await onConfirm(text === '' ? undefined : text)) {
      setReason('');
      dialog.current?.close();
    }
  };
  return (
    <>
      <button
        ref={opener}
        type="button"
        className={danger ? 'button danger' : 'button secondary'}
        onClick={() => dialog.current?.showModal()}
      >
        {label}
      </button>
      <dialog ref={dialog} className="dialog" aria-labelledby={`${id}-title`} onClose={() => opener.current?.focus()}>
        <form className="form" onSubmit={(event) => void submit(event)}>
          <h2 id={`${id}-title`}>{title}</h2>
          {children}
          <label htmlFor={`${id}-reason`}>
            {reasonLabel} {required ? <span className="required-mark">(required)</span> : '(optional)'}
          </label>
          <textarea
            id={`${id}-reason`}
            rows={3}
            maxLength={2000}
            required={required}
            value={reason}
            onChange={(event) => setReason(event.target.value)}
          />
          {error !== null && error !== undefined && <ProblemMessage error={error} />}
          <div className="actions">
            <button
              type="submit"
              className={danger ? 'button danger' : 'button primary'}
              disabled={pending || (required && reason.trim() === '')}
            >
              {confirmLabel}
            </button>
            <button type="button" className="button secondary" onClick={() => dialog.current?.close()}>
              Close
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}
