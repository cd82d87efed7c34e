/**
 * A native modal `<dialog>` asking for a reason before a refusal-like action (reject, withdraw): the reason is
 * required, Escape or "Cancel" closes it, and focus goes back to the button that opened it. The server's answer,
 * if it refuses, is shown inside the dialog so the reason typed is not lost.
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { ProblemMessage } from '../../ui/states';

export function ReasonDialog({
  open,
  title,
  help,
  submitLabel,
  pending,
  error,
  onSubmit,
  onClose,
}: {
  open: boolean;
  title: string;
  help: string;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (reason: string) => void;
  onClose: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<Element | null>(null);
  const [reason, setReason] = useState('');
  const id = useId();

  useEffect(() => {
    const element = dialog.current;
    if (element === null) return;
    if (open && !element.open) {
      opener.current = document.activeElement;
      setReason('');
      element.showModal();
    } else if (!open && element.open) {
      element.close();
    }
  }, [open]);

  const closed = () => {
    // The opener may be gone (the action it offered no longer applies): then the page's main landmark.
    if (opener.current instanceof HTMLElement && opener.current.isConnected) opener.current.focus();
    else document.getElementById('main')?.focus();
    onClose();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (reason.trim() !== '') onSubmit(reason.trim());
  };

  return (
    <dialog ref={dialog} className="reason-dialog" aria-labelledby={`${id}-title`} onClose={closed}>
      <form className="form" onSubmit={submit}>
        <h2 id={`${id}-title`}>{title}</h2>
        <label htmlFor={`${id}-reason`}>Reason</label>
        <textarea
          id={`${id}-reason`}
          rows={4}
          maxLength={4000}
          required
          value={reason}
          aria-describedby={`${id}-help`}
          onChange={(event) => setReason(event.target.value)}
        />
        <p id={`${id}-help`} className="help">
          {help}
        </p>
        {error !== null && error !== undefined && <ProblemMessage error={error} />}
        <div className="actions">
          <button type="submit" className="button danger" disabled={pending || reason.trim() === ''}>
            {submitLabel}
          </button>
          <button type="button" className="button secondary" onClick={() => dialog.current?.close()}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}
