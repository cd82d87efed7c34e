/**
 * The gateway's SCRAM-SHA-256 against the real PostgreSQL. On the shared server (trust authentication on
 * loopback, so a login there proves nothing about a password): a verifier we make is accepted by `ALTER ROLE …
 * PASSWORD` and stored as given, and the verifier PostgreSQL computes itself from a password is exactly ours for
 * its salt (ASCII and non-ASCII passwords, so SASLprep agrees). On a private cluster that demands scram-sha-256:
 * node-postgres logs in with the password behind our verifier and is refused with another, and our own
 * `ScramClient` completes a real exchange with the server (and checks its signature).
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ScramClient,
  formatPostgresVerifier,
  makeScramVerifier,
  parsePostgresVerifier,
} from '../../src/gateway/postgres/scram.js';
import { PrivateCluster, privateClusterUnavailable } from '../faults/private-cluster.js';
import { adminQuery } from '../providers/postgres-fixtures.js';
import { ADMIN_URL, POSTGRES_AVAILABLE } from '../store/dialects.js';

const role = `gwscram_${randomBytes(4).toString('hex')}`;

describe.skipIf(!POSTGRES_AVAILABLE)('SCRAM verifiers on the shared PostgreSQL', () => {
  beforeAll(async () => {
    await adminQuery(`create role ${role} login`);
  });
  afterAll(async () => {
    await adminQuery(`drop role if exists ${role}`);
  });

  it('a verifier we make is stored by ALTER ROLE as given, and node-postgres logs in as the role', async () => {
    const verifier = makeScramVerifier('gateway-secret-1');
    await adminQuery(`alter role ${role} password '${formatPostgresVerifier(verifier)}'`);
    const [row] = await adminQuery<{ rolpassword: string }>('select rolpassword from pg_authid where rolname = $1', [
      role,
    ]);
    expect(parsePostgresVerifier(row?.rolpassword ?? '')).toEqual(verifier);
    const url = new URL(ADMIN_URL);
    const client = new pg.Client({
      host: url.hostname,
      port: Number(url.port || 5432),
      user: role,
      database: 'postgres',
      password: 'gateway-secret-1',
    });
    await client.connect();
    try {
      expect((await client.query<{ u: string }>('select current_user as u')).rows[0]?.u).toBe(role);
    } finally {
      await client.end();
    }
  });

  it.each(['pencil', 'päss wörd', 'Ⅸ\u00a0x'])(
    "the verifier PostgreSQL computes for '%s' is ours for its salt and iteration count",
    async (password) => {
      await adminQuery(`set password_encryption = 'scram-sha-256'; alter role ${role} password '${password}'`);
      const [row] = await adminQuery<{ rolpassword: string }>('select rolpassword from pg_authid where rolname = $1', [
        role,
      ]);
      const theirs = parsePostgresVerifier(row?.rolpassword ?? '');
      expect(theirs).toBeDefined();
      if (!theirs) return;
      expect(makeScramVerifier(password, theirs.salt, theirs.iterations)).toEqual(theirs);
    },
  );
});

const unavailable = privateClusterUnavailable();

/** The startup packet, the SASL exchange with `ScramClient`, up to AuthenticationOk; throws on ErrorResponse. */
async function scramLogin(port: number, user: string, password: string): Promise<void> {
  const socket: Socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const scram = new ScramClient(password);
  let buffered = Buffer.alloc(0);
  const nextMessage = (): Promise<{ type: string; body: Buffer }> =>
    new Promise((resolve, reject) => {
      const tryTake = (): boolean => {
        if (buffered.length < 5) return false;
        const length = buffered.readInt32BE(1);
        if (buffered.length < 1 + length) return false;
        const message = { type: String.fromCharCode(buffered[0] ?? 0), body: buffered.subarray(5, 1 + length) };
        buffered = buffered.subarray(1 + length);
        resolve(message);
        return true;
      };
      if (tryTake()) return;
      const onData = (chunk: Buffer): void => {
        buffered = Buffer.concat([buffered, chunk]);
        if (tryTake()) socket.off('data', onData);
      };
      socket.on('data', onData);
      socket.once('error', reject);
    });
  const send = (type: string, body: Buffer): void => {
    const header = Buffer.alloc(5);
    header.write(type, 0, 'latin1');
    header.writeInt32BE(body.length + 4, 1);
    socket.write(Buffer.concat([header, body]));
  };
  try {
    const params = Buffer.from(`user\0${user}\0database\0postgres\0\0`);
    const startup = Buffer.alloc(8);
    startup.writeInt32BE(8 + params.length, 0);
    startup.writeInt32BE(196608, 4);
    socket.write(Buffer.concat([startup, params]));
    for (;;) {
      const { type, body } = await nextMessage();
      if (type === 'E') throw new Error(`server error: ${body.toString('utf8').replace(/\0/g, ' ')}`);
      if (type !== 'R') throw new Error(`unexpected message ${type}`);
      const code = body.readInt32BE(0);
      if (code === 0) return;
      if (code === 10) {
        expect(body.subarray(4).toString('utf8').split('\0')).toContain('SCRAM-SHA-256');
        const first = Buffer.from(scram.clientFirst());
        const mechanism = Buffer.from('SCRAM-SHA-256\0');
        const length = Buffer.alloc(4);
        length.writeInt32BE(first.length, 0);
        send('p', Buffer.concat([mechanism, length, first]));
      } else if (code === 11) {
        send('p', Buffer.from(scram.serverFirst(body.subarray(4).toString('utf8'))));
      } else if (code === 12) {
        scram.serverFinal(body.subarray(4).toString('utf8'));
      } else {
        throw new Error(`unexpected authentication request ${code}`);
      }
    }
  } finally {
    socket.destroy();
  }
}

describe.skipIf(unavailable !== undefined)('SCRAM logins on a private cluster that demands scram-sha-256', () => {
  let cluster: PrivateCluster;
  const user = 'gw_scram_user';
  beforeAll(async () => {
    cluster = await PrivateCluster.create();
    const admin = new pg.Client({ connectionString: cluster.url });
    await admin.connect();
    try {
      await admin.query(
        `create role ${user} login password '${formatPostgresVerifier(makeScramVerifier('right-secret'))}'`,
      );
      writeFileSync(
        join(cluster.dataDir, 'pg_hba.conf'),
        'local all all trust\nhost all all 127.0.0.1/32 scram-sha-256\n',
      );
      await admin.query('select pg_reload_conf()');
    } finally {
      await admin.end();
    }
  }, 60_000);
  afterAll(() => cluster?.destroy());

  const login = (password: string): Promise<void> => {
    const client = new pg.Client({ host: '127.0.0.1', port: cluster.port, user, database: 'postgres', password });
    return client.connect().then(() => client.end());
  };

  it('node-postgres logs in with the password behind our verifier', async () => {
    await expect(login('right-secret')).resolves.toBeUndefined();
  });

  it('node-postgres is refused with another password', async () => {
    await expect(login('wrong-secret')).rejects.toThrow(/password authentication failed/);
  });

  it('our SCRAM client completes a real exchange and checks the server signature', async () => {
    await expect(scramLogin(cluster.port, user, 'right-secret')).resolves.toBeUndefined();
    await expect(scramLogin(cluster.port, user, 'wrong-secret')).rejects.toThrow(/password authentication failed/);
  });
});
