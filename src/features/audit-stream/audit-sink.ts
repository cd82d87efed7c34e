/**
 * One destination of the audit stream. `deliver` sends a batch of records in order and resolves only once the
 * sink acknowledged every one of them (a JetStream publish ack, a RabbitMQ publisher confirm, a 2xx from the
 * collector, the bytes taken by the syslog connection); it rejects when any was not, and then the whole batch is
 * sent again from the cursor (at least once). A sink sends one record after another, never several at once, so
 * that a failure in the middle of a batch never lets a later record overtake an earlier one at the consumer.
 */
import type { AuditStreamRecord } from '../../audit/stream-record.js';
import type { SinkKind } from './sink-spec.js';

export interface AuditSink {
  readonly name: string;
  readonly kind: SinkKind;
  /** The URL without credentials. */
  readonly target: string;
  deliver(records: readonly AuditStreamRecord[]): Promise<void>;
  /** Drops the connection (after a failure, or on stop); the next `deliver` connects again. */
  close(): Promise<void>;
}

/** How long one network step of a sink may take before it counts as failed; well below the delivery lease. */
export const SINK_TIMEOUT_MS = 10_000;

/** A failure of a sink, with a message safe for logs and the status view (never a credential). */
export class SinkError extends Error {
  constructor(message: string) {
    super(message.slice(0, 500));
    this.name = 'SinkError';
  }
}

/** Reads the secret an environment variable holds; fails naming the variable, never a value. */
export function secretFromEnv(variable: string, sink: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[variable];
  if (value === undefined || value === '') {
    throw new SinkError(`audit stream '${sink}': the environment variable ${variable} is not set`);
  }
  return value;
}

/** Rejects with a {@link SinkError} if `promise` takes longer than `ms`. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SinkError(`${what} took longer than ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 500);
}
