/**
 * Syslog sink: RFC 5424 messages over TCP with octet-counting framing (RFC 6587 §3.4.1: `LENGTH SP MESSAGE`),
 * or over TLS (RFC 5425, the same framing). Each message carries the chain fields as structured data and the
 * whole record as a JSON MSG:
 *
 *   <110>1 2026-12-06T13:56:09.123Z host countersign - audit [countersign@32473 seq="42" prevHash="…" hash="…"
 *   installation="…"] BOM{"action":…}
 *
 * Facility 13 (log audit), severity 6 (informational). `32473` is the private enterprise number RFC 5612 reserves
 * for documentation: an SD-ID that collides with no vendor's. Syslog has no acknowledgement: a batch counts as
 * delivered once the connection took its bytes, so a receiver that dies with unread bytes in its socket can lose
 * them (the transport's limit; JetStream, RabbitMQ and HEC acknowledge each record).
 */
import { readFile } from 'node:fs/promises';
import { createConnection, isIP, type Socket } from 'node:net';
import { hostname } from 'node:os';
import { connect as tlsConnect } from 'node:tls';
import { streamRecordJson, type AuditStreamRecord } from '../../audit/stream-record.js';
import { messageOf, SinkError, SINK_TIMEOUT_MS, type AuditSink } from './audit-sink.js';
import type { SyslogSinkSpec } from './sink-spec.js';

/** `<PRI>` of facility 13 (log audit) and severity 6 (informational). */
const PRI = 13 * 8 + 6;
const SD_ID = 'countersign@32473';
const BOM = '\ufeff';

/** An SD-PARAM value: `"`, `\` and `]` escaped (RFC 5424 §6.3.3). */
function sdValue(value: string | number): string {
  return String(value).replace(/["\\\]]/g, (c) => `\\${c}`);
}

/** RFC 5424 header field: printable US-ASCII, `-` when empty. */
function headerField(value: string, max: number): string {
  const clean = value.replace(/[^\x21-\x7e]/g, '').slice(0, max);
  return clean === '' ? '-' : clean;
}

/** One RFC 5424 message for a record, framed by octet counting (RFC 6587). */
export function syslogFrame(record: AuditStreamRecord, host: string, appName: string): Buffer {
  const sd =
    `[${SD_ID} seq="${record.seq}" prevHash="${sdValue(record.prevHash)}" hash="${sdValue(record.hash)}" ` +
    `installation="${sdValue(record.installation)}"]`;
  const header = `<${PRI}>1 ${new Date(record.time).toISOString()} ${headerField(host, 255)} ${headerField(appName, 48)} - audit`;
  const message = Buffer.from(`${header} ${sd} ${BOM}${streamRecordJson(record)}`, 'utf8');
  return Buffer.concat([Buffer.from(`${message.length} `, 'ascii'), message]);
}

export class SyslogSink implements AuditSink {
  readonly kind = 'syslog' as const;
  readonly name: string;
  readonly target: string;
  readonly #host = hostname();
  #socket: Socket | undefined;
  /** Why the connection can no longer be trusted (closed, ended or failed), once it happened. */
  #broken: string | undefined;

  constructor(private readonly spec: SyslogSinkSpec) {
    this.name = spec.name;
    this.target = spec.target;
  }

  async #connect(): Promise<Socket> {
    if (this.#socket !== undefined && this.#broken === undefined) return this.#socket;
    await this.close();
    const { spec } = this;
    const ca = spec.caFile === undefined ? undefined : await readFile(spec.caFile);
    const socket = spec.tls
      ? tlsConnect({
          host: spec.host,
          port: spec.port,
          // SNI carries a host name only (RFC 6066); an address is checked against the certificate's IP names.
          servername: spec.servername ?? (isIP(spec.host) === 0 ? spec.host : undefined),
          ...(ca ? { ca } : {}),
        })
      : createConnection({ host: spec.host, port: spec.port });
    this.#broken = undefined;
    socket.setTimeout(SINK_TIMEOUT_MS);
    socket.on('error', (error) => (this.#broken ??= messageOf(error)));
    socket.on('timeout', () => socket.destroy(new Error(`no progress for ${SINK_TIMEOUT_MS} ms`)));
    // A receiver never writes to us; an end or close means it went away.
    socket.on('end', () => (this.#broken ??= 'the receiver closed the connection'));
    socket.on('close', () => (this.#broken ??= 'the connection closed'));
    socket.on('data', () => undefined);
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once(spec.tls ? 'secureConnect' : 'connect', () => resolve());
        socket.once('error', reject);
        socket.once('close', () => reject(new Error('the connection closed')));
      });
    } catch (error) {
      socket.destroy();
      throw new SinkError(`cannot connect to syslog at ${spec.host}:${spec.port}: ${messageOf(error)}`);
    }
    this.#socket = socket;
    return socket;
  }

  async deliver(records: readonly AuditStreamRecord[]): Promise<void> {
    const socket = await this.#connect();
    const frames = Buffer.concat(records.map((record) => syslogFrame(record, this.#host, this.spec.appName)));
    try {
      await new Promise<void>((resolve, reject) => {
        socket.write(frames, (error) => (error ? reject(error) : resolve()));
      });
    } catch (error) {
      await this.close();
      throw new SinkError(`syslog at ${this.spec.host}:${this.spec.port} did not take the batch: ${messageOf(error)}`);
    }
    if (this.#broken !== undefined) {
      const why = this.#broken;
      await this.close();
      throw new SinkError(`syslog at ${this.spec.host}:${this.spec.port}: ${why}`);
    }
  }

  async close(): Promise<void> {
    const socket = this.#socket;
    this.#socket = undefined;
    if (socket === undefined || socket.destroyed) return;
    await new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      socket.end();
      setTimeout(() => socket.destroy(), 1000).unref();
    });
  }
}
