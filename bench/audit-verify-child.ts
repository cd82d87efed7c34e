/**
 * The SQLite side of audit-verify.bench.ts, in processes of their own, so that the timing carries nothing of the
 * benchmark's own million events in memory (nor their garbage being collected beside it):
 * - `write FILE KEY_FILE`: builds the log, writes it to the SQLite file `FILE` and the public key (PEM) that
 *   signed its checkpoints to `KEY_FILE` (untimed);
 * - `verify FILE KEY_FILE`: what `countersign audit verify --db FILE --public-key KEY_FILE` does once the key is
 *   loaded, open the file and run `verifyStoredAuditLog`, timed; prints the seconds as JSON.
 */
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { verifyStoredAuditLog } from '../src/audit/store/audit-store.js';
import { openDatabase } from '../src/store/database.js';
import { buildLog, checkVerified, writeSqliteFile } from './audit-log-fixture.js';

async function write(file: string, keyFile: string): Promise<void> {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  await writeSqliteFile(file, buildLog(privateKey));
  writeFileSync(keyFile, publicKey.export({ type: 'spki', format: 'pem' }));
}

async function verify(file: string, keyFile: string): Promise<void> {
  const publicKey = createPublicKey(readFileSync(keyFile));
  const started = process.hrtime.bigint();
  const database = await openDatabase(file);
  try {
    checkVerified(await verifyStoredAuditLog(database.db, { publicKey }), 'in the SQLite file');
  } finally {
    await database.close();
  }
  console.log(JSON.stringify({ seconds: Number(process.hrtime.bigint() - started) / 1e9 }));
}

const [mode, file, keyFile] = process.argv.slice(2);
if (file === undefined || keyFile === undefined || (mode !== 'write' && mode !== 'verify')) {
  throw new Error('usage: audit-verify-child.ts write|verify DB_FILE PUBLIC_KEY_FILE');
}
await (mode === 'write' ? write(file, keyFile) : verify(file, keyFile));
