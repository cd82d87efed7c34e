/**
 * The one shape of a notification delivery outside the application: `/v1/notifications/deliveries` answers it
 * and `countersign deliveries` prints it (`Delivery` in the OpenAPI document). The provider's error is cut to
 * the view's bound; times are ISO 8601.
 */
import { z } from 'zod';
import { iso, isoOrNull, isoTime, text } from '../../app/view-fields.js';
import type { OutboxDelivery } from './outbox.repo.js';

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;

const MAX_ERROR = 4000;

export const deliveryViewSchema = z
  .object({
    id: text(100),
    event: text(200),
    notifier: text(200),
    status: z.enum(DELIVERY_STATUSES),
    urgent: z.boolean(),
    attempts: z.number().int(),
    nextAttemptAt: isoTime,
    lastError: text(MAX_ERROR).nullable(),
    createdAt: isoTime,
    deliveredAt: isoTime.nullable(),
  })
  .meta({ id: 'Delivery' });

export type DeliveryView = z.infer<typeof deliveryViewSchema>;

export function toDeliveryView(delivery: OutboxDelivery): DeliveryView {
  return {
    ...delivery,
    lastError: delivery.lastError === null ? null : delivery.lastError.slice(0, MAX_ERROR),
    nextAttemptAt: iso(delivery.nextAttemptAt),
    createdAt: iso(delivery.createdAt),
    deliveredAt: isoOrNull(delivery.deliveredAt),
  };
}
