/**
 * RabbitMQ (AMQP 0-9-1) sink: each record is published to the configured exchange as a persistent message
 * (`delivery_mode` 2) whose `message_id` is `installation:seq`, on a confirm channel, and counts as delivered once
 * the broker confirmed it. A message the exchange cannot route is returned (`mandatory`) and fails the batch
 * instead of being dropped silently.
 */
import { readFile } from 'node:fs/promises';
import amqp from 'amqplib';
import { streamMessageId, streamRecordJson, type AuditStreamRecord } from '../../audit/stream-record.js';
import { messageOf, secretFromEnv, SinkError, SINK_TIMEOUT_MS, withTimeout, type AuditSink } from './audit-sink.js';
import type { AmqpSinkSpec } from './sink-spec.js';

interface Connected {
  readonly connection: amqp.ChannelModel;
  readonly channel: amqp.ConfirmChannel;
  /** Set when the broker returned an unroutable message or the channel failed. */
  failure?: string;
}

export class AmqpSink implements AuditSink {
  readonly kind = 'amqp' as const;
  readonly name: string;
  readonly target: string;
  #connected: Connected | undefined;

  constructor(
    private readonly spec: AmqpSinkSpec,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.name = spec.name;
    this.target = spec.target;
  }

  async #connect(): Promise<Connected> {
    if (this.#connected !== undefined && this.#connected.failure === undefined) return this.#connected;
    await this.close();
    const { spec } = this;
    const url = new URL(spec.url);
    if (spec.passwordEnv !== undefined)
      url.password = encodeURIComponent(secretFromEnv(spec.passwordEnv, spec.name, this.env));
    const socketOptions = {
      timeout: SINK_TIMEOUT_MS,
      ...(spec.caFile !== undefined ? { ca: [await readFile(spec.caFile)] } : {}),
    };
    try {
      const connection = await amqp.connect(url.toString(), socketOptions);
      const channel = await connection.createConfirmChannel();
      const connected: Connected = { connection, channel };
      const failed = (why: string) => {
        connected.failure ??= why;
      };
      connection.on('error', (error: unknown) => failed(`connection error: ${messageOf(error)}`));
      connection.on('close', () => failed('the connection closed'));
      channel.on('error', (error: unknown) => failed(`channel error: ${messageOf(error)}`));
      channel.on('close', () => failed('the channel closed'));
      channel.on('return', (message: amqp.Message) =>
        failed(`the exchange '${spec.exchange}' routed message ${String(message.properties.messageId)} to no queue`),
      );
      this.#connected = connected;
      return connected;
    } catch (error) {
      throw new SinkError(`cannot connect to RabbitMQ at ${spec.target}: ${messageOf(error)}`);
    }
  }

  async deliver(records: readonly AuditStreamRecord[]): Promise<void> {
    const connected = await this.#connect();
    for (const record of records) {
      try {
        await withTimeout(this.#publish(connected, record), SINK_TIMEOUT_MS, `confirming event ${record.seq}`);
      } catch (error) {
        await this.close();
        throw new SinkError(`RabbitMQ did not confirm event ${record.seq}: ${messageOf(error)}`);
      }
      if (connected.failure !== undefined) {
        await this.close();
        throw new SinkError(`RabbitMQ did not take event ${record.seq}: ${connected.failure}`);
      }
    }
  }

  /** One message, resolved by the broker's confirm (a return, if any, arrives before the confirm). */
  #publish(connected: Connected, record: AuditStreamRecord): Promise<void> {
    return new Promise((resolve, reject) => {
      connected.channel.publish(
        this.spec.exchange,
        this.spec.routingKey,
        Buffer.from(streamRecordJson(record), 'utf8'),
        {
          persistent: true,
          mandatory: true,
          messageId: streamMessageId(record),
          contentType: 'application/json',
          type: record.type,
          timestamp: Math.floor(record.time / 1000),
          headers: { 'x-countersign-seq': record.seq, 'x-countersign-hash': record.hash },
        },
        (error: unknown) => (error ? reject(new SinkError(`the broker refused it (${messageOf(error)})`)) : resolve()),
      );
    });
  }

  async close(): Promise<void> {
    const connected = this.#connected;
    this.#connected = undefined;
    await connected?.connection.close().catch(() => undefined);
  }
}
