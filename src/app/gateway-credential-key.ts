/**
 * The key that seals the provider credentials of gateway-only grants (issue 14): `gateway-credential.key`, 32
 * random bytes as 64 hex characters, mode 0600, in the installation's key directory beside the audit keys
 * (`serve --keys DIR`, default `.countersign/keys` next to a SQLite file). `serve` generates it on first start;
 * a separate `countersign gateway` process loads the same file (give every replica and gateway the same one).
 * Never overwritten, never logged; a file readable by others is refused, as the audit keys are. Losing it only
 * makes the active gateway grants unusable (their credentials stay sealed); new activations seal under the new one.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../core/errors.js';

export const GATEWAY_CREDENTIAL_KEY_FILE = 'gateway-credential.key';

function errnoOf(error: unknown): string | undefined {
  return error instanceof Error ? (error as NodeJS.ErrnoException).code : undefined;
}

/** Loads `gateway-credential.key` from `dir`; `not_found` when it does not exist, `invalid` when unsafe or malformed. */
export async function loadGatewayCredentialKey(dir: string): Promise<Buffer> {
  const path = join(dir, GATEWAY_CREDENTIAL_KEY_FILE);
  let text: string;
  try {
    if (process.platform !== 'win32') {
      const { mode } = await stat(path);
      if ((mode & 0o077) !== 0) {
        throw new AppError(
          'invalid',
          `key file '${path}' is readable by others (mode ${(mode & 0o777).toString(8)}); run chmod 600 on it`,
        );
      }
    }
    text = (await readFile(path, 'utf8')).trim();
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') throw new AppError('not_found', `key file '${path}' does not exist`);
    throw error;
  }
  if (!/^[0-9a-f]{64}$/.test(text)) throw new AppError('invalid', `key file '${path}' must hold 64 hex characters`);
  return Buffer.from(text, 'hex');
}

/**
 * Loads the key, generating it first when the file does not exist (written with `wx`, so two processes starting
 * at once keep whichever was written first). `created` says whether this call wrote it.
 */
export async function ensureGatewayCredentialKey(dir: string): Promise<{ key: Buffer; created: boolean }> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, GATEWAY_CREDENTIAL_KEY_FILE);
  let created = false;
  try {
    await writeFile(path, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    created = true;
  } catch (error) {
    if (errnoOf(error) !== 'EEXIST') throw error;
  }
  return { key: await loadGatewayCredentialKey(dir), created };
}
