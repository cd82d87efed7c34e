/**
 * `countersign deliveries list|retry` (SPEC §2.12, `administer`): the notification outbox — failed deliveries
 * stay visible with their last error — and putting a failed delivery back in the queue, due now
 * (GET /v1/notifications/deliveries, POST /v1/notifications/deliveries/{id}/retry).
 */
import { Option, type Command } from 'commander';
import { positiveInteger, withClientOptions, type ClientCommandOptions } from './client/client-options.js';
import { apiClient } from './client/http-client.js';
import { EXIT_OK, type CommandResult, type RunCommand } from './exit-codes.js';
import { printJson, printLines, renderTable } from './output.js';
import { DELIVERY_STATUSES, type DeliveryView } from '../features/notifications/delivery.view.js';

export interface DeliveriesListOptions extends ClientCommandOptions {
  readonly status?: (typeof DELIVERY_STATUSES)[number];
  readonly limit?: number;
}

/** When the delivery happened, or when it is next tried; a failed one is tried again only after `retry`. */
function whenOf(delivery: DeliveryView): string {
  if (delivery.status === 'delivered') return delivery.deliveredAt ?? '-';
  if (delivery.status === 'failed') return 'never (retry it)';
  return delivery.nextAttemptAt;
}

/** `deliveries list`: newest first, with the last error of each failed or retrying delivery. */
export async function deliveriesListCommand(options: DeliveriesListOptions): CommandResult {
  const { deliveries } = await apiClient(options).get<{ deliveries: DeliveryView[] }>('/v1/notifications/deliveries', {
    status: options.status,
    limit: options.limit,
  });
  if (options.json) printJson({ deliveries });
  else if (deliveries.length === 0)
    printLines([options.status === undefined ? 'no deliveries' : `no ${options.status} deliveries`]);
  else {
    printLines(
      renderTable(
        ['ID', 'STATUS', 'EVENT', 'NOTIFIER', 'ATTEMPTS', 'CREATED', 'NEXT / DELIVERED', 'LAST ERROR'],
        deliveries.map((d) => [
          d.id,
          d.urgent ? `${d.status} (urgent)` : d.status,
          d.event,
          d.notifier,
          String(d.attempts),
          d.createdAt,
          whenOf(d),
          d.lastError ?? '',
        ]),
      ),
    );
  }
  return EXIT_OK;
}

/** `deliveries retry ID`: a failed delivery back in the queue; anything else is refused (exit 1). */
export async function deliveriesRetryCommand(id: string, options: ClientCommandOptions): CommandResult {
  const delivery = await apiClient(options).post<DeliveryView>(
    `/v1/notifications/deliveries/${encodeURIComponent(id)}/retry`,
  );
  if (options.json) printJson(delivery);
  else {
    printLines([
      `delivery ${delivery.id} (${delivery.event} to '${delivery.notifier}') is ${delivery.status} again, due ${delivery.nextAttemptAt}`,
    ]);
  }
  return EXIT_OK;
}

export function registerDeliveriesCommands(program: Command, run: RunCommand): void {
  const deliveries = program
    .command('deliveries')
    .description('notification deliveries (webhooks): see failed ones and retry them (administer holders)');

  withClientOptions(
    deliveries
      .command('list')
      .description('deliveries newest first, with the last error of failed ones')
      .addOption(new Option('--status <status>', 'only deliveries in this status').choices(DELIVERY_STATUSES))
      .option('--limit <n>', 'at most this many (default 100)', positiveInteger(1000)),
    { json: 'print { deliveries } as JSON', denied: 'refused: you do not hold administer' },
  ).action((options: DeliveriesListOptions) => run(() => deliveriesListCommand(options)));

  withClientOptions(
    deliveries
      .command('retry')
      .description('put a failed delivery back in the queue, due now, with a fresh attempt budget')
      .argument('<id>', 'delivery id (from `deliveries list --status failed`)'),
    {
      json: 'print the delivery as JSON',
      denied: 'refused: not administer, no such delivery, or the delivery has not failed',
    },
  ).action((id: string, options: ClientCommandOptions) => run(() => deliveriesRetryCommand(id, options)));
}
