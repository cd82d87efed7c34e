/**
 * Witnesses: places outside the database that keep a copy of every signed checkpoint, so whoever controls the
 * database cannot rewrite or cut the log unseen (SPEC §2.10). The first one is a JSONL file — one checkpoint
 * per line, appended and fsync'd before `publish` resolves — which `audit verify --witness FILE` reads back.
 */
import { open, readFile } from 'node:fs/promises';
import { AppError } from '../core/errors.js';
import { parseSignedCheckpoint, type SignedCheckpoint } from './checkpoint.js';

/** Somewhere outside the database that keeps checkpoints. `publish` resolves once the copy is durable. */
export interface AuditWitness {
  publish(checkpoint: SignedCheckpoint): Promise<void>;
}

/** Appends each checkpoint as one JSON line and fsyncs the file; publishes from one process never interleave. */
export class JsonlFileWitness implements AuditWitness {
  #queue: Promise<void> = Promise.resolve();

  constructor(readonly path: string) {}

  publish(checkpoint: SignedCheckpoint): Promise<void> {
    const { size, head, root, time, keyId, signature } = checkpoint;
    const line = `${JSON.stringify({ size, head, root, time, keyId, signature })}\n`;
    const done = this.#queue.then(() => this.#append(line));
    this.#queue = done.catch(() => undefined);
    return done;
  }

  async #append(line: string): Promise<void> {
    const handle = await open(this.path, 'a', 0o644);
    try {
      await handle.writeFile(line, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
}

/** Reads a JSONL witness file; throws `not_found` if it is missing and `invalid` naming the first bad line. */
export async function readWitnessFile(path: string): Promise<SignedCheckpoint[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof Error && (error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new AppError('not_found', `witness file '${path}' does not exist`);
    }
    throw error;
  }
  return parseWitnessLines(text, path);
}

/** Parses the text of a JSONL witness file; blank lines are skipped. */
export function parseWitnessLines(text: string, path: string): SignedCheckpoint[] {
  const checkpoints: SignedCheckpoint[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    const where = `witness file '${path}' line ${index + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new AppError('invalid', `${where} is not JSON`);
    }
    checkpoints.push(parseSignedCheckpoint(value, where));
  });
  return checkpoints;
}
