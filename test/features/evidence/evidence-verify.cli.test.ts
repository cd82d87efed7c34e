import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli } from '../../cli/run-cli.js';
import { keys, seal, sections } from './evidence-fixture.js';

let dir: string;
let publicKey: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'countersign-evidence-'));
  publicKey = join(dir, 'audit-signing.pub');
  writeFileSync(publicKey, keys.publicKey.export({ type: 'spki', format: 'pem' }).toString());
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeBundle(name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(value));
  return path;
}

it('evidence verify exits 0 for an intact bundle and 1 naming what failed for a tampered one', async () => {
  const bundle = seal(sections());
  const good = await runCli(['evidence', 'verify', writeBundle('good.json', bundle), '--public-key', publicKey]);
  expect(good.stdout).toContain('is intact');
  expect(good.code).toBe(0);

  const tampered = JSON.parse(JSON.stringify(bundle)) as { sections: { breakGlass: unknown[] } };
  tampered.sections.breakGlass.push({ id: 'forged' });
  const bad = await runCli([
    'evidence',
    'verify',
    writeBundle('bad.json', tampered),
    '--public-key',
    publicKey,
    '--json',
  ]);
  expect(bad.code).toBe(1);
  const result = JSON.parse(bad.stdout) as { ok: boolean; problems: { where: string; code: string }[] };
  expect(result.ok).toBe(false);
  expect(result.problems).toEqual([expect.objectContaining({ where: 'breakGlass', code: 'digest_mismatch' })]);
});

it('evidence verify of a bundle file that does not exist is a read failure (exit 4), not a verdict', async () => {
  const run = await runCli([
    'evidence',
    'verify',
    writeBundle('junk.json', 'x').replace('junk', 'missing'),
    '--public-key',
    publicKey,
  ]);
  expect(run.code).toBe(4);
});
