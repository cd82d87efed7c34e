/** The public surface of the `notifications` feature: everything outside it imports from here, nothing from its files. */
export { OutboxDelivery } from './outbox-delivery.job.js';
export { listDeliveryViews, retryDelivery } from './deliveries.verbs.js';
