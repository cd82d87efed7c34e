/**
 * The recorder's local append-only journal (issue 14): every statement record is written here synchronously,
 * before the gateway forwards the statement, so a gateway that dies loses nothing it let through. One JSON line
 * per record, in segment files `<stamp>-<n>.jsonl` of one process; a write is a plain `write(2)` (no fsync per
 * record: the page cache survives the process being killed), and the data is fsynced periodically for power
 * loss. A segment is deleted once everything in it is shipped to the database. Whatever an earlier process left
 * (`leftovers`) is shipped by the next recorder started on the same directory; a torn last line is skipped.
 * One gateway process per directory at a time: a lock file with its pid keeps a second one out.
 */
import {
  closeSync,
  fdatasync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../core/errors.js';
import type { JournalRecord } from './session-records.js';

const LOCK_FILE = 'journal.lock';
const SEGMENT = /^\d+-\d+\.jsonl$/;
/** A segment this large is closed and a new one begun (it is deleted once shipped). */
const SEGMENT_BYTES = 8 * 1024 * 1024;

interface Segment {
  readonly path: string;
  fd: number | undefined;
  bytes: number;
  written: number;
  shipped: number;
  /** A write failed part-way: the next record starts on a fresh line, so the torn one cannot swallow it. */
  torn: boolean;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A journal file's records, in order; a line that does not parse (a torn write) is skipped. */
function readSegment(path: string): JournalRecord[] {
  const records: JournalRecord[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line === '') continue;
    try {
      records.push(JSON.parse(line) as JournalRecord);
    } catch {
      // A write torn by a crash or a full disk: that record was never acknowledged, the ones after it were.
      continue;
    }
  }
  return records;
}

export class SessionJournal {
  readonly #dir: string;
  readonly #stamp = `${Date.now()}`;
  /** Segments of this process, oldest first; the last is the one written to. */
  readonly #segments: Segment[] = [];
  #next = 0;
  #dirty = false;
  #syncing = false;

  private constructor(dir: string) {
    this.#dir = dir;
  }

  /** Takes the directory (refusing while another live process holds it) and opens a fresh segment. */
  static open(dir: string): SessionJournal {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const lock = join(dir, LOCK_FILE);
    try {
      writeFileSync(lock, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(lock, 'utf8').trim());
      if (Number.isSafeInteger(holder) && holder !== process.pid && pidAlive(holder)) {
        throw new AppError('conflict', `gateway journal '${dir}' is in use by process ${holder}`);
      }
      writeFileSync(lock, `${process.pid}\n`, { mode: 0o600 });
    }
    const journal = new SessionJournal(dir);
    journal.#rotate();
    return journal;
  }

  /** Segment files left by an earlier process, with their records, oldest first. */
  leftovers(): { readonly path: string; readonly records: JournalRecord[] }[] {
    const mine = new Set(this.#segments.map((segment) => segment.path));
    return readdirSync(this.#dir)
      .filter((name) => SEGMENT.test(name))
      .map((name) => join(this.#dir, name))
      .filter((path) => !mine.has(path))
      .sort((a, b) => segmentOrder(a) - segmentOrder(b) || a.localeCompare(b))
      .map((path) => ({ path, records: readSegment(path) }));
  }

  /** Removes a leftover segment once everything in it is shipped. */
  discard(path: string): void {
    unlinkSync(path);
  }

  /**
   * Appends one record with one `write(2)` (no fsync); throws `internal` when it cannot (disk full, closed file),
   * and the caller must then not forward the statement. Returns the segment it went to.
   */
  append(record: JournalRecord): Segment {
    const segment = this.#segments[this.#segments.length - 1];
    if (segment?.fd === undefined) throw new AppError('internal', 'the gateway journal is closed');
    const line = `${segment.torn ? '\n' : ''}${JSON.stringify(record)}\n`;
    try {
      const buffer = Buffer.from(line, 'utf8');
      let offset = 0;
      while (offset < buffer.length) offset += writeSync(segment.fd, buffer, offset);
      segment.bytes += buffer.length;
      segment.torn = false;
    } catch {
      segment.torn = true;
      throw new AppError('internal', 'the gateway journal cannot be written, so the statement was not forwarded');
    }
    segment.written += 1;
    this.#dirty = true;
    if (segment.bytes >= SEGMENT_BYTES) this.#rotate();
    return segment;
  }

  /** Marks one record of `segment` shipped; a finished, full segment is deleted. */
  shipped(segment: Segment, count = 1): void {
    segment.shipped += count;
    this.#collect();
  }

  /** Flushes written data to disk (called periodically, and on close). */
  sync(): void {
    if (!this.#dirty || this.#syncing) return;
    const fd = this.#segments[this.#segments.length - 1]?.fd;
    if (fd === undefined) return;
    this.#dirty = false;
    this.#syncing = true;
    fdatasync(fd, () => {
      this.#syncing = false;
    });
  }

  /** Closes the files; segments fully shipped are deleted, the others stay for the next recorder. */
  close(): void {
    for (const segment of this.#segments) {
      if (segment.fd !== undefined) closeSync(segment.fd);
      segment.fd = undefined;
      if (segment.shipped >= segment.written) unlinkSync(segment.path);
    }
    this.#segments.length = 0;
    try {
      unlinkSync(join(this.#dir, LOCK_FILE));
    } catch {
      // Already gone: nothing to release.
    }
  }

  #rotate(): void {
    const previous = this.#segments[this.#segments.length - 1];
    const path = join(this.#dir, `${this.#stamp}-${String(this.#next++).padStart(6, '0')}.jsonl`);
    const fd = openSync(path, 'a', 0o600);
    this.#segments.push({ path, fd, bytes: 0, written: 0, shipped: 0, torn: false });
    if (previous?.fd !== undefined) {
      closeSync(previous.fd);
      previous.fd = undefined;
    }
    this.#collect();
  }

  #collect(): void {
    while (this.#segments.length > 1) {
      const oldest = this.#segments[0];
      if (oldest === undefined || oldest.fd !== undefined || oldest.shipped < oldest.written) return;
      unlinkSync(oldest.path);
      this.#segments.shift();
    }
  }
}

function segmentOrder(path: string): number {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return Number(name.split('-')[0]);
}

export type { Segment as JournalSegment };
