/**
 * `countersign audit …`: `audit verify` checks the audit log offline, straight from the database (SQLite file
 * or PostgreSQL), against the signed checkpoints, the public key and optionally a witness file. It needs no
 * server and changes nothing. With `--from-stream FILE` it checks a consumer's copy of the audit stream instead
 * (JSONL, one record per line as the sinks deliver them; see audit/stream-record.ts) against the checkpoints of a
 * witness file (`--checkpoints`) or of the database. Exit codes: 0 the log verifies, 1 it was tampered with (the
 * first bad sequence number and the kind are printed), 2 usage error, 4 something could not be read.
 */
import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { KeyObject } from 'node:crypto';
import { join } from 'node:path';
import type { Command } from 'commander';
import { AUDIT_KEY_FILES, defaultKeysDir, loadAuditPublicKey } from '../audit/store/audit-keys.js';
import { verifyStoredAuditLog } from '../audit/store/audit-store.js';
import { auditKeyId, type SignedCheckpoint } from '../audit/checkpoint.js';
import type { AuditVerification } from '../audit/verify.js';
import { verifyStreamCopy, type StreamCopyVerification } from '../audit/verify-stream.js';
import { readAuditCheckpoints } from '../audit/store/audit-store.js';
import { readWitnessFile } from '../audit/witness.js';
import { AppError, isAppError } from '../core/errors.js';
import { parseDatabaseUrl } from '../store/database.js';
import { DB_URL_HELP, resolveDatabaseUrl, withDatabase } from './db.commands.js';
import { EXIT_DENIED, EXIT_OK, type CommandResult, type RunCommand } from './exit-codes.js';
import { plural, printError, printJson, printLines, type OutputOptions } from './output.js';

export const KEYS_DIR_HELP =
  'directory of the audit key files (default: .countersign/keys beside the SQLite file, or ./.countersign/keys for PostgreSQL)';

export interface AuditVerifyOptions extends OutputOptions {
  readonly db?: string;
  readonly publicKey?: string;
  readonly witness?: string;
  readonly keys?: string;
  /** A consumer's copy of the audit stream (JSONL) to verify instead of the database. */
  readonly fromStream?: string;
  /** With `--from-stream`: a JSONL file of signed checkpoints (a witness file) instead of the database's. */
  readonly checkpoints?: string;
}

/** A failure to read an input: exit 4 whatever the cause, with the cause's message (never driver text). */
function unreadable(error: unknown, what: string): AppError {
  const message = isAppError(error) ? error.message : `${what} could not be read`;
  return new AppError('internal', message, { reason: 'unreadable' });
}

async function readInput<T>(what: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    throw unreadable(error, what);
  }
}

async function publicKeyFor(options: AuditVerifyOptions, url: string): Promise<{ key?: KeyObject; path?: string }> {
  if (options.publicKey !== undefined) {
    const path = options.publicKey;
    return { key: await readInput(`public key '${path}'`, () => loadAuditPublicKey(path)), path };
  }
  const path = join(options.keys ?? defaultKeysDir(url), AUDIT_KEY_FILES.publicKey);
  if (!existsSync(path)) return {};
  return { key: await readInput(`public key '${path}'`, () => loadAuditPublicKey(path)), path };
}

function describe(result: AuditVerification, keyId: string | undefined): string[] {
  const signatures = result.signaturesChecked
    ? `signatures checked with key '${keyId ?? '?'}'`
    : 'signatures NOT checked (no public key)';
  const counts =
    `${plural(result.checkpointsVerified, 'checkpoint')} verified, ${signatures}; ` +
    `${plural(result.witnessCheckpointsVerified, 'witness checkpoint')} agree`;
  if (result.ok) {
    return [
      `audit log ok: ${plural(result.eventsVerified, 'event')} verified; ${counts}`,
      `head: seq ${result.head?.seq ?? 0} ${result.head?.hash ?? ''}`,
      `root: ${result.root ?? ''}`,
    ];
  }
  return [
    `audit log TAMPERED: first bad seq ${result.firstBadSeq ?? '?'} (${result.problem?.kind ?? 'unknown'})`,
    result.problem?.message ?? '',
    `before it: ${plural(result.eventsVerified, 'event')} verified; ${counts}`,
  ];
}

/** `audit verify`: see the module comment for what it prints and how it exits. */
export async function auditVerifyCommand(options: AuditVerifyOptions): CommandResult {
  if (options.fromStream !== undefined) return auditVerifyStreamCommand({ ...options, fromStream: options.fromStream });
  if (options.checkpoints !== undefined) throw new AppError('invalid', '--checkpoints goes with --from-stream');
  const url = resolveDatabaseUrl(options.db);
  const target = parseDatabaseUrl(url);
  if (target.dialect === 'sqlite' && target.filename !== ':memory:' && !existsSync(target.filename)) {
    // Opening would create an empty database, which would then "verify".
    throw new AppError('internal', `database file '${target.filename}' does not exist`, { reason: 'unreadable' });
  }
  const { key, path: keyPath } = await publicKeyFor(options, url);
  const witnessPath = options.witness;
  let witness: SignedCheckpoint[] | undefined;
  if (witnessPath !== undefined) {
    witness = await readInput(`witness file '${witnessPath}'`, () => readWitnessFile(witnessPath));
  }
  if (key === undefined && !options.json) {
    printError(
      `warning: no public key given and none at '${join(options.keys ?? defaultKeysDir(url), AUDIT_KEY_FILES.publicKey)}': checkpoint signatures are not checked`,
    );
  }
  const result = await withDatabase(url, async (database) => {
    try {
      return await verifyStoredAuditLog(database.db, {
        publicKey: key,
        witness,
        onProgress: options.json
          ? undefined
          : (read) => printError(`verified ${read.toLocaleString('en-US')} events …`),
      });
    } catch {
      throw new AppError(
        'internal',
        `the audit log of '${database.displayUrl}' could not be read: is it a migrated Countersign database? (countersign db migrate)`,
        { reason: 'unreadable' },
      );
    }
  });
  const keyId = key === undefined ? undefined : auditKeyId(key);
  if (options.json) {
    printJson({ ...result, ...(keyId === undefined ? {} : { keyId, publicKey: keyPath }) });
  } else {
    printLines(describe(result, keyId));
  }
  return result.ok ? EXIT_OK : EXIT_DENIED;
}

/** The public key for `--from-stream`: `--public-key`, else the key directory (`--keys`, or beside the database). */
async function streamPublicKey(
  options: AuditVerifyOptions,
  url: string | undefined,
): Promise<{ key?: KeyObject; path?: string }> {
  if (url !== undefined || options.publicKey !== undefined) return publicKeyFor(options, url ?? '');
  const path = options.keys === undefined ? undefined : join(options.keys, AUDIT_KEY_FILES.publicKey);
  if (path === undefined || !existsSync(path)) return {};
  return { key: await readInput(`public key '${path}'`, () => loadAuditPublicKey(path)), path };
}

async function streamCheckpoints(options: AuditVerifyOptions, url: string | undefined): Promise<SignedCheckpoint[]> {
  const file = options.checkpoints;
  if (file !== undefined) return readInput(`checkpoint file '${file}'`, () => readWitnessFile(file));
  if (url === undefined) throw new AppError('invalid', 'give the checkpoints with --checkpoints FILE or --db URL');
  const target = parseDatabaseUrl(url);
  if (target.dialect === 'sqlite' && target.filename !== ':memory:' && !existsSync(target.filename)) {
    throw new AppError(
      'internal',
      `database file '${target.filename}' does not exist: give the checkpoints with --checkpoints FILE (a witness file) or the database with --db`,
      { reason: 'unreadable' },
    );
  }
  return withDatabase(url, (database) =>
    readInput(`the checkpoints of '${database.displayUrl}'`, () => readAuditCheckpoints(database.db)),
  );
}

function describeStream(result: StreamCopyVerification, keyId: string | undefined): string[] {
  const lines = describe(result, keyId).map((line) => line.replace(/^audit log /, 'stream copy '));
  const notes = [
    result.duplicates > 0 ? `${plural(result.duplicates, 'repeated delivery', 'repeated deliveries')} skipped` : '',
    result.checkpointsBeyondCopy > 0
      ? `${plural(result.checkpointsBeyondCopy, 'checkpoint')} beyond the copy's last event not checked`
      : '',
  ].filter((note) => note !== '');
  return notes.length === 0 ? lines : [...lines, notes.join('; ')];
}

/** `audit verify --from-stream FILE`: a consumer's copy of the stream against the signed checkpoints. */
async function auditVerifyStreamCommand(options: AuditVerifyOptions & { fromStream: string }): CommandResult {
  // With the checkpoints in a file, a database is needed only to find the key directory beside it.
  const given = options.db ?? process.env.COUNTERSIGN_DB;
  const url = options.checkpoints === undefined || (given ?? '').trim() !== '' ? resolveDatabaseUrl(given) : undefined;
  const { key, path: keyPath } = await streamPublicKey(options, url);
  if (key === undefined && !options.json) {
    printError('warning: no public key given or found: checkpoint signatures are not checked');
  }
  const checkpoints = await streamCheckpoints(options, url);
  const witness =
    options.witness === undefined
      ? []
      : await readInput(`witness file '${options.witness}'`, () => readWitnessFile(options.witness ?? ''));
  const path = options.fromStream;
  if (!existsSync(path))
    throw new AppError('internal', `stream copy '${path}' does not exist`, { reason: 'unreadable' });
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Number.POSITIVE_INFINITY });
  const result = await readInput(`stream copy '${path}'`, () =>
    verifyStreamCopy({ lines, checkpoints: [...checkpoints, ...witness], publicKey: key }),
  );
  const keyId = key === undefined ? undefined : auditKeyId(key);
  if (options.json) printJson({ ...result, ...(keyId === undefined ? {} : { keyId, publicKey: keyPath }) });
  else printLines(describeStream(result, keyId));
  return result.ok ? EXIT_OK : EXIT_DENIED;
}

/** Adds the `audit` command group. */
export function registerAuditCommands(program: Command, run: RunCommand): void {
  const audit = program.command('audit').description('verify the tamper-evident audit log');
  audit
    .command('verify')
    .description(
      'verify the audit log offline, straight from the database: every event hash and link, every signed ' +
        'checkpoint (Ed25519, RFC 6962 Merkle root) and, with --witness, a witness copy. Names the first bad ' +
        'sequence number and the kind of tampering. Exit 0 ok, 1 tampered, 2 usage error, 4 cannot read.',
    )
    .option('--db <url>', DB_URL_HELP)
    .option(
      '--public-key <file>',
      `Ed25519 public key (PEM) that signs checkpoints (default: ${AUDIT_KEY_FILES.publicKey} in the key directory)`,
    )
    .option('--keys <dir>', KEYS_DIR_HELP)
    .option('--witness <file>', 'JSONL witness file whose checkpoints must agree with the database')
    .option(
      '--from-stream <file>',
      "verify a consumer's copy of the audit stream (JSONL: one record per line, or HEC/syslog lines holding one) instead of the database; repeated deliveries are tolerated, gaps and changes are not",
    )
    .option(
      '--checkpoints <file>',
      "with --from-stream: the signed checkpoints to check against, a witness file (JSONL); default: the database's (--db)",
    )
    .option('--json', 'print the verification result as JSON (and no progress)')
    .action((options: AuditVerifyOptions) => run(() => auditVerifyCommand(options)));
}
