/**
 * Splunk HTTP Event Collector sink: one `POST /services/collector/event` per batch with
 * `Authorization: Splunk <token>` and the events as concatenated JSON objects, one per line, each
 * `{"time": <seconds>, "host", "source": "countersign", "sourcetype", ["index"], "event": <record>}` (Splunk's
 * documented batch format). The batch counts as delivered on a 2xx answer; any other answer, or none in time, fails
 * it and it is sent again. Redirects are not followed. The token comes from the environment variable the sink's
 * `tokenEnv` names and appears nowhere else.
 */
import { readFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { hostname } from 'node:os';
import { streamRecordJson, type AuditStreamRecord } from '../../audit/stream-record.js';
import { messageOf, secretFromEnv, SinkError, SINK_TIMEOUT_MS, type AuditSink } from './audit-sink.js';
import type { HecSinkSpec } from './sink-spec.js';

/** Bytes of a collector's answer kept for the error message. */
const MAX_ANSWER_BYTES = 4096;

/** The HEC batch body for records: one event object per line. */
export function hecBatchBody(
  records: readonly AuditStreamRecord[],
  spec: Pick<HecSinkSpec, 'index' | 'sourcetype'>,
  host: string,
): string {
  return records
    .map((record) => {
      const envelope = {
        time: (record.time / 1000).toFixed(3),
        host,
        source: 'countersign',
        sourcetype: spec.sourcetype,
        ...(spec.index !== undefined ? { index: spec.index } : {}),
      };
      // The record is spliced in as its canonical text, exactly as the other sinks carry it.
      return `${JSON.stringify(envelope).slice(0, -1)},"event":${streamRecordJson(record)}}`;
    })
    .join('\n');
}

export class HecSink implements AuditSink {
  readonly kind = 'hec' as const;
  readonly name: string;
  readonly target: string;
  readonly #host = hostname();
  #ca: Buffer | undefined;

  constructor(
    private readonly spec: HecSinkSpec,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.name = spec.name;
    this.target = spec.target;
  }

  async deliver(records: readonly AuditStreamRecord[]): Promise<void> {
    if (records.length === 0) return;
    const token = secretFromEnv(this.spec.tokenEnv, this.spec.name, this.env);
    if (this.spec.caFile !== undefined) this.#ca ??= await readFile(this.spec.caFile);
    const body = hecBatchBody(records, this.spec, this.#host);
    const answer = await this.#post(body, token);
    if (answer.status < 200 || answer.status > 299) {
      throw new SinkError(
        `the collector answered ${answer.status} for events ${records[0]?.seq}–${records.at(-1)?.seq}: ${answer.text.slice(0, 200)}`,
      );
    }
  }

  #post(body: string, token: string): Promise<{ status: number; text: string }> {
    const url = new URL(this.spec.endpoint);
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = request(
        url,
        {
          method: 'POST',
          timeout: SINK_TIMEOUT_MS,
          headers: {
            authorization: `Splunk ${token}`,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'user-agent': 'countersign',
          },
          ...(this.#ca !== undefined ? { ca: this.#ca } : {}),
        },
        (response) => {
          const chunks: Buffer[] = [];
          let size = 0;
          response.on('data', (chunk: Buffer) => {
            if (size < MAX_ANSWER_BYTES) chunks.push(chunk);
            size += chunk.length;
          });
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
          );
          response.on('error', (error) =>
            reject(new SinkError(`the collector's answer broke off: ${messageOf(error)}`)),
          );
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer in ${SINK_TIMEOUT_MS} ms`)));
      req.on('error', (error) =>
        reject(new SinkError(`cannot reach the collector at ${this.target}: ${messageOf(error)}`)),
      );
      req.end(body);
    });
  }

  async close(): Promise<void> {
    // Each batch is one request: nothing stays open.
  }
}
