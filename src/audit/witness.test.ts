import { generateKeyPairSync } from 'node:crypto';
import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signCheckpoint } from './checkpoint.js';
import { JsonlFileWitness, readWitnessFile } from './witness.js';

const { privateKey } = generateKeyPairSync('ed25519');
const checkpointAt = (size: number) =>
  signCheckpoint({ size, head: 'a'.repeat(64), root: 'b'.repeat(64), time: size * 1000 }, privateKey);

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'countersign-witness-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the JSONL file witness', () => {
  it('keeps one line per published checkpoint, in order, and reads them back', async () => {
    const path = join(dir, 'witness.jsonl');
    const witness = new JsonlFileWitness(path);
    const published = [checkpointAt(100), checkpointAt(200), checkpointAt(300)];
    for (const checkpoint of published) await witness.publish(checkpoint);
    expect((await readFile(path, 'utf8')).split('\n')).toHaveLength(4);
    expect(await readWitnessFile(path)).toEqual(published);
  });

  it('publishes started together still land as whole lines', async () => {
    const path = join(dir, 'witness.jsonl');
    const witness = new JsonlFileWitness(path);
    const published = Array.from({ length: 20 }, (_, index) => checkpointAt(index + 1));
    await Promise.all(published.map((checkpoint) => witness.publish(checkpoint)));
    expect(await readWitnessFile(path)).toEqual(published);
  });

  it('a line that is not a checkpoint is reported with its line number', async () => {
    const path = join(dir, 'witness.jsonl');
    await new JsonlFileWitness(path).publish(checkpointAt(1));
    await appendFile(path, '{"size": "two"}\n');
    await expect(readWitnessFile(path)).rejects.toThrow(/line 2: 'size' is not valid/);
  });

  it('a torn line that is not JSON is reported with its line number', async () => {
    const path = join(dir, 'witness.jsonl');
    await new JsonlFileWitness(path).publish(checkpointAt(1));
    await appendFile(path, '\n{"size": 2, "he');
    await expect(readWitnessFile(path)).rejects.toThrow(/line 3 is not JSON/);
  });

  it('a missing witness file is reported as not found', async () => {
    await expect(readWitnessFile(join(dir, 'none.jsonl'))).rejects.toMatchObject({ code: 'not_found' });
  });
});
