/**
 * The PostgreSQL gateway (issue 14), against the real PostgreSQL on 127.0.0.1:5432 and a private cluster:
 * - `pgbench -S` at 8 clients, direct, through two reference proxies (PgBouncer in session mode and a bare Node
 *   socket pipe, bench/proxy-references.ts) and through the gateway, in turn, three runs each: median TPS;
 * - added latency per statement: one client, sequential simple queries like pgbench -S's, direct and through the
 *   gateway, three runs of 3,000: the difference of the medians of p50 and of p99;
 * - 1,000 idle client sessions: the gateway's RSS, the gateway alone in its own process, upstream a private
 *   cluster with max_connections 1,100 (the shared server allows 100).
 * The gateway does its real per-statement work: parse (libpg-query), decide (a compiled rule), journal write.
 * Where the time goes is shown beside it: the TPS of the same gateway with that work taken out (every statement
 * allowed unchecked, nothing recorded: the protocol work alone), and the CPU this process (which runs the pipe
 * and both gateways, never pgbench or PostgreSQL) spends per transaction through each.
 */
import { execFile, execFileSync, spawn, spawnSync } from 'node:child_process';
import { chownSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { pino } from 'pino';
import type { GatewayBackend } from '../src/gateway/backend.js';
import { PostgresGateway } from '../src/gateway/postgres/server.js';
import { postgresBinaries } from '../test/faults/private-cluster.js';
import { BENCH_SECRET, benchBackend } from './gateway-backend.js';
import { startPgBouncer, startSocketPipe } from './proxy-references.js';
import { formatCount, median, percentiles, type BenchResult } from './harness.js';

const ADMIN = 'postgres://postgres@127.0.0.1:5432/postgres';
const RUNS = 3;
const PGBENCH_SECONDS = 8;

async function admin(sql: string, url = ADMIN): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** pgbench's TPS, and this process's CPU time per transaction while it ran (µs). */
async function measured(run: () => Promise<number>): Promise<{ tps: number; cpuPerTransaction: number }> {
  const before = process.cpuUsage();
  const tps = await run();
  const used = process.cpuUsage(before);
  return { tps, cpuPerTransaction: (used.user + used.system) / (tps * PGBENCH_SECONDS) };
}

/** The bench's gateway backend with the per-statement work taken out: allowed unchecked, nothing recorded. */
function unchecked(backend: GatewayBackend): GatewayBackend {
  return {
    ...backend,
    async openSession(login, meta) {
      const session = await backend.openSession(login, meta);
      return {
        ...session,
        check: () => ({ allowed: true, message: '' }),
        record: () => ({}),
        outcome: () => undefined,
      };
    },
  };
}

function pgbenchTps(port: number, user: string, database: string, password: string | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    execFile(
      'pgbench',
      [
        '-S',
        '-n',
        '-c',
        '8',
        '-j',
        '2',
        '-T',
        String(PGBENCH_SECONDS),
        '-h',
        '127.0.0.1',
        '-p',
        String(port),
        '-U',
        user,
        database,
      ],
      { env: { ...process.env, PGPASSWORD: password ?? '', PGSSLMODE: 'disable' }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const match = /tps = ([\d.]+)/.exec(stdout);
        if (error || !match) reject(new Error(`pgbench failed: ${stderr || error?.message}`));
        else resolve(Number(match[1]));
      },
    );
  });
}

async function latencies(config: pg.ClientConfig, count: number): Promise<{ p50: number; p99: number }> {
  const client = new pg.Client(config);
  await client.connect();
  const samples: number[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const aid = 1 + ((i * 7919) % 100_000);
      const started = performance.now();
      await client.query(`SELECT abalance FROM pgbench_accounts WHERE aid = ${aid};`);
      samples.push(performance.now() - started);
    }
  } finally {
    await client.end();
  }
  const { p50, p99 } = percentiles(samples.slice(200));
  return { p50, p99 };
}

async function throughputAndLatency(): Promise<BenchResult[]> {
  const database = `gateway_bench_${Date.now()}`;
  await admin(`create database ${database}`);
  execFileSync('pgbench', ['-i', '-q', '-s', '1', '-h', '127.0.0.1', '-U', 'postgres', database], { stdio: 'ignore' });
  const backend = await benchBackend({
    upstreamPort: 5432,
    database,
    journalDir: mkdtempSync(join(tmpdir(), 'gateway-bench-journal-')),
  });
  const gateway = new PostgresGateway({ backend, host: '127.0.0.1', port: 0, log: pino({ level: 'silent' }) });
  const { port } = await gateway.listen();
  const bare = new PostgresGateway({
    backend: unchecked(backend),
    host: '127.0.0.1',
    port: 0,
    log: pino({ level: 'silent' }),
  });
  const barePort = (await bare.listen()).port;
  const pgbouncer = await startPgBouncer(await freePort(), 5432);
  const pipe = await startSocketPipe(5432);
  try {
    const direct: number[] = [];
    const bouncer: number[] = [];
    const piped: { tps: number; cpuPerTransaction: number }[] = [];
    const protocolOnly: { tps: number; cpuPerTransaction: number }[] = [];
    const gated: { tps: number; cpuPerTransaction: number }[] = [];
    for (let run = 0; run < RUNS; run++) {
      direct.push(await pgbenchTps(5432, 'postgres', database, undefined));
      if (pgbouncer) bouncer.push(await pgbenchTps(pgbouncer.port, 'postgres', database, undefined));
      piped.push(await measured(() => pgbenchTps(pipe.port, 'postgres', database, undefined)));
      protocolOnly.push(await measured(() => pgbenchTps(barePort, 'bench', 'bench-db', BENCH_SECRET)));
      gated.push(await measured(() => pgbenchTps(port, 'bench', 'bench-db', BENCH_SECRET)));
    }
    const through = gated.map((run) => run.tps);
    const cpu = (runs: readonly { cpuPerTransaction: number }[]): string =>
      `${median(runs.map((run) => run.cpuPerTransaction)).toFixed(0)} µs`;
    const addedP50: number[] = [];
    const addedP99: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const plain = await latencies({ host: '127.0.0.1', port: 5432, user: 'postgres', database }, 3000);
      const gated = await latencies(
        { host: '127.0.0.1', port, user: 'bench', database: 'bench-db', password: BENCH_SECRET },
        3000,
      );
      addedP50.push(gated.p50 - plain.p50);
      addedP99.push(gated.p99 - plain.p99);
    }
    const tpsDirect = median(direct);
    const tpsThrough = median(through);
    const ratio = tpsThrough / tpsDirect;
    const share = (tps: number): string => `${formatCount(tps)} TPS (${((tps / tpsDirect) * 100).toFixed(0)}%)`;
    const p50 = median(addedP50);
    const p99 = median(addedP99);
    const references = [
      `direct ${formatCount(tpsDirect)} TPS`,
      pgbouncer ? `PgBouncer ${share(median(bouncer))}` : 'PgBouncer not installed',
      `bare Node pipe ${share(median(piped.map((run) => run.tps)))}`,
      `the gateway's protocol work alone (no check, no record) ${share(median(protocolOnly.map((run) => run.tps)))}`,
      `CPU per transaction in the proxy: pipe ${cpu(piped)}, protocol work alone ${cpu(protocolOnly)}, gateway ${cpu(gated)}`,
      ...(pgbouncer
        ? [`the gateway makes ${((tpsThrough / median(bouncer)) * 100).toFixed(0)}% of PgBouncer's TPS`]
        : []),
    ];
    return [
      {
        name: 'gateway: pgbench -S, 8 clients, through the gateway',
        result: `${formatCount(tpsThrough)} TPS (${(ratio * 100).toFixed(0)}% of direct)`,
        reference: references.join('; '),
        target: '≥ 70% of direct TPS',
        met: ratio >= 0.7,
      },
      {
        name: 'gateway: added latency per statement (parse + check + journal)',
        result: `p50 +${p50.toFixed(3)} ms, p99 +${p99.toFixed(3)} ms`,
        target: 'p50 ≤ 0.3 ms, p99 ≤ 2 ms',
        met: p50 <= 0.3 && p99 <= 2,
      },
    ];
  } finally {
    await pgbouncer?.stop();
    await pipe.stop();
    await gateway.close();
    await bare.close();
    backend.close();
    await admin(`drop database if exists ${database} with (force)`);
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

/** A throw-away cluster allowing 1,100 connections (the shared server is never reconfigured). */
async function bigCluster(): Promise<{ port: number; stop(): void }> {
  const bin = postgresBinaries();
  if (bin === undefined) throw new Error('no PostgreSQL server binaries for a private cluster');
  const root = mkdtempSync(join(tmpdir(), 'gateway-bench-pg-'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(root, uid, gid);
  }
  const run = (tool: string, args: string[]): void => {
    const command = join(bin, tool);
    const result = asRoot
      ? spawnSync('runuser', ['-u', 'postgres', '--', command, ...args], { encoding: 'utf8' })
      : spawnSync(command, args, { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${tool} failed: ${result.stderr}`);
  };
  const dataDir = join(root, 'data');
  const port = await freePort();
  run('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--no-sync']);
  const options = `-p ${port} -c listen_addresses='127.0.0.1' -c unix_socket_directories='${root}' -c max_connections=1100 -c shared_buffers=64MB -c fsync=off`;
  run('pg_ctl', ['-D', dataDir, '-o', options, '-l', join(root, 'server.log'), '-w', 'start']);
  return {
    port,
    stop: () => {
      run('pg_ctl', ['-D', dataDir, '-m', 'immediate', 'stop']);
      rmSync(root, { recursive: true, force: true });
    },
  };
}

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

async function idleSessions(): Promise<BenchResult[]> {
  const cluster = await bigCluster();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'gateway-child.ts'), String(cluster.port), 'postgres'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const clients: pg.Client[] = [];
  try {
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
      child.once('exit', () => reject(new Error('the gateway process ended')));
    });
    const before = rssMiB(child.pid!);
    for (let batch = 0; batch < 1000; batch += 50) {
      const opened = Array.from({ length: 50 }, () => {
        const client = new pg.Client({
          host: '127.0.0.1',
          port,
          user: 'bench',
          database: 'bench-db',
          password: BENCH_SECRET,
        });
        clients.push(client);
        return client.connect();
      });
      await Promise.all(opened);
    }
    await clients[0]!.query('select 1');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const rss = rssMiB(child.pid!);
    return [
      {
        name: 'gateway: 1,000 idle client sessions',
        result: `gateway RSS ${rss.toFixed(0)} MB`,
        reference: `${before.toFixed(0)} MB with none`,
        target: '≤ 300 MB',
        met: rss <= 300,
      },
    ];
  } finally {
    await Promise.all(clients.map((client) => client.end().catch(() => undefined)));
    child.kill('SIGKILL');
    cluster.stop();
  }
}

export async function run(): Promise<BenchResult[]> {
  return [...(await throughputAndLatency()), ...(await idleSessions())];
}
