/**
 * Audit key material in files an operator can keep elsewhere (SPEC §2.10):
 * - `audit-signing.key`: Ed25519 private key, PKCS#8 PEM, mode 0600 — signs checkpoints;
 * - `audit-signing.pub`: its public key, SPKI PEM — all `audit verify` needs, offline;
 * - `audit-hmac.key`: 32 random bytes as 64 hex characters, mode 0600 — seals sensitive values in events;
 * - `audit-data.key`: 32 random bytes as 64 hex characters, mode 0600 — keeps output values (provider errors,
 *   SQL rows, command output) encrypted for `audit` readers (seal.ts). Losing it leaves them sealed for good;
 *   the chain still verifies without it.
 * Generated on first start (the data key also on the first start of an installation made before it existed);
 * never overwritten; secret files readable by others are refused, as ssh does.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parseDatabaseUrl } from '../../store/database-url.js';
import { AppError, isAppError } from '../../core/errors.js';
import { auditKeyId } from '../checkpoint.js';

export const AUDIT_KEY_FILES = {
  signingKey: 'audit-signing.key',
  publicKey: 'audit-signing.pub',
  hmacKey: 'audit-hmac.key',
  dataKey: 'audit-data.key',
} as const;

export interface AuditKeys {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly keyId: string;
  readonly hmacKey: Buffer;
  /** Absent only when loaded from a directory made before the data key existed (`ensureAuditKeys` adds it). */
  readonly dataKey?: Buffer;
}

function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}

/** Writes a new key file; refuses with `conflict` if it exists, so a key is never replaced by accident. */
async function writeNewKeyFile(dir: string, name: string, content: string, mode: number): Promise<void> {
  try {
    await writeFile(join(dir, name), content, { mode, flag: 'wx' });
  } catch (error) {
    if (isErrno(error, 'EEXIST')) {
      throw new AppError('conflict', `audit key file '${join(dir, name)}' already exists; it is never overwritten`);
    }
    throw error;
  }
}

/**
 * Creates the four key files in `dir` (created 0700 if missing). Refuses with `conflict` if any of them
 * already exists, so an existing key is never replaced by accident.
 */
export async function generateAuditKeys(dir: string): Promise<AuditKeys & { readonly dataKey: Buffer }> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const hmacKey = randomBytes(32);
  const dataKey = randomBytes(32);
  const files: readonly [string, string, number][] = [
    [AUDIT_KEY_FILES.signingKey, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), 0o600],
    [AUDIT_KEY_FILES.hmacKey, `${hmacKey.toString('hex')}\n`, 0o600],
    [AUDIT_KEY_FILES.dataKey, `${dataKey.toString('hex')}\n`, 0o600],
    [AUDIT_KEY_FILES.publicKey, publicKey.export({ type: 'spki', format: 'pem' }).toString(), 0o644],
  ];
  for (const [name, content, mode] of files) await writeNewKeyFile(dir, name, content, mode);
  return { privateKey, publicKey, keyId: auditKeyId(publicKey), hmacKey, dataKey };
}

/**
 * Adds `audit-data.key` to a key directory made before it existed. Another process starting at the same time
 * may write it first: then that key is kept (never overwritten) and this one is dropped.
 */
export async function generateAuditDataKey(dir: string): Promise<void> {
  try {
    await writeNewKeyFile(dir, AUDIT_KEY_FILES.dataKey, `${randomBytes(32).toString('hex')}\n`, 0o600);
  } catch (error) {
    if (!(isAppError(error) && error.code === 'conflict')) throw error;
  }
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

async function readHexKey(path: string): Promise<Buffer> {
  const hex = (await readKeyFile(path, true)).trim();
  if (!/^[0-9a-f]{64}$/.test(hex))
    throw new AppError('invalid', `audit key file '${path}' must hold 64 hex characters`);
  return Buffer.from(hex, 'hex');
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    (error: unknown) => {
      if (isErrno(error, 'ENOENT')) return false;
      throw error;
    },
  );
}

/**
 * Loads the key files from `dir` and checks that the public key belongs to the private key. The data key is
 * left out when its file does not exist (a directory made before it; values are then only HMAC'd).
 */
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
  const hmacKey = await readHexKey(hmacPath);
  const dataPath = join(dir, AUDIT_KEY_FILES.dataKey);
  if (!(await exists(dataPath))) return { privateKey, publicKey, keyId, hmacKey };
  return { privateKey, publicKey, keyId, hmacKey, dataKey: await readHexKey(dataPath) };
}

/** What `ensureAuditKeys` found: the keys, data key included, and which files it had to create. */
export interface EnsuredAuditKeys {
  readonly keys: AuditKeys & { readonly dataKey: Buffer };
  /** All of them: the first start. */
  readonly created: boolean;
  /** Only the data key: the first start of an installation made before it existed. */
  readonly createdDataKey: boolean;
}

/**
 * Loads the keys in `dir`, generating them first if none of the files exists (first start), and adding the data
 * key if only it is missing. Any other missing file is `not_found`: a lost signing or HMAC key is never replaced.
 */
export async function ensureAuditKeys(dir: string): Promise<EnsuredAuditKeys> {
  const present = await Promise.all(Object.values(AUDIT_KEY_FILES).map((name) => exists(join(dir, name))));
  if (present.every((found) => !found)) {
    return { keys: await generateAuditKeys(dir), created: true, createdDataKey: true };
  }
  // Load first, so that a directory missing another key is refused before anything is written into it.
  const loaded = await loadAuditKeys(dir);
  if (loaded.dataKey !== undefined) {
    return { keys: { ...loaded, dataKey: loaded.dataKey }, created: false, createdDataKey: false };
  }
  await generateAuditDataKey(dir);
  const dataKey = await readHexKey(join(dir, AUDIT_KEY_FILES.dataKey));
  return { keys: { ...loaded, dataKey }, created: false, createdDataKey: true };
}

/** The default audit key directory: `.countersign/keys` beside a SQLite file, else under the working directory. */
export function defaultKeysDir(databaseUrl: string): string {
  const target = parseDatabaseUrl(databaseUrl);
  if (target.dialect === 'sqlite' && target.filename !== ':memory:') {
    return join(dirname(resolve(target.filename)), '.countersign', 'keys');
  }
  return resolve('.countersign', 'keys');
}
