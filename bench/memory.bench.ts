/**
 * Server memory (SPEC §7: RSS ≤ 200 MB at 100k resources and 10k active grants). The real server, as shipped:
 * the built CLI (`dist/cli/main.js`, rebuilt first when stale, as the CLI tests do) running `countersign serve` on
 * the embedded default (a SQLite file in a temporary directory) on a loopback port, its RSS read from
 * /proc/PID/status.
 *
 * The store, set up before the measured start (`memory-fixture.ts`): the server is started once on the empty
 * file so that the app's migrations and its policy load write the schema and the policy's rows, stopped, and
 * then, in one transaction:
 *   - 100,000 resources as the API and discovery store them (`resources` rows, 80% `api` with an allow-listed
 *     connection name, 20% `discovery`; labels, owner group and attributes), spread evenly over 200 profiles;
 *   - 34,000 requests: 10,000 active with their active grants (expiring 10 min to 7 h from now), and as history
 *     14,000 expired and 6,000 revoked (with their grants) and 4,000 denied or cancelled, over the last 60 days;
 *     reads are auto-approved, writes and admin actions carry an approval row.
 * The policy directory is generated: 200 profiles (noop provider; read, write and admin actions), 2,002
 * identities in the files (2,000 people in 20 teams and the groups engineers, reviewers, security; an auditor; a
 * gateway workload holding `provision` everywhere), roles for requesting, approving, auditing, and one standing
 * `use` role per team over 10 profiles. The audit log holds only what the two starts and the bench's calls write.
 *
 * Then the server is exercised as in production: `/readyz`; 4,000 `POST /v1/check` by the gateway's API token
 * (10 at a time; half on identity/resource/action triples with an active grant, half random), pages of
 * `GET /v1/requests` and `/v1/grants` as the auditor, `GET /v1/resources?profile=` for 20 profiles; 3 s for the
 * scheduler's 1 s ticks. After a 3 s settle, RSS is sampled 12 times over about 4 s: the median (the figure
 * against the target) and the maximum. Then one unfiltered `GET /v1/resources` (every resource in one answer, as
 * the console's resources page asks) and the same settle and samples again, reported beside it: that answer
 * alone is 100,000 views, and the heap it grows is not handed back within seconds. The same server on a store
 * with the same policy and none of those rows, exercised and measured the same way, is the reference.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setup as buildCliIfStale } from '../test/cli/build-cli.setup.js';
import { BUILT_CLI, untilPrinted } from '../test/cli/run-cli.js';
import { median, type BenchResult } from './harness.js';
import {
  AUDITOR,
  GATEWAY,
  IDENTITIES,
  PROFILES,
  RESOURCES,
  identityName,
  lcg,
  populate,
  profileName,
  resourceName,
  writePolicy,
  type Populated,
} from './memory-fixture.js';

const TARGET_MB = 200;
const CHECKS = 4_000;
const CHECK_LANES = 10;
const SAMPLES = 12;
const SAMPLE_EVERY_MS = 350;
const SETTLE_MS = 3_000;
const SCHEDULER_WAIT_MS = 3_000;

interface Server {
  readonly url: string;
  readonly child: ChildProcess;
}

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** `countersign serve` on `db` with `policy`, on a free loopback port; resolves once `/readyz` answers 200. */
async function startServer(dir: string, policy: string): Promise<Server> {
  const child = spawn(
    process.execPath,
    [BUILT_CLI, 'serve', '--db', join(dir, 'countersign.db'), '--policy', policy, '--port', '0', '--log-level', 'warn'],
    // MEMORY_BENCH_NODE_OPTIONS lets a run add e.g. --heapsnapshot-signal=SIGUSR2 to find where memory goes.
    {
      cwd: dir,
      env: { ...process.env, NO_COLOR: '1', NODE_OPTIONS: process.env.MEMORY_BENCH_NODE_OPTIONS ?? '' },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  const [, url = ''] = await untilPrinted(child, /listening on (http:\/\/127\.0\.0\.1:\d+)/);
  for (let tries = 0; ; tries += 1) {
    const ready = await fetch(`${url}/readyz`).catch(() => undefined);
    if (ready?.status === 200) break;
    if (tries > 300) throw new Error(`${url}/readyz never answered 200`);
    await sleep(100);
  }
  return { url, child };
}

async function stopServer(server: Server): Promise<void> {
  if (server.child.exitCode !== null) return;
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGTERM');
  await Promise.race([exited, sleep(15_000)]);
  if (server.child.exitCode === null) server.child.kill('SIGKILL');
}

/** An API token for `identity`, issued by the operator CLI against the server's store. */
function issueToken(dir: string, identity: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [
        BUILT_CLI,
        'token',
        'issue',
        '--db',
        join(dir, 'countersign.db'),
        '--identity',
        identity,
        '--ttl',
        '1h',
        '--json',
      ],
      { cwd: dir, env: { ...process.env, NO_COLOR: '1' } },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`token issue failed: ${stderr}`));
        else resolve((JSON.parse(stdout) as { token: string }).token);
      },
    );
  });
}

async function call(url: string, token: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${path} answered ${response.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

/** What a gateway, the console and the scheduler make the server build and keep; returns the checks allowed. */
async function exercise(dir: string, server: Server, populated: Populated | undefined): Promise<number> {
  const gateway = await issueToken(dir, GATEWAY);
  const auditor = await issueToken(dir, AUDITOR);
  const random = lcg(7);
  const pick = (n: number): number => Math.floor(random() * n);
  const active = populated?.active ?? [];
  let next = 0;
  let allowed = 0;
  const lane = async (): Promise<void> => {
    while (next < CHECKS) {
      const n = next++;
      const granted = n % 2 === 0 && active.length > 0 ? active[pick(active.length)] : undefined;
      const query = granted ?? {
        identity: identityName(pick(IDENTITIES)),
        resource: resourceName(pick(RESOURCES)),
        action: ['read', 'write', 'admin'][pick(3)] as string,
      };
      const answer = (await call(server.url, gateway, '/v1/check', query)) as { allowed: boolean };
      if (answer.allowed) allowed += 1;
    }
  };
  await Promise.all(Array.from({ length: CHECK_LANES }, lane));

  let cursor: string | undefined;
  for (let page = 0; page < 5; page += 1) {
    const listed = (await call(
      server.url,
      auditor,
      `/v1/requests?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    )) as { nextCursor?: string };
    cursor = listed.nextCursor;
    if (cursor === undefined) break;
  }
  await call(server.url, auditor, '/v1/grants');
  for (let p = 0; p < 20; p += 1) await call(server.url, auditor, `/v1/resources?profile=${profileName(p * 7)}`);
  await sleep(SCHEDULER_WAIT_MS);
  return allowed;
}

/** The console's resources page unfiltered: every resource in one answer (100,000 views with the store full). */
async function listEverything(dir: string, server: Server, populated: Populated | undefined): Promise<void> {
  const auditor = await issueToken(dir, AUDITOR);
  const all = (await call(server.url, auditor, '/v1/resources')) as { resources: unknown[] };
  if (populated && all.resources.length < RESOURCES) {
    throw new Error(`the auditor sees ${all.resources.length} resources, not ${RESOURCES}`);
  }
}

async function sampleRss(pid: number): Promise<{ median: number; max: number }> {
  await sleep(SETTLE_MS);
  const samples: number[] = [];
  for (let i = 0; i < SAMPLES; i += 1) {
    samples.push(rssMiB(pid));
    await sleep(SAMPLE_EVERY_MS);
  }
  return { median: median(samples), max: Math.max(...samples) };
}

/** One server's RSS: `populated` stores the bench's rows before the measured start. */
async function measure(
  policy: string,
  fill: boolean,
): Promise<{
  median: number;
  max: number;
  afterList: { median: number; max: number };
  allowed: number;
  populateSeconds: number;
}> {
  const dir = mkdtempSync(join(tmpdir(), 'countersign-memory-bench-'));
  let server: Server | undefined;
  try {
    // First start: the app migrates the file and loads the policy; the rows go in while it is stopped.
    await stopServer(await startServer(dir, policy));
    const began = Date.now();
    const populated = fill ? await populate(join(dir, 'countersign.db')) : undefined;
    const populateSeconds = (Date.now() - began) / 1000;
    const started = Date.now();
    server = await startServer(dir, policy);
    progress(
      `${fill ? 'populated' : 'empty'} store: rows ${populateSeconds.toFixed(1)} s, ready in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    const allowed = await exercise(dir, server, populated);
    if (server.child.pid === undefined) throw new Error('no server pid');
    progress(`exercised (${allowed} of ${CHECKS} checks allowed); sampling`);
    const rss = await sampleRss(server.child.pid);
    progress(`RSS median ${rss.median.toFixed(1)} MB, max ${rss.max.toFixed(1)} MB; listing every resource`);
    await listEverything(dir, server, populated);
    const afterList = await sampleRss(server.child.pid);
    progress(`after the full list: RSS median ${afterList.median.toFixed(1)} MB, max ${afterList.max.toFixed(1)} MB`);
    return { ...rss, afterList, allowed, populateSeconds };
  } finally {
    if (server) await stopServer(server);
    rmSync(dir, { recursive: true, force: true });
  }
}

function progress(line: string): void {
  process.stderr.write(`  memory: ${line}\n`);
}

export async function run(): Promise<BenchResult[]> {
  const began = Date.now();
  await buildCliIfStale();
  progress(`dist/ up to date after ${((Date.now() - began) / 1000).toFixed(1)} s`);
  const policy = mkdtempSync(join(tmpdir(), 'countersign-memory-policy-'));
  mkdirSync(policy, { recursive: true });
  try {
    writePolicy(policy);
    const empty = await measure(policy, false);
    const full = await measure(policy, true);
    const mb = (value: number): string => value.toFixed(0);
    return [
      {
        name: `server memory, SQLite, ${RESOURCES.toLocaleString('en-US')} resources, 10,000 active grants, ${PROFILES} profiles, ${(IDENTITIES + 2).toLocaleString('en-US')} identities`,
        result: `RSS ${mb(full.median)} MB (median of ${SAMPLES} samples; max ${mb(full.max)} MB; after ${CHECKS.toLocaleString('en-US')} checks (${full.allowed.toLocaleString('en-US')} allowed), pages of requests, grants and of 20 profiles' resources, scheduler ticks; rows inserted in ${full.populateSeconds.toFixed(1)} s). After one unfiltered GET /v1/resources (100,000 resources in one answer): RSS ${mb(full.afterList.median)} MB (max ${mb(full.afterList.max)} MB)`,
        reference: `empty store, same policy, same calls: RSS ${mb(empty.median)} MB (max ${mb(empty.max)} MB); after the unfiltered list ${mb(empty.afterList.median)} MB`,
        target: `≤ ${TARGET_MB} MB`,
        met: full.median <= TARGET_MB,
      },
    ];
  } finally {
    rmSync(policy, { recursive: true, force: true });
  }
}
