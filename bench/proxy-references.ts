/**
 * Reference proxies for the gateway benchmark, measured in the same run as the gateway: what any proxy on the same
 * two cores costs before it checks anything.
 * - PgBouncer in session mode (Debian's `pgbouncer`, C, one upstream connection per client like the gateway,
 *   no statement parsing): the standard PostgreSQL proxy. Absent when the package is not installed.
 * - A bare Node.js socket pipe (`net` streams piped both ways): the gateway's own runtime with no protocol work.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ReferenceProxy {
  readonly port: number;
  stop(): Promise<void>;
}

const PGBOUNCER = '/usr/sbin/pgbouncer';

async function listening(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`pgbouncer exited with ${child.exitCode}`);
    const up = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: '127.0.0.1', port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (up) return;
    if (Date.now() > deadline) throw new Error('pgbouncer did not listen');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** PgBouncer (session mode) on `port` in front of 127.0.0.1:`upstreamPort`; undefined when not installed. */
export async function startPgBouncer(port: number, upstreamPort: number): Promise<ReferenceProxy | undefined> {
  if (!existsSync(PGBOUNCER)) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'bench-pgbouncer-'));
  const ini = join(dir, 'pgbouncer.ini');
  writeFileSync(
    ini,
    [
      '[databases]',
      `* = host=127.0.0.1 port=${upstreamPort}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = trust',
      `auth_file = ${join(dir, 'users.txt')}`,
      'pool_mode = session',
      'max_client_conn = 200',
      'default_pool_size = 50',
      `logfile = ${join(dir, 'pgbouncer.log')}`,
      '',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'users.txt'), '"postgres" ""\n');
  // PgBouncer refuses to run as root: as the postgres user then, which must own its files.
  const owner =
    process.getuid?.() === 0
      ? {
          uid: Number(execFileSync('id', ['-u', 'postgres']).toString().trim()),
          gid: Number(execFileSync('id', ['-g', 'postgres']).toString().trim()),
        }
      : undefined;
  if (owner) for (const path of [dir, ini, join(dir, 'users.txt')]) chownSync(path, owner.uid, owner.gid);
  const child = spawn(PGBOUNCER, [ini], { stdio: 'ignore', ...owner });
  const stop = async (): Promise<void> => {
    // SIGTERM: immediate shutdown (SIGINT would wait for idle server connections).
    child.kill('SIGTERM');
    await new Promise((resolve) => (child.exitCode !== null ? resolve(undefined) : child.once('exit', resolve)));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await listening(port, child);
  } catch (error) {
    await stop();
    throw error;
  }
  return { port, stop };
}

/** A bare socket pipe to 127.0.0.1:`upstreamPort` in this process, on a free port. */
export async function startSocketPipe(upstreamPort: number): Promise<ReferenceProxy> {
  const server = net.createServer((client) => {
    const upstream = net.connect({ host: '127.0.0.1', port: upstreamPort });
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    // Its clients (pgbench) have all left by then; nothing waits for their sockets.
    stop: async () => {
      server.close();
    },
  };
}
