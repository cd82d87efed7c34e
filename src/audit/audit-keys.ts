/**
 * Audit key material in files an operator can keep elsewhere (SPEC §2.10):
 * - `audit-signing.key`: Ed25519 private key, PKCS#8 PEM, mode 0600 — signs checkpoints;
 * - `audit-signing.pub`: its public key, SPKI PEM — all `audit verify` needs, offline;
 * - `audit-hmac.key`: 32 random bytes as 64 hex characters, mode 0600 — seals sensitive values in events.
 * Generated on first start; never overwritten; secret files readable by others are refused, as ssh does.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parseDatabaseUrl } from '../store/database-url.js';
import { AppError } from '../core/errors.js';
import { auditKeyId } from './checkpoint.js';

export const AUDIT_KEY_FILES = {
  signingKey: 'audit-signing.key',
  publicKey: 'audit-signing.pub',
  hmacKey: 'audit-hmac.key',
} as const;

export interface AuditKeys {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly keyId: string;
  readonly hmacKey: Buffer;
}

function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}

/**
 * Creates the three key files in `dir` (created 0700 if missing). Refuses with `conflict` if any of them
 * already exists, so an existing key is never replaced by accident.
 */
export async function generateAuditKeys(dir: string): Promise<AuditKeys> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const hmacKey = randomBytes(32);
  const files: readonly [string, string, number][] = [
    [AUDIT_KEY_FILES.signingKey, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), 0o600],
    [AUDIT_KEY_FILES.hmacKey, `${hmacKey.toString('hex')}\n`, 0o600],
    [AUDIT_KEY_FILES.publicKey, publicKey.export({ type: 'spki', format: 'pem' }).toString(), 0o644],
  ];
  for (const [name, content, mode] of files) {
    try {
      await writeFile(join(dir, name), content, { mode, flag: 'wx' });
    } catch (error) {
      if (isErrno(error, 'EEXIST')) {
        throw new AppError('conflict', `audit key file '${join(dir, name)}' already exists; it is never overwritten`);
      }
      throw error;
    }
  }
  return { privateKey, publicKey, keyId: auditKeyId(publicKey), hmacKey };
}

async function readKeyFile(path: string, secret: boolean): Promise<string> {
  try {
    if (secret && process.platform !== 'win32') {
      const { mode } = await stat(path);
      if ((mode & 0o077) !== 0) {
        throw new AppError(
          'invalid',
          `audit key file '${path}' is readable by others (mode ${(mode & 0o777).toString(8)}); run chmod 600 on it`,
        );
      }
    }
    return await readFile(path, 'utf8');
  } catch (error) {
    if (isErrno(error, 'ENOENT')) throw new AppError('not_found', `audit key file '${path}' does not exist`);
    throw error;
  }
}

function parseKey<T>(path: string, parse: () => T): T {
  try {
    return parse();
  } catch {
    throw new AppError('invalid', `audit key file '${path}' does not hold a key in the expected format`);
  }
}

/** Loads an Ed25519 public key from a PEM file (what `audit verify --public-key FILE` reads). */
export async function loadAuditPublicKey(path: string): Promise<KeyObject> {
  const pem = await readKeyFile(path, false);
  const key = parseKey(path, () => createPublicKey(pem));
  if (key.asymmetricKeyType !== 'ed25519') throw new AppError('invalid', `audit key file '${path}' is not Ed25519`);
  return key;
}

/** Loads the three key files from `dir` and checks that the public key belongs to the private key. */
export async function loadAuditKeys(dir: string): Promise<AuditKeys> {
  const signingPath = join(dir, AUDIT_KEY_FILES.signingKey);
  const hmacPath = join(dir, AUDIT_KEY_FILES.hmacKey);
  const publicPath = join(dir, AUDIT_KEY_FILES.publicKey);
  const privatePem = await readKeyFile(signingPath, true);
  const privateKey = parseKey(signingPath, () => createPrivateKey(privatePem));
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new AppError('invalid', `audit key file '${signingPath}' is not Ed25519`);
  }
  const publicKey = await loadAuditPublicKey(publicPath);
  const keyId = auditKeyId(publicKey);
  if (auditKeyId(createPublicKey(privateKey)) !== keyId) {
    throw new AppError('invalid', `audit key files '${signingPath}' and '${publicPath}' are not a pair`);
  }
  const hmacHex = (await readKeyFile(hmacPath, true)).trim();
  if (!/^[0-9a-f]{64}$/.test(hmacHex)) {
    throw new AppError('invalid', `audit key file '${hmacPath}' must hold 64 hex characters`);
  }
  return { privateKey, publicKey, keyId, hmacKey: Buffer.from(hmacHex, 'hex') };
}

/** Loads the keys in `dir`, generating them first if none of the files exists (first start). */
export async function ensureAuditKeys(dir: string): Promise<{ readonly keys: AuditKeys; readonly created: boolean }> {
  const names = Object.values(AUDIT_KEY_FILES);
  const present = await Promise.all(
    names.map((name) =>
      stat(join(dir, name)).then(
        () => true,
        (error: unknown) => {
          if (isErrno(error, 'ENOENT')) return false;
          throw error;
        },
      ),
    ),
  );
  if (present.every((exists) => !exists)) return { keys: await generateAuditKeys(dir), created: true };
  return { keys: await loadAuditKeys(dir), created: false };
}

/** The default audit key directory: `.countersign/keys` beside a SQLite file, else under the working directory. */
export function defaultKeysDir(databaseUrl: string): string {
  const target = parseDatabaseUrl(databaseUrl);
  if (target.dialect === 'sqlite' && target.filename !== ':memory:') {
    return join(dirname(resolve(target.filename)), '.countersign', 'keys');
  }
  return resolve('.countersign', 'keys');
}
