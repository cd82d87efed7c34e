/**
 * The revocation journal (SPEC §2.8 "removing privilege never waits"): when the store refuses writes (a full
 * disk, audit inserts refused, a database that went away), a grant's privilege is still removed on its
 * provider, and the outcome is written here before anyone is answered: one JSON line per revoke, appended and
 * fsync'd, in a file of this process under the journal directory. The scheduler records every journalled
 * outcome as soon as the store accepts writes again (`replayRevocations`), with the time the revoke happened,
 * then compacts the file. Meanwhile `check` answers denied for every grant named here (`isRevoked`).
 * The directory belongs to the processes of one host (the default: beside the audit keys).
 *
 * The file is preallocated (`RESERVED_BYTES` of newlines, which read as blank lines) and entries overwrite the
 * reserve in place, so a journal on the same disk as a full SQLite file still has room for its entries.
 *
 * Exactly once: the record names the grant's state (a grant already `revoked` or `expired` records nothing),
 * so a replay after a crash between recording and compacting records nothing twice. Files of processes that
 * are gone (a dead pid on this host, this pid in an earlier life as in a restarted container, another host
 * name as in a recreated container) are adopted by the next process to open the directory; an atomic rename
 * decides who adopts each.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, readdir, rename, unlink, type FileHandle } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { TeardownKind } from '../core/domain.js';

/** A revoke done on the provider while the store could not be written. */
export interface JournalEntry {
  readonly grantId: string;
  readonly requestId: string;
  readonly kind: TeardownKind;
  readonly actor: string;
  readonly reason: string;
  /** When the provider's revoke succeeded (epoch ms): the time the record carries as `revokedAt`. */
  readonly at: number;
  readonly outcome: 'revoked';
}

/** How long a recorded grant stays denied in memory: longer than any `check` index may lag behind the store. */
const RECORDED_MEMORY_MS = 60_000;
const FILE_SUFFIX = '.jsonl';
/** Separates host, pid and a random tag in a file name (`~` never occurs in a host name). */
const SEPARATOR = '~';
/** Journal files this process has open (several journals in one process, as in tests, leave each other alone). */
const OPEN_PATHS = new Set<string>();
/** Space taken when a journal file is (re)written, so that entries never need a free block on a full disk. */
const RESERVED_BYTES = 1024 * 1024;

function parseLines(text: string): JournalEntry[] {
  const entries: JournalEntry[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const entry = JSON.parse(line) as Partial<JournalEntry>;
      if (typeof entry.grantId === 'string' && typeof entry.at === 'number') entries.push(entry as JournalEntry);
    } catch {
      // A line torn by a crash mid-write was never acknowledged: its revoke is found again by the scheduler.
    }
  }
  return entries;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class RevocationJournal {
  readonly directory: string;
  /** This process's file: `<host>-<pid>-<random>.jsonl`. */
  readonly path: string;
  readonly #pending = new Map<string, JournalEntry>();
  /** Grants recorded from this journal, with when: still denied for a while, until every index has caught up. */
  readonly #recorded = new Map<string, number>();
  #writing: Promise<void> = Promise.resolve();
  #file: FileHandle | undefined;
  /** Where the next entry is written: the end of the entries, inside the reserve. */
  #offset = 0;

  private constructor(directory: string) {
    this.directory = directory;
    this.path = RevocationJournal.#fileName(directory);
    OPEN_PATHS.add(this.path);
  }

  static #fileName(directory: string): string {
    const tag = randomBytes(4).toString('hex');
    return join(directory, [hostname(), process.pid, tag].join(SEPARATOR) + FILE_SUFFIX);
  }

  /** Opens the directory (created if missing) and adopts the files of processes of this host that are gone. */
  static async open(directory: string): Promise<RevocationJournal> {
    await mkdir(directory, { recursive: true, mode: 0o700 });
    const journal = new RevocationJournal(directory);
    await journal.#rewrite();
    await journal.adoptOrphans();
    return journal;
  }

  /** Closes the file; what it holds is adopted by the next process to open the directory. */
  async close(): Promise<void> {
    await this.#serial(async () => {
      await this.#file?.close();
      this.#file = undefined;
      if (this.#pending.size === 0) await unlink(this.path).catch(() => undefined);
      OPEN_PATHS.delete(this.path);
    });
  }

  /** Journalled revokes not yet recorded in the store, oldest first. */
  pending(): readonly JournalEntry[] {
    return [...this.#pending.values()].sort((a, b) => a.at - b.at);
  }

  /** True while `check` must answer denied for this grant: journalled, or recorded from here moments ago. */
  isRevoked(grantId: string, now: number): boolean {
    if (this.#pending.has(grantId)) return true;
    const recordedAt = this.#recorded.get(grantId);
    return recordedAt !== undefined && now - recordedAt < RECORDED_MEMORY_MS;
  }

  /** Appends the entry and fsyncs the file; resolves only once it is durable. */
  async append(entry: JournalEntry): Promise<void> {
    this.#pending.set(entry.grantId, entry);
    await this.#serial(async () => {
      const file = this.#file ?? (this.#file = await open(this.path, 'r+', 0o600));
      const line = Buffer.from(`${JSON.stringify(entry)}\n`);
      await file.write(line, 0, line.length, this.#offset);
      await file.sync();
      this.#offset += line.length;
    });
  }

  /**
   * Forgets entries whose outcome is now in the store (or was found already recorded) and rewrites the file
   * with what is left (a new file, fsync'd, renamed over the old one).
   */
  async settle(grantIds: readonly string[], now: number): Promise<void> {
    if (grantIds.length === 0) return;
    for (const id of grantIds) {
      if (this.#pending.delete(id)) this.#recorded.set(id, now);
    }
    for (const [id, at] of this.#recorded) if (now - at >= RECORDED_MEMORY_MS) this.#recorded.delete(id);
    await this.#rewrite();
  }

  /** Writes the pending entries and a fresh reserve to a new file, fsync'd, renamed over ours. */
  async #rewrite(): Promise<void> {
    await this.#serial(async () => {
      const body = Buffer.from([...this.#pending.values()].map((entry) => `${JSON.stringify(entry)}\n`).join(''));
      const next = `${this.path}.next`;
      const file = await open(next, 'w', 0o600);
      try {
        await file.write(Buffer.concat([body, Buffer.alloc(RESERVED_BYTES, 0x0a)]));
        await file.sync();
      } catch (error) {
        await file.close();
        await unlink(next).catch(() => undefined);
        throw error;
      }
      await rename(next, this.path);
      await this.#file?.close();
      this.#file = file;
      this.#offset = body.length;
    });
  }

  /** Takes over journal files of processes that are gone: their entries become ours (written to our file). */
  async adoptOrphans(): Promise<void> {
    for (const name of await readdir(this.directory)) {
      const path = join(this.directory, name);
      if (!name.endsWith(FILE_SUFFIX) || OPEN_PATHS.has(path)) continue;
      const [host, pidText] = name.split(SEPARATOR);
      const pid = Number(pidText);
      const gone = host !== hostname() || pid === process.pid || !Number.isInteger(pid) || !processAlive(pid);
      if (!gone) continue;
      // Named as a file of ours: if this process dies while adopting, the next one adopts it in turn.
      const claimed = RevocationJournal.#fileName(this.directory);
      OPEN_PATHS.add(claimed);
      try {
        await rename(path, claimed);
      } catch {
        OPEN_PATHS.delete(claimed);
        continue; // another process adopted it first
      }
      for (const entry of parseLines(await readFile(claimed, 'utf8'))) {
        if (!this.#pending.has(entry.grantId)) await this.append(entry);
      }
      await unlink(claimed);
      OPEN_PATHS.delete(claimed);
    }
  }

  #serial(work: () => Promise<void>): Promise<void> {
    const next = this.#writing.then(work);
    this.#writing = next.catch(() => undefined);
    return next;
  }
}
