/**
 * NATS JetStream sink: each record is published to the configured subject with `Nats-Msg-Id` = `installation:seq`
 * (JetStream drops a repeat inside the stream's duplicate window) and counts as delivered once the stream's
 * publish ack came back. With `stream` named, the publish also expects that stream, so a subject that no stream
 * (or another stream) captures fails instead of vanishing.
 */
import { readFile } from 'node:fs/promises';
import { connect, type ConnectionOptions, type JetStreamClient, type NatsConnection } from 'nats';
import { streamMessageId, streamRecordJson, type AuditStreamRecord } from '../../audit/stream-record.js';
import { messageOf, secretFromEnv, SinkError, SINK_TIMEOUT_MS, type AuditSink } from './audit-sink.js';
import type { NatsSinkSpec } from './sink-spec.js';

export class NatsSink implements AuditSink {
  readonly kind = 'nats' as const;
  readonly name: string;
  readonly target: string;
  #connection: { nc: NatsConnection; js: JetStreamClient } | undefined;

  constructor(
    private readonly spec: NatsSinkSpec,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.name = spec.name;
    this.target = spec.target;
  }

  async #connect(): Promise<{ nc: NatsConnection; js: JetStreamClient }> {
    if (this.#connection !== undefined && !this.#connection.nc.isClosed()) return this.#connection;
    const { spec } = this;
    const options: ConnectionOptions = {
      servers: spec.servers,
      name: `countersign-audit-stream:${spec.name}`,
      timeout: SINK_TIMEOUT_MS,
      // Reconnecting is this sink's job (from the cursor), not the client's: a dropped connection fails the batch.
      reconnect: false,
      ...(spec.user !== undefined ? { user: spec.user } : {}),
      ...(spec.passwordEnv !== undefined ? { pass: secretFromEnv(spec.passwordEnv, spec.name, this.env) } : {}),
      ...(spec.tokenEnv !== undefined ? { token: secretFromEnv(spec.tokenEnv, spec.name, this.env) } : {}),
      ...(spec.tls ? { tls: spec.caFile ? { ca: await readFile(spec.caFile, 'utf8') } : {} } : {}),
    };
    try {
      const nc = await connect(options);
      this.#connection = { nc, js: nc.jetstream({ timeout: SINK_TIMEOUT_MS }) };
      return this.#connection;
    } catch (error) {
      throw new SinkError(`cannot connect to NATS at ${spec.servers}: ${messageOf(error)}`);
    }
  }

  async deliver(records: readonly AuditStreamRecord[]): Promise<void> {
    const { js } = await this.#connect();
    const expect = this.spec.stream === undefined ? {} : { expect: { streamName: this.spec.stream } };
    for (const record of records) {
      try {
        // One at a time: a publish that fails must not be overtaken by the next one (see audit-sink.ts).
        await js.publish(this.spec.subject, streamRecordJson(record), {
          msgID: streamMessageId(record),
          timeout: SINK_TIMEOUT_MS,
          ...expect,
        });
      } catch (error) {
        await this.close();
        throw new SinkError(
          `JetStream did not acknowledge event ${record.seq} on '${this.spec.subject}': ${messageOf(error)}`,
        );
      }
    }
  }

  async close(): Promise<void> {
    const connection = this.#connection;
    this.#connection = undefined;
    await connection?.nc.close().catch(() => undefined);
  }
}
