import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AUDIT_KEY_FILES,
  ensureAuditKeys,
  generateAuditKeys,
  loadAuditKeys,
  loadAuditPublicKey,
} from './audit-keys.js';
import { signCheckpoint, verifyCheckpointSignature } from '../checkpoint.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'countersign-keys-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const modeOf = async (name: string) => (await stat(join(dir, name))).mode & 0o777;

describe('audit key files', () => {
  it('generation writes the private, HMAC and data keys readable by the owner only', async () => {
    const generated = await generateAuditKeys(dir);
    expect(await modeOf(AUDIT_KEY_FILES.signingKey)).toBe(0o600);
    expect(await modeOf(AUDIT_KEY_FILES.hmacKey)).toBe(0o600);
    expect(await modeOf(AUDIT_KEY_FILES.dataKey)).toBe(0o600);
    expect(await readFile(join(dir, AUDIT_KEY_FILES.publicKey), 'utf8')).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(await readFile(join(dir, AUDIT_KEY_FILES.hmacKey), 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);
    expect(await readFile(join(dir, AUDIT_KEY_FILES.dataKey), 'utf8')).toBe(`${generated.dataKey.toString('hex')}\n`);
    expect(generated.dataKey.equals(generated.hmacKey)).toBe(false);
  });

  it('an installation whose key directory predates the data key gets one on its next start, other keys kept', async () => {
    const before = await generateAuditKeys(dir);
    await rm(join(dir, AUDIT_KEY_FILES.dataKey));
    expect((await loadAuditKeys(dir)).dataKey).toBeUndefined();
    const upgraded = await ensureAuditKeys(dir);
    expect([upgraded.created, upgraded.createdDataKey]).toEqual([false, true]);
    expect(upgraded.keys.keyId).toBe(before.keyId);
    expect(upgraded.keys.hmacKey.equals(before.hmacKey)).toBe(true);
    expect(upgraded.keys.dataKey.equals(before.dataKey)).toBe(false);
    expect(await modeOf(AUDIT_KEY_FILES.dataKey)).toBe(0o600);
    const next = await ensureAuditKeys(dir);
    expect(next.createdDataKey).toBe(false);
    expect(next.keys.dataKey.equals(upgraded.keys.dataKey)).toBe(true);
  });

  it('a data key readable by others, or not 64 hex characters, is refused', async () => {
    await generateAuditKeys(dir);
    await chmod(join(dir, AUDIT_KEY_FILES.dataKey), 0o640);
    await expect(loadAuditKeys(dir)).rejects.toThrow(/audit-data\.key' is readable by others/);
    await chmod(join(dir, AUDIT_KEY_FILES.dataKey), 0o600);
    await writeFile(join(dir, AUDIT_KEY_FILES.dataKey), 'not hex\n');
    await expect(ensureAuditKeys(dir)).rejects.toThrow(/audit-data\.key' must hold 64 hex characters/);
  });

  it('loaded keys are the generated ones: a checkpoint signed with them verifies with the public key file', async () => {
    const generated = await generateAuditKeys(dir);
    const loaded = await loadAuditKeys(dir);
    expect(loaded.keyId).toBe(generated.keyId);
    expect(loaded.hmacKey.equals(generated.hmacKey)).toBe(true);
    const signed = signCheckpoint({ size: 0, head: '0'.repeat(64), root: 'e'.repeat(64), time: 1 }, loaded.privateKey);
    const publicKey = await loadAuditPublicKey(join(dir, AUDIT_KEY_FILES.publicKey));
    expect(verifyCheckpointSignature(signed, publicKey).valid).toBe(true);
  });

  it('generation never overwrites an existing key', async () => {
    await generateAuditKeys(dir);
    const before = await readFile(join(dir, AUDIT_KEY_FILES.signingKey), 'utf8');
    await expect(generateAuditKeys(dir)).rejects.toMatchObject({ code: 'conflict' });
    expect(await readFile(join(dir, AUDIT_KEY_FILES.signingKey), 'utf8')).toBe(before);
  });

  it('a signing key readable by others is refused', async () => {
    await generateAuditKeys(dir);
    await chmod(join(dir, AUDIT_KEY_FILES.signingKey), 0o644);
    await expect(loadAuditKeys(dir)).rejects.toThrow(/readable by others \(mode 644\); run chmod 600/);
  });

  it('a public key that does not belong to the private key is refused', async () => {
    await generateAuditKeys(dir);
    const elsewhere = await mkdtemp(join(tmpdir(), 'countersign-keys-'));
    await generateAuditKeys(elsewhere);
    await writeFile(join(dir, AUDIT_KEY_FILES.publicKey), await readFile(join(elsewhere, AUDIT_KEY_FILES.publicKey)));
    await rm(elsewhere, { recursive: true, force: true });
    await expect(loadAuditKeys(dir)).rejects.toThrow(/are not a pair/);
  });

  it('the first start generates the keys and later starts load the same ones', async () => {
    const first = await ensureAuditKeys(join(dir, 'keys'));
    const second = await ensureAuditKeys(join(dir, 'keys'));
    expect([first.created, second.created]).toEqual([true, false]);
    expect(second.keys.keyId).toBe(first.keys.keyId);
    expect(second.keys.dataKey.equals(first.keys.dataKey)).toBe(true);
  });

  it('a missing key file is reported as not found, by name, and no data key is added beside it', async () => {
    await generateAuditKeys(dir);
    await rm(join(dir, AUDIT_KEY_FILES.hmacKey));
    await rm(join(dir, AUDIT_KEY_FILES.dataKey));
    await expect(ensureAuditKeys(dir)).rejects.toMatchObject({ code: 'not_found' });
    await expect(stat(join(dir, AUDIT_KEY_FILES.dataKey))).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(loadAuditPublicKey(join(dir, 'nope.pub'))).rejects.toThrow(/nope\.pub' does not exist/);
  });
});
