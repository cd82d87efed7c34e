/** The public surface of the `notifications` feature: everything outside it imports from here, nothing from its files. */
export {
  OutboxDelivery,
  type Attempt,
  type NotificationSender,
  type NotificationSenders,
} from './outbox-delivery.job.js';
export { eventTitle, slackBody, summaryLine, type OutboxMessage } from './notification-body.js';
export { listDeliveryViews, retryDelivery } from './deliveries.verbs.js';
