/**
 * A PostgreSQL cluster that one fault test owns: `initdb` as the `postgres` OS user under a temporary
 * directory, started on a free loopback port, and stopped, crashed, paused or restarted at the test's will.
 * The shared server on 5432 is never touched. Needs the PostgreSQL server binaries (Debian's
 * `postgresql-NN`) and, when the test runs as root, the `postgres` OS user to own the data directory.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openDatabase } from '../../src/store/database.js';
import type { DialectContext } from '../store/dialects.js';

const IN_CI = process.env.CI === 'true';

/** The directory holding initdb, pg_ctl and postgres, newest major version first; undefined when absent. */
export function postgresBinaries(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((name) => existsSync(join(root, name, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : join(root, versions[0], 'bin');
}

/** Why this machine cannot run a private cluster, or undefined when it can. Under CI a reason is an error. */
export function privateClusterUnavailable(): string | undefined {
  const reason =
    postgresBinaries() === undefined
      ? 'no PostgreSQL server binaries under /usr/lib/postgresql'
      : process.getuid?.() === 0 && spawnSync('id', ['-u', 'postgres']).status !== 0
        ? 'running as root but there is no postgres OS user to own a data directory'
        : undefined;
  if (reason !== undefined && IN_CI) throw new Error(`fault tests must run in CI, but ${reason}`);
  return reason;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export class PrivateCluster {
  private constructor(
    private readonly bin: string,
    readonly dataDir: string,
    readonly port: number,
  ) {}

  /** `postgres://postgres@127.0.0.1:PORT/postgres`: trust authentication on loopback. */
  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  /** A dialect context over this cluster, for the application test harnesses: its own pool of `poolSize`. */
  async openContext(poolSize = 4): Promise<DialectContext> {
    const url = this.url;
    return { dialect: 'postgres', database: await openDatabase(url, { poolSize }), url, open: () => openDatabase(url) };
  }

  /** Creates and starts a new cluster with `fsync` on (durability is what the fault tests look at). */
  static async create(): Promise<PrivateCluster> {
    const bin = postgresBinaries();
    if (bin === undefined) throw new Error('no PostgreSQL server binaries');
    const root = mkdtempSync(join(tmpdir(), 'countersign-pg-'));
    const dataDir = join(root, 'data');
    const asRoot = process.getuid?.() === 0;
    if (asRoot) {
      const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
      const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
      chownSync(root, uid, gid);
    }
    const cluster = new PrivateCluster(bin, dataDir, await freePort());
    cluster.run('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
    await cluster.start();
    return cluster;
  }

  private run(tool: string, args: readonly string[]): string {
    const command = join(this.bin, tool);
    const asRoot = process.getuid?.() === 0;
    const result = asRoot
      ? spawnSync('runuser', ['-u', 'postgres', '--', command, ...args], { encoding: 'utf8' })
      : spawnSync(command, [...args], { encoding: 'utf8' });
    if (result.status !== 0) {
      throw new Error(`${tool} failed (${String(result.status)}): ${result.stderr || result.stdout}`);
    }
    return result.stdout;
  }

  /** Starts the server and waits until it accepts connections. */
  async start(): Promise<void> {
    const options = [
      `-p ${this.port}`,
      "-c listen_addresses='127.0.0.1'",
      `-c unix_socket_directories='${join(this.dataDir, '..')}'`,
      '-c fsync=on',
      '-c max_connections=60',
      '-c shared_buffers=32MB',
    ].join(' ');
    this.run('pg_ctl', [
      '-D',
      this.dataDir,
      '-o',
      options,
      '-l',
      join(this.dataDir, '..', 'server.log'),
      '-w',
      'start',
    ]);
    await this.waitUntilReady();
  }

  /** `pg_ctl stop -m immediate`: a crash as far as durability is concerned (no checkpoint, no flush). */
  crash(): void {
    // A paused WAL writer is not resumed first (it could flush in that moment): the postmaster SIGKILLs
    // children that do not exit on their own.
    this.run('pg_ctl', ['-D', this.dataDir, '-m', 'immediate', '-w', 'stop']);
    this.pausedWalWriter = undefined;
  }

  /** A clean stop. */
  stop(): void {
    this.resumeWalWriter();
    this.run('pg_ctl', ['-D', this.dataDir, '-m', 'fast', '-w', 'stop']);
  }

  private postmasterPid(): number {
    const line = readFileSync(join(this.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0] ?? '';
    return Number(line.trim());
  }

  /** The process id of the cluster's WAL writer. */
  walWriterPid(): number {
    const parent = this.postmasterPid();
    const out = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(parent)]).toString();
    const line = out.split('\n').find((candidate) => candidate.includes('walwriter'));
    if (line === undefined) throw new Error('no walwriter process found');
    return Number(line.trim().split(/\s+/)[0]);
  }

  private pausedWalWriter: number | undefined;

  /**
   * Stops the WAL writer (SIGSTOP), so asynchronously committed transactions stay unflushed until a backend
   * flushes the WAL itself; that is what makes "answered but not durable" visible to a crash.
   */
  pauseWalWriter(): void {
    this.pausedWalWriter = this.walWriterPid();
    process.kill(this.pausedWalWriter, 'SIGSTOP');
  }

  resumeWalWriter(): void {
    if (this.pausedWalWriter === undefined) return;
    try {
      process.kill(this.pausedWalWriter, 'SIGCONT');
    } catch {
      // already gone with its server
    }
    this.pausedWalWriter = undefined;
  }

  async waitUntilReady(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const client = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: 1000 });
      client.on('error', () => undefined);
      try {
        await client.connect();
        await client.query('select 1');
        await client.end();
        return;
      } catch (error) {
        await client.end().catch(() => undefined);
        if (Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  }

  /** Stops the server if it runs and removes its directory. */
  destroy(): void {
    try {
      this.resumeWalWriter();
      if (existsSync(join(this.dataDir, 'postmaster.pid'))) {
        this.run('pg_ctl', ['-D', this.dataDir, '-m', 'immediate', '-w', 'stop']);
      }
    } finally {
      rmSync(join(this.dataDir, '..'), { recursive: true, force: true });
    }
  }
}
