/** `/v1/notifications/deliveries` (`administer`): the notification outbox, and retrying a failed delivery. */
import { z } from 'zod';
import { listDeliveryViews, retryDelivery } from '../../features/notifications/deliveries.verbs.js';
import type { OutboxDelivery } from '../../features/notifications/outbox.repo.js';
import type { RouteDeps, ZodFastify } from '../app.js';
import { principalOf } from '../guard.js';
import { idSchema, iso, isoOrNull, isoTime, limitSchema } from './route-schemas.js';

const deliverySchema = z
  .object({
    id: idSchema,
    event: z.string().max(200),
    notifier: z.string().max(200),
    status: z.enum(['pending', 'delivered', 'failed']),
    urgent: z.boolean(),
    attempts: z.number().int(),
    nextAttemptAt: isoTime,
    lastError: z.string().max(4000).nullable(),
    createdAt: isoTime,
    deliveredAt: isoTime.nullable(),
  })
  .meta({ id: 'Delivery' });

function toView(delivery: OutboxDelivery) {
  return {
    ...delivery,
    lastError: delivery.lastError === null ? null : delivery.lastError.slice(0, 4000),
    nextAttemptAt: iso(delivery.nextAttemptAt),
    createdAt: iso(delivery.createdAt),
    deliveredAt: isoOrNull(delivery.deliveredAt),
  };
}

export function registerDeliveryRoutes(app: ZodFastify, { app: context }: RouteDeps): void {
  app.get(
    '/v1/notifications/deliveries',
    {
      config: { access: 'administer' },
      schema: {
        tags: ['notifications'],
        summary: 'Notification deliveries, newest first',
        querystring: z
          .object({ status: z.enum(['pending', 'delivered', 'failed']).optional(), limit: limitSchema(1000) })
          .strict(),
        response: { 200: z.object({ deliveries: z.array(deliverySchema).max(1000).readonly() }) },
      },
    },
    async (request) => ({
      deliveries: (
        await listDeliveryViews({ app: context, actor: principalOf(request).identity, input: request.query })
      ).map(toView),
    }),
  );

  app.post(
    '/v1/notifications/deliveries/:id/retry',
    {
      config: { access: 'administer' },
      schema: {
        tags: ['notifications'],
        summary: 'Put a failed delivery back in the queue, due now',
        params: z.object({ id: idSchema }),
        response: { 200: deliverySchema },
      },
    },
    async (request) =>
      toView(
        await retryDelivery({ app: context, actor: principalOf(request).identity, input: { id: request.params.id } }),
      ),
  );
}
