/**
 * Whoever can read Countersign's database — a read-only DBA, a backup, a replica — can read `gateway_cancel_keys`,
 * the table through which the gateways of an installation share each session's cancel key. A CancelRequest needs
 * no login: had a row held the session's client key, or the upstream server's key in any encoding, that reader
 * could cancel the session's running query through any gateway, or straight at the upstream server. These tests
 * read the row as that person would and try everything in it; then move and alter rows as someone who can also
 * write the table (without the gateway key) would. Real PostgreSQL upstream, reached through a relay that notes
 * the server's own key (the only way to know it without the gateway's memory); node-postgres clients; two
 * gateways in this process on one app and database.
 */
import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.js';
import type { ActivationView } from '../../src/features/requests/request.view.js';
import { cancelRequest } from '../../src/gateway/postgres/protocol/frontend-builders.js';
import type { GrantResult, ProviderCall } from '../../src/providers/provider.js';
import { startGateway, type RunningGateway } from '../../src/server/gateway-runner.js';
import { createTestApp } from '../app/harness.js';
import { everyType } from '../app/requests-fixtures.js';
import { activeGatewayGrant, ALLOW_ALL, gatewayAppOptions } from '../features/sessions/gateway-fixtures.js';
import { BackendKeyRelay, type BackendKey } from '../gateway/backend-key-relay.js';
import { RealRoleProvider } from '../gateway/real-role-provider.js';
import { ADMIN_URL, describeEachDialect } from '../store/dialects.js';

type Row = Record<string, unknown>;

/** Grants whose upstream address is the relay, so that the gateways' upstream connections pass through it. */
class RelayedRoleProvider extends RealRoleProvider {
  constructor(private readonly relay: BackendKeyRelay) {
    super();
  }

  override async grant(call: ProviderCall): Promise<GrantResult> {
    const granted = await super.grant(call);
    return { ...granted, credential: { ...granted.credential, port: String(this.relay.port) } };
  }
}

function sendCancel(host: string, port: number, processId: number, secretKey: number): Promise<void> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port }, () => socket.end(cancelRequest(processId | 0, secretKey | 0)));
    socket.on('close', () => resolve());
    socket.on('error', () => resolve());
  });
}

/** The four bytes of a 32-bit key, both byte orders. */
function bytesOf(value: number): Buffer[] {
  const be = Buffer.alloc(4);
  be.writeInt32BE(value | 0);
  return [be, Buffer.from(be).reverse()];
}

/** Every run of characters in `text` that could be hex or base64(url), decoded. */
function decodedRuns(text: string): Buffer[] {
  return [...text.matchAll(/[A-Za-z0-9+/_-]{4,}/g)].map(([run]) =>
    /^(?:[0-9a-f]{2})+$/i.test(run)
      ? Buffer.from(run, 'hex')
      : Buffer.from(run, /[+/]/.test(run) ? 'base64' : 'base64url'),
  );
}

/**
 * Every 32-bit number the row holds as a number, in decimal, or as four bytes (in the order a CancelRequest carries
 * them) of any hex or base64 text in it: the keys someone reading the row would try. The next test looks for the
 * real keys in any byte order.
 */
function numbersIn(row: Row): number[] {
  const found = new Set<number>();
  for (const value of Object.values(row)) {
    if (typeof value === 'number' || typeof value === 'bigint') found.add(Number(BigInt.asIntN(32, BigInt(value))));
    if (typeof value !== 'string') continue;
    if (/^-?\d+$/.test(value)) found.add(Number(BigInt.asIntN(32, BigInt(value))));
    for (const bytes of decodedRuns(value)) {
      for (let at = 0; at + 4 <= bytes.length; at++) found.add(bytes.readInt32BE(at));
    }
  }
  return [...found];
}

/** Where `secret` shows in `row`: as a number, in decimal or hex text, or as its bytes inside decoded text. */
function placesOf(secret: number, row: Row): string[] {
  const texts = [String(secret | 0), String(secret >>> 0), ...bytesOf(secret).map((bytes) => bytes.toString('hex'))];
  return Object.entries(row).flatMap(([column, value]) => {
    if (typeof value === 'number' || typeof value === 'bigint') {
      return Number(BigInt.asIntN(32, BigInt(value))) === (secret | 0) ? [column] : [];
    }
    if (typeof value !== 'string') return [];
    const inText = texts.some((text) => value.toLowerCase().includes(text));
    const inBytes = decodedRuns(value).some((decoded) => bytesOf(secret).some((bytes) => decoded.includes(bytes)));
    return inText || inBytes ? [column] : [];
  });
}

async function inBatches<T>(items: readonly T[], size: number, each: (item: T) => Promise<void>): Promise<void> {
  for (let at = 0; at < items.length; at += size) await Promise.all(items.slice(at, at + size).map(each));
}

/** A query that runs until something cancels it; `settled` says whether it ended. */
function sleeping(client: pg.Client): { outcome: Promise<unknown>; readonly settled: boolean } {
  let settled = false;
  const outcome = client
    .query('select pg_sleep(30)')
    .catch((error: unknown) => error)
    .finally(() => (settled = true));
  return {
    outcome,
    get settled() {
      return settled;
    },
  };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeEachDialect('gateway cancel keys read from the database', (ctx) => {
  const relay = new BackendKeyRelay();
  const provider = new RelayedRoleProvider(relay);
  const upstream = new URL(ADMIN_URL);
  const upstreamPort = Number(upstream.port || 5432);
  const logLines: string[] = [];
  let app: AppContext;
  const gateways: RunningGateway[] = [];
  let activation: ActivationView;

  beforeAll(async () => {
    await relay.listen();
    const { options } = gatewayAppOptions(ALLOW_ALL);
    app = (await createTestApp(ctx, { ...options, providers: everyType(provider) })).app;
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(chunk.toString());
        done();
      },
    });
    for (let i = 0; i < 2; i++) {
      const journalDir = mkdtempSync(join(tmpdir(), 'gateway-journal-'));
      gateways.push(await startGateway(app, pino({ level: 'trace' }, sink), { listen: '127.0.0.1:0', journalDir }));
    }
    activation = await activeGatewayGrant(app, 'omar');
  });
  afterAll(async () => {
    for (const gateway of gateways) await gateway.stop();
    await relay.close();
    await provider.dropRoles();
  });

  const rows = (): Promise<Row[]> => ctx.database.db.selectFrom('gateway_cancel_keys').selectAll().execute();

  /** A session through gateway 0, its client key, its upstream key (from the relay) and its row. */
  async function session(): Promise<{ client: pg.Client; key: BackendKey; upstream: BackendKey; row: Row }> {
    const before = new Set((await rows()).map((row) => row['session_id']));
    const login = activation.gateway!;
    const client = new pg.Client({
      host: '127.0.0.1',
      port: gateways[0]!.port,
      user: login.user,
      database: login.database,
      password: login.secret,
    });
    client.on('error', () => undefined);
    await client.connect();
    const internal = client as unknown as { processID: number; secretKey: number };
    const pid = Number((await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid);
    await expect.poll(async () => (await rows()).length, { timeout: 5000 }).toBe(before.size + 1);
    return {
      client,
      key: { processId: internal.processID, secretKey: internal.secretKey },
      upstream: relay.keys.find((key) => key.processId === pid)!,
      row: (await rows()).find((row) => !before.has(row['session_id']))!,
    };
  }

  const cancelThrough = (gateway: number, key: BackendKey) =>
    sendCancel('127.0.0.1', gateways[gateway]!.port, key.processId, key.secretKey);

  async function ended(...clients: pg.Client[]): Promise<void> {
    for (const client of clients) await client.end();
    await expect.poll(async () => (await rows()).length, { timeout: 5000 }).toBe(0);
  }

  it("nothing in a session's row cancels its running query, through a gateway or straight at the upstream server", async () => {
    const { client, key, upstream: server, row } = await session();
    try {
      const candidates = numbersIn(row);
      expect(candidates.length).toBeGreaterThan(3);
      const query = sleeping(client);
      await pause(300);
      // The gateway holding the session checks a key itself (no lookup budget): every number of the row is tried
      // as the secret of the row's process id, and as the upstream server's secret for the session's server
      // process.
      await inBatches(candidates, 32, async (candidate) => {
        await sendCancel('127.0.0.1', gateways[0]!.port, Number(row['process_id']), candidate);
        await sendCancel(upstream.hostname, upstreamPort, server.processId, candidate);
      });
      await pause(1000);
      expect(query.settled).toBe(false);
      // The control: the client's own key, through the other gateway, does cancel it.
      await cancelThrough(1, key);
      expect(await query.outcome).toMatchObject({ code: '57014' });
    } finally {
      await ended(client);
    }
  });

  it("a session's row holds neither its client's secret key nor its upstream server's, in any encoding", async () => {
    const { client, key, upstream: server, row } = await session();
    try {
      expect(server).toBeDefined();
      expect({ client: placesOf(key.secretKey, row), upstream: placesOf(server.secretKey, row) }).toEqual({
        client: [],
        upstream: [],
      });
      // Nor where the upstream server is: its port (the relay's) and its process id are sealed too.
      const values = Object.values(row).map(String);
      expect(values).not.toContain(String(relay.port));
      expect(values).not.toContain(String(server.processId));
    } finally {
      await ended(client);
    }
  });

  it('a row moved onto another session or altered cancels nothing, and the refusal is logged without secrets', async () => {
    const victim = await session();
    const attacker = await session();
    // What identifies a row's client key and session stays the attacker's; everything else comes from the victim.
    const identifying = new Set(['process_id', 'secret_key', 'key_digest', 'session_id', 'created_at']);
    const table = () => ctx.database.db.updateTable('gateway_cancel_keys');
    const whereSession = (id: unknown) => ['session_id', '=', String(id)] as const;
    const victims = Object.fromEntries(Object.entries(victim.row).filter(([column]) => !identifying.has(column)));
    const query = sleeping(victim.client);
    await pause(300);
    const logged = logLines.length;
    try {
      // Another session's sealed upstream key on the attacker's own row, then the whole row moved to that session.
      await table()
        .set(victims)
        .where(...whereSession(attacker.row['session_id']))
        .execute();
      await cancelThrough(1, attacker.key);
      await pause(700);
      expect(query.settled).toBe(false);
      await table()
        .set({ session_id: String(victim.row['session_id']) })
        .where('process_id', '=', Number(attacker.row['process_id']))
        .execute();
      await cancelThrough(1, attacker.key);
      await pause(700);
      expect(query.settled).toBe(false);
      // The victim's own row with one character of its sealed value changed.
      const altered = Object.fromEntries(
        Object.entries(victims)
          .filter(([, value]) => typeof value === 'string')
          .map(([column, value]) => {
            const text = String(value);
            const at = Math.floor(text.length / 2);
            return [column, `${text.slice(0, at)}${text[at] === 'A' ? 'B' : 'A'}${text.slice(at + 1)}`];
          }),
      );
      await table()
        .set(altered)
        .where(...whereSession(victim.row['session_id']))
        .where('process_id', '=', Number(victim.row['process_id']))
        .execute();
      await cancelThrough(1, victim.key);
      await pause(700);
      expect(query.settled).toBe(false);
      // The gateway says so, naming no key.
      const said = logLines.slice(logged).join('');
      expect(logLines.slice(logged).filter((line) => line.includes('does not open'))).toHaveLength(3);
      for (const secret of [victim.key, attacker.key, victim.upstream, attacker.upstream].map((k) => k.secretKey)) {
        expect(said).not.toContain(String(secret));
      }
      // Control: the victim's row as it was cancels through the other gateway.
      await table()
        .set(victims)
        .where(...whereSession(victim.row['session_id']))
        .where('process_id', '=', Number(victim.row['process_id']))
        .execute();
      await cancelThrough(1, victim.key);
      expect(await query.outcome).toMatchObject({ code: '57014' });
    } finally {
      await table()
        .set({ ...attacker.row })
        .where('process_id', '=', Number(attacker.row['process_id']))
        .execute();
      await ended(victim.client, attacker.client);
    }
  });
});
