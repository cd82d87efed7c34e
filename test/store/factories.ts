/** Small row factories for store tests: valid rows with unique ids, overridable field by field. */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { toJsonText } from '../../src/store/columns.js';
import type { NewRow, Schema } from '../../src/store/schema.js';

export const T0 = 1_767_225_600_000; // 2026-01-01T00:00:00Z

export function newId(prefix: string): string {
  return `${prefix}_${randomUUID()}`;
}

export function requestRow(overrides: Partial<NewRow<'requests'>> = {}): NewRow<'requests'> {
  return {
    id: newId('req'),
    requester: 'alice',
    resource: 'payments-db',
    action: 'read',
    duration_seconds: 3600,
    profile: 'postgres-prod',
    profile_version: 'a'.repeat(64),
    digest: 'b'.repeat(64),
    status: 'pending',
    matched_rule: 'rule-1',
    created_at: T0,
    updated_at: T0,
    ...overrides,
  };
}

export function grantRow(requestId: string, overrides: Partial<NewRow<'grants'>> = {}): NewRow<'grants'> {
  return {
    id: newId('grt'),
    request_id: requestId,
    identity: 'alice',
    resource: 'payments-db',
    action: 'read',
    provider: 'noop',
    status: 'active',
    handle: '{}',
    created_at: T0,
    updated_at: T0,
    expires_at: T0 + 3_600_000,
    ...overrides,
  };
}

export function auditEventRow(seq: number, overrides: Partial<NewRow<'audit_events'>> = {}): NewRow<'audit_events'> {
  return {
    seq,
    time: T0 + seq,
    actor: 'alice',
    action: 'request.create',
    subject: `request:req_${seq}`,
    details: '{}',
    prev_hash: '0'.repeat(64),
    hash: String(seq).padStart(64, '0'),
    ...overrides,
  };
}

/**
 * Seeds the outbox with `dlv_failed` (eight attempts, last error a 502) and `dlv_done` (delivered), both of a
 * `break_glass.used` notification to `security-webhook` created at `at`: what the delivery tests list and retry.
 */
export async function seedFailedAndDeliveredDeliveries(db: Kysely<Schema>, at: number): Promise<void> {
  for (const [id, status] of [
    ['dlv_failed', 'failed'],
    ['dlv_done', 'delivered'],
  ] as const) {
    await db
      .insertInto('outbox')
      .values({
        id,
        event: 'break_glass.used',
        payload: toJsonText({ event: 'break_glass.used' }),
        notifier: 'security-webhook',
        priority: 10,
        status,
        attempts: status === 'failed' ? 8 : 1,
        next_attempt_at: at,
        last_error: status === 'failed' ? 'HTTP 502 from the receiver' : null,
        created_at: at,
        delivered_at: status === 'delivered' ? at : null,
        lease_owner: null,
        lease_until: null,
      })
      .execute();
  }
}
