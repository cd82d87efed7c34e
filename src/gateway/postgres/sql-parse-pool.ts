/**
 * Worker threads that parse long statement texts off the event loop. The WebAssembly parser takes about a
 * microsecond per byte of ordinary SQL and up to 3 ms per KiB of the costliest (rows of one constant each), so a
 * 140 KB INSERT held every session of the gateway up for 86–390 ms when parsed on the event loop; a session
 * whose text is longer than `LONG_SQL_CHARS` waits for a worker instead (proxied-session.ts), and the others go
 * on. Shorter texts stay on the event loop, where they cost less than a trip to a worker.
 *
 * Fail closed: a worker that crashes, answers something that is not a parse result, or takes longer than the
 * timeout (it is then terminated) fails that request, and the statement is refused; the next request starts a
 * new worker. Requests wait in one queue, in order, and each worker takes one at a time, so a request's timeout
 * counts from when a worker took it. Each session has at most one request waiting (it stops reading its client
 * meanwhile), so the queue is bounded by the sessions. Workers start on the first long text and never keep the
 * process alive.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ParsedText } from '../backend.js';
import type { MaskRules } from './sql-text-analysis.js';

/**
 * Texts longer than this many characters are parsed on a worker. Measured on the test machine (2 cores, busy):
 * 8 KiB of SQL takes 2.3–2.7 ms to classify on the event loop (p50), 16 KiB 5 ms and 140 KB 31–400 ms by
 * shape, while a trip to the worker costs about 0.5 ms besides the parse; above 8 KiB a text would hold the
 * other sessions up beyond the gateway's 2 ms p99 latency target. Texts up to 8 KiB are also the ones the
 * classifier caches.
 */
export const LONG_SQL_CHARS = 8 * 1024;
/** How long a worker may take over one text before it is terminated and the statement refused. */
export const PARSE_TIMEOUT_MS = 10_000;

export interface SqlParsePoolOptions {
  /** How many worker threads parse at once (1 by default). */
  readonly size?: number;
  readonly timeoutMs?: number;
}

interface Request {
  readonly id: number;
  readonly sql: string;
  readonly masks: MaskRules | undefined;
  readonly resolve: (parsed: ParsedText) => void;
  readonly reject: (error: Error) => void;
}

interface ParseWorker {
  readonly worker: Worker;
  current: (Request & { readonly timer: NodeJS.Timeout }) | undefined;
  dead: boolean;
}

export class SqlParsePool {
  readonly #size: number;
  readonly #timeoutMs: number;
  readonly #workers = new Set<ParseWorker>();
  readonly #queue: Request[] = [];
  #nextId = 1;

  constructor(options: SqlParsePoolOptions = {}) {
    this.#size = Math.max(1, options.size ?? 1);
    this.#timeoutMs = options.timeoutMs ?? PARSE_TIMEOUT_MS;
  }

  /** Parses `sql` on a worker (and checks it against `masks` when given); rejects when the worker fails. */
  analyse(sql: string, masks?: MaskRules): Promise<ParsedText> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ id: this.#nextId++, sql, masks, resolve, reject });
      this.#dispatch();
    });
  }

  /** Requests waiting for a worker. */
  get waiting(): number {
    return this.#queue.length;
  }

  /** Requests a worker is parsing now. */
  get parsing(): number {
    let count = 0;
    for (const entry of this.#workers) if (entry.current !== undefined) count += 1;
    return count;
  }

  /** Terminates every worker now: the texts they were parsing fail (refused); later requests start new ones. */
  async stopWorkers(): Promise<void> {
    const stopping = [...this.#workers].map((entry) => {
      this.#fail(entry, new Error('the parse worker was stopped'));
      return entry.worker.terminate();
    });
    await Promise.all(stopping);
  }

  #dispatch(): void {
    while (this.#queue.length > 0) {
      let idle = [...this.#workers].find((entry) => entry.current === undefined);
      if (idle === undefined && this.#workers.size < this.#size) idle = this.#start();
      if (idle === undefined) return;
      const request = this.#queue.shift()!;
      const timer = setTimeout(
        () => this.#fail(idle, new Error(`the parser took longer than ${this.#timeoutMs} ms`)),
        this.#timeoutMs,
      );
      idle.current = { ...request, timer };
      idle.worker.postMessage({ id: request.id, sql: request.sql, ...(request.masks ? { masks: request.masks } : {}) });
    }
  }

  #start(): ParseWorker {
    const entry: ParseWorker = { worker: startParseWorker(), current: undefined, dead: false };
    this.#workers.add(entry);
    entry.worker.on('message', (answer: unknown) => this.#answered(entry, answer));
    entry.worker.on('error', (error) => this.#fail(entry, error));
    entry.worker.on('exit', () => this.#fail(entry, new Error('the parse worker stopped')));
    // After the listeners: listening for messages refs the worker again.
    entry.worker.unref();
    return entry;
  }

  #answered(entry: ParseWorker, answer: unknown): void {
    const request = entry.current;
    if (request === undefined || entry.dead) return;
    const parsed = parsedTextOf(answer, request.id);
    if (parsed === undefined) {
      return this.#fail(entry, new Error('the parse worker answered something that is not a parse result'));
    }
    clearTimeout(request.timer);
    entry.current = undefined;
    request.resolve(parsed);
    this.#dispatch();
  }

  /** Takes the worker out (terminating it), fails its request, and lets a new worker take the queue. */
  #fail(entry: ParseWorker, error: Error): void {
    if (!entry.dead) {
      entry.dead = true;
      this.#workers.delete(entry);
      void entry.worker.terminate().catch(() => undefined);
    }
    const request = entry.current;
    entry.current = undefined;
    if (request !== undefined) {
      clearTimeout(request.timer);
      request.reject(error);
    }
    this.#dispatch();
  }
}

/**
 * A worker's answer as a parse result, or undefined when it is not one (wrong request, wrong shape): what crosses
 * from the worker is checked like any input before a decision rests on it.
 */
export function parsedTextOf(answer: unknown, id: number): ParsedText | undefined {
  if (!isRecord(answer) || answer['id'] !== id || !isRecord(answer['parsed'])) return undefined;
  const { classification, masks } = answer['parsed'];
  if (!isRecord(classification)) return undefined;
  const wellFormed =
    'error' in classification
      ? typeof classification['error'] === 'string'
      : Array.isArray(classification['statements']) && classification['statements'].every(isStatementFacts);
  if (!wellFormed) return undefined;
  if (masks !== undefined && !(isRecord(masks) && ['string', 'undefined'].includes(typeof masks['violation']))) {
    return undefined;
  }
  return answer['parsed'] as unknown as ParsedText;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isStrings = (value: unknown): boolean => Array.isArray(value) && value.every((item) => typeof item === 'string');

function isStatementFacts(value: unknown): boolean {
  return (
    isRecord(value) &&
    typeof value['kind'] === 'string' &&
    typeof value['command'] === 'string' &&
    typeof value['readOnly'] === 'boolean' &&
    typeof value['fingerprint'] === 'string' &&
    isStrings(value['tables']) &&
    isStrings(value['schemas']) &&
    isStrings(value['functions']) &&
    (value['settings'] === undefined || isStrings(value['settings'])) &&
    ['boolean', 'undefined'].includes(typeof value['securityDefiner']) &&
    ['boolean', 'undefined'].includes(typeof value['opaqueCode']) &&
    (value['copy'] === undefined || isRecord(value['copy'])) &&
    (value['body'] === undefined || (Array.isArray(value['body']) && value['body'].every(isStatementFacts)))
  );
}

/**
 * About the stack of the event loop's thread (V8's default of 984 KiB, plus the thread's own use) rather than a
 * worker's default of 4 MiB: a text nested too deeply for the parser or the classifier's walk fails (and is
 * refused) at the same depth as on the event loop, not some four times deeper. Measured with a sum of columns
 * (`a0+a1+…`), node 20: 7,581 terms on the event loop, 7,619 in this worker (6,061 with 1 MiB, 29,206 by default).
 */
const WORKER_OPTIONS = { resourceLimits: { stackSizeMb: 1.2 } };

/**
 * Starts a worker on sql-parse-worker: the compiled JavaScript beside this file in production (dist/), the
 * TypeScript source under a TypeScript loader (vitest, tsx), which worker threads do not inherit: the worker
 * then loads the source through tsx itself.
 */
function startParseWorker(): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./sql-parse-worker.js', here), WORKER_OPTIONS);
  // tsx's ES module API (its CommonJS one cannot register the loader in a worker), found from this file.
  const tsx = pathToFileURL(
    createRequire(here)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs'),
  ).href;
  const source = new URL('./sql-parse-worker.ts', here).href;
  const program = `import(${JSON.stringify(tsx)}).then((tsx) => tsx.tsImport(${JSON.stringify(source)}, ${JSON.stringify(here)}));`;
  return new Worker(program, { ...WORKER_OPTIONS, eval: true });
}

let shared: SqlParsePool | undefined;

/** The gateway's pool (one worker), created on first use. */
export function sqlParsePool(): SqlParsePool {
  shared ??= new SqlParsePool();
  return shared;
}
