/** A change set's status in words (never colour alone: the badge's text says it). */
import type { components } from '../../api/schema';

type ChangeSetStatus = components['schemas']['PolicyChange']['status'];

const STATUS: Record<ChangeSetStatus, readonly [string, string]> = {
  pending: ['Pending approval', 'badge warn'],
  applied: ['Applied', 'badge ok'],
  rejected: ['Rejected', 'badge danger'],
  cancelled: ['Withdrawn', 'badge'],
};

export function ChangeStatus({ status }: { status: ChangeSetStatus }) {
  const [label, className] = STATUS[status];
  return <span className={className}>{label}</span>;
}
