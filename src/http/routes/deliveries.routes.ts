/** `/v1/notifications/deliveries` (`administer`): the notification outbox, and retrying a failed delivery. */
import { z } from 'zod';
import { listDeliveryViews, retryDelivery } from '../../features/notifications/index.js';
import { DELIVERY_STATUSES, deliveryViewSchema, toDeliveryView } from '../../features/notifications/delivery.view.js';
import type { RouteDeps, ZodFastify } from '../app.js';
import { principalOf } from '../guard.js';
import { idSchema, limitSchema } from './route-schemas.js';

export function registerDeliveryRoutes(app: ZodFastify, { app: context }: RouteDeps): void {
  app.get(
    '/v1/notifications/deliveries',
    {
      config: { access: 'administer' },
      schema: {
        tags: ['notifications'],
        summary: 'Notification deliveries, newest first',
        querystring: z.object({ status: z.enum(DELIVERY_STATUSES).optional(), limit: limitSchema(1000) }).strict(),
        response: { 200: z.object({ deliveries: z.array(deliveryViewSchema).max(1000).readonly() }) },
      },
    },
    async (request) => ({
      deliveries: (
        await listDeliveryViews({ app: context, actor: principalOf(request).identity, input: request.query })
      ).map(toDeliveryView),
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
        response: { 200: deliveryViewSchema },
      },
    },
    async (request) =>
      toDeliveryView(
        await retryDelivery({ app: context, actor: principalOf(request).identity, input: { id: request.params.id } }),
      ),
  );
}
