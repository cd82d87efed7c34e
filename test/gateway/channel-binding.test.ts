/**
 * SCRAM-SHA-256-PLUS between real clients and the gateway (`clientAuth: 'scram'`): psql with
 * `channel_binding=require` and node-postgres with `enableChannelBinding` log in over TLS, bound to the
 * gateway's certificate; in `password` mode psql itself refuses such a gateway; without TLS nothing changes;
 * an API token (no verifier) cannot log in under `scram`. Certificates signed with other algorithms than the
 * generated one (RSA with SHA-1, -384, RSASSA-PSS, ECDSA with SHA-512) show that the gateway hashes its
 * certificate as libpq and node-postgres do (RFC 5929), each of them computing it on its own; on an Ed25519
 * certificate, which has no such hash, PLUS is not offered.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import tls from 'node:tls';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatedGatewayTls } from '../../src/gateway/gateway-tls.js';
import type { GatewayClientAuth } from '../../src/gateway/postgres/client-auth.js';
import { psqlAsAlice, tlsPgClient } from './channel-binding-client.js';
import { ProtocolBackend, startTestGateway } from './protocol-backend.js';

const SECRET = 'gw-secret-bound';
const TOKEN = 'cs_token_for_alice';

describe('SCRAM channel binding through the gateway', () => {
  const backend = new ProtocolBackend();
  /** The gateway's log lines, to see how each session authenticated. */
  const logLines: Record<string, unknown>[] = [];
  const log = pino(
    { level: 'info' },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    }),
  );
  const gateways: Awaited<ReturnType<typeof startTestGateway>>[] = [];
  let context: tls.SecureContext;
  const dir = mkdtempSync(join(tmpdir(), 'gateway-channel-binding-'));

  beforeAll(async () => {
    backend.addLogin('alice', 'payments-db', SECRET, { token: TOKEN });
    context = (await generatedGatewayTls('127.0.0.1')).context;
  });
  afterAll(async () => {
    await Promise.all(gateways.map((gateway) => gateway.close()));
  });

  const start = async (clientAuth: GatewayClientAuth, secureContext = context): Promise<number> => {
    const gateway = await startTestGateway(backend, { tls: secureContext, clientAuth, log });
    gateways.push(gateway);
    return gateway.port;
  };

  const psql = (port: number, settings: Record<string, string>, password = SECRET) =>
    psqlAsAlice(port, password, settings);

  const BOUND = { PGSSLMODE: 'require', PGCHANNELBINDING: 'require' };

  /** Logs in with node-postgres over TLS; resolves with whether the gateway saw a channel-bound login. */
  const pgLogin = async (port: number, enableChannelBinding: boolean): Promise<boolean> => {
    const client = tlsPgClient(port, SECRET, enableChannelBinding, {
      application_name: `pg-${port}-${enableChannelBinding}`,
    });
    await client.connect();
    try {
      expect((await client.query<{ answer: number }>('select 6 * 7 as answer')).rows).toEqual([{ answer: 42 }]);
    } finally {
      await client.end();
    }
    const opened = logLines.filter((line) => line.msg === 'gateway session opened');
    return opened.at(-1)?.channelBinding === true;
  };

  it('psql with sslmode=require and channel_binding=require logs in under scram', async () => {
    const result = await psql(await start('scram'), BOUND);
    expect(result).toMatchObject({ code: 0, stdout: '42\n' });
    expect(logLines.filter((line) => line.msg === 'gateway session opened').at(-1)).toMatchObject({
      method: 'scram',
      tls: true,
      channelBinding: true,
    });
  });

  it('under password mode psql with channel_binding=require refuses the gateway itself', async () => {
    const result = await psql(await start('password'), BOUND);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("channel binding required but not supported by server's authentication request");
    // psql never sent the password: it stopped at the cleartext request.
    expect(result.stderr).not.toContain('password authentication failed');
  });

  it('without TLS nothing changes under scram: SCRAM-SHA-256 logs in, and psql cannot require binding', async () => {
    const port = await start('scram');
    expect(await psql(port, { PGSSLMODE: 'disable' })).toMatchObject({ code: 0, stdout: '42\n' });
    const required = await psql(port, { PGSSLMODE: 'disable', PGCHANNELBINDING: 'require' });
    expect(required.code).not.toBe(0);
    expect(required.stderr).toContain('channel binding required, but SSL not in use');
  });

  it('an API token cannot log in under scram (it has no verifier), with the usual refusal', async () => {
    const port = await start('scram');
    for (const binding of ['prefer', 'disable']) {
      const result = await psql(port, { PGSSLMODE: 'require', PGCHANNELBINDING: binding }, TOKEN);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain('password authentication failed for user "alice"');
    }
    // The same token still works in password mode (the default).
    expect(await psql(await start('password'), { PGSSLMODE: 'require' }, TOKEN)).toMatchObject({ code: 0 });
  });

  it('node-postgres with enableChannelBinding logs in over TLS with SCRAM-SHA-256-PLUS, and without it unbound', async () => {
    const port = await start('scram');
    expect(await pgLogin(port, true)).toBe(true);
    expect(await pgLogin(port, false)).toBe(false);
  });

  // What openssl makes: certificates whose signature hash differs from the generated certificate's.
  const certificates: [string, string[]][] = [
    ['RSA with SHA-1 (hashed with SHA-256)', ['-newkey', 'rsa:2048', '-sha1']],
    ['RSA with SHA-384', ['-newkey', 'rsa:2048', '-sha384']],
    ['RSASSA-PSS with SHA-512', ['-newkey', 'rsa-pss', '-pkeyopt', 'rsa_keygen_bits:2048', '-sha512']],
    ['ECDSA P-384 with SHA-512', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384', '-sha512']],
  ];

  it.each(certificates)('with a certificate signed %s, psql and node-postgres bind to it', async (name, args) => {
    const base = join(dir, name.replace(/[^a-z0-9]+/gi, '-'));
    execFileSync('openssl', [
      'req',
      '-x509',
      ...args,
      '-nodes',
      '-keyout',
      `${base}.key`,
      '-out',
      `${base}.pem`,
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
    ]);
    const port = await start(
      'scram',
      tls.createSecureContext({ cert: readFileSync(`${base}.pem`), key: readFileSync(`${base}.key`) }),
    );
    expect(await psql(port, BOUND)).toMatchObject({ code: 0, stdout: '42\n' });
    expect(await pgLogin(port, true)).toBe(true);
  });

  it('on an Ed25519 certificate PLUS is not offered: psql logs in unbound and cannot require binding', async () => {
    const base = join(dir, 'ed25519');
    const args = ['-newkey', 'ed25519', '-nodes', '-keyout', `${base}.key`, '-out', `${base}.pem`];
    execFileSync('openssl', ['req', '-x509', ...args, '-days', '1', '-subj', '/CN=127.0.0.1']);
    const port = await start(
      'scram',
      tls.createSecureContext({ cert: readFileSync(`${base}.pem`), key: readFileSync(`${base}.key`) }),
    );
    // libpq cannot hash such a certificate: had PLUS been offered, its default (prefer) would fail outright.
    expect(await psql(port, { PGSSLMODE: 'require' })).toMatchObject({ code: 0, stdout: '42\n' });
    const required = await psql(port, BOUND);
    expect(required.code).not.toBe(0);
    expect(required.stderr).toContain('channel binding is required, but server did not offer');
  });
});
