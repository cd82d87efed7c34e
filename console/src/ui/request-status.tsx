/**
 * A request's or grant's status as a badge: the word itself is always written (never colour alone), the colour
 * only repeats it — green for access that holds, amber for something waiting, red for an ending that went wrong.
 */
const TONES: Readonly<Record<string, 'ok' | 'warn' | 'danger' | undefined>> = {
  pending: 'warn',
  approved: 'ok',
  active: 'ok',
  provisioning: 'warn',
  executing: 'warn',
  revoking: 'warn',
  needs_review: 'warn',
  denied: 'danger',
  revoked: 'danger',
  revoke_failed: 'danger',
  timed_out: 'danger',
};

export function StatusBadge({ status }: { status: string }) {
  const tone = TONES[status];
  return <span className={tone === undefined ? 'badge' : `badge ${tone}`}>{status.replace(/_/g, ' ')}</span>;
}
