/**
 * Notification deliveries as operators see them (`GET /v1/notifications/deliveries`) and the retry of a failed
 * one (`notification.retry`, audited in the same transaction as the outbox change).
 */
import { z } from 'zod';
import { listDeliveries, retryFailedDelivery, type OutboxDelivery } from './outbox.repo.js';
import type { VerbCall } from '../../app/context.js';
import { parseInput } from '../../app/verb-support.js';
import { inTransaction } from '../../app/transaction.js';

const listInput = z.object({
  status: z.enum(['pending', 'delivered', 'failed']).optional(),
  limit: z.number().int().min(1).max(1000).optional(),
});
export type ListDeliveryInput = z.input<typeof listInput>;

/** Deliveries newest first, optionally of one status (no payloads). */
export async function listDeliveryViews({ app, input }: VerbCall<ListDeliveryInput>): Promise<OutboxDelivery[]> {
  const parsed = parseInput(listInput, input);
  return listDeliveries(app.database.db, {
    ...(parsed.status !== undefined ? { status: parsed.status } : {}),
    ...(parsed.limit !== undefined ? { limit: parsed.limit } : {}),
  });
}

const retryInput = z.object({ id: z.string().min(1).max(100) });

/**
 * Puts a failed delivery back in the queue, due now with a fresh attempt budget (`notification.retry`).
 * Invariant: only a `failed` delivery changes, and the change commits only with its audit event.
 */
export async function retryDelivery({ app, actor, input }: VerbCall<{ id: string }>): Promise<OutboxDelivery> {
  const { id } = parseInput(retryInput, input);
  const { value } = await inTransaction(app, async ({ trx, now, audit }) => {
    const delivery = await retryFailedDelivery(trx, id, now);
    audit({
      actor,
      action: 'notification.retry',
      subject: `delivery:${id}`,
      details: { event: delivery.event, notifier: delivery.notifier, lastError: delivery.lastError },
    });
    return delivery;
  });
  return value;
}
