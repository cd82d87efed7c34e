import { describe, expect, it } from 'vitest';
import {
  ScramClient,
  ScramServer,
  decoyScramVerifier,
  formatPostgresVerifier,
  makeScramVerifier,
  parsePostgresVerifier,
  saslPrep,
} from './scram.js';

// RFC 7677 §3: user "user", password "pencil".
const RFC = {
  clientNonce: 'rOprNGfwEbeRWgbNEkqO',
  serverNonce: '%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0',
  salt: 'W22ZaJ0SNY7soEsUEjb6gQ==',
  clientFirst: 'n,,n=user,r=rOprNGfwEbeRWgbNEkqO',
  serverFirst: 'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096',
  clientFinal:
    'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=',
  serverFinal: 'v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=',
};

describe('SCRAM-SHA-256', () => {
  it('the client side reproduces the RFC 7677 test vector', () => {
    const client = new ScramClient('pencil', { nonce: RFC.clientNonce, user: 'user' });
    expect(client.clientFirst()).toBe(RFC.clientFirst);
    expect(client.serverFirst(RFC.serverFirst)).toBe(RFC.clientFinal);
    expect(() => client.serverFinal(RFC.serverFinal)).not.toThrow();
  });

  it('the server side accepts the RFC 7677 exchange and answers its server-final message', () => {
    const server = new ScramServer(makeScramVerifier('pencil', RFC.salt, 4096), { serverNonce: RFC.serverNonce });
    expect(server.clientFirst('SCRAM-SHA-256', RFC.clientFirst)).toEqual({ ok: true, serverFirst: RFC.serverFirst });
    expect(server.clientFinal(RFC.clientFinal)).toEqual({ ok: true, serverFinal: RFC.serverFinal });
  });

  it('a wrong password is refused and the exchange cannot continue', () => {
    const server = new ScramServer(makeScramVerifier('pencil'));
    const client = new ScramClient('pencil2');
    const first = server.clientFirst('SCRAM-SHA-256', client.clientFirst());
    if (!first.ok) throw new Error(first.error);
    const final = server.clientFinal(client.serverFirst(first.serverFirst));
    expect(final).toEqual({ ok: false, error: 'password authentication failed' });
    expect(server.clientFinal('c=biws,r=x,p=AAAA').ok).toBe(false);
  });

  it('a client and a server made from the same password agree, and the client checks the server', () => {
    const verifier = makeScramVerifier('s3cret-ü');
    const server = new ScramServer(verifier);
    const client = new ScramClient('s3cret-ü');
    const first = server.clientFirst('SCRAM-SHA-256', client.clientFirst());
    if (!first.ok) throw new Error(first.error);
    const final = server.clientFinal(client.serverFirst(first.serverFirst));
    if (!final.ok) throw new Error(final.error);
    expect(() => client.serverFinal(final.serverFinal)).not.toThrow();
    expect(() => client.serverFinal('v=' + Buffer.alloc(32).toString('base64'))).toThrow(/signature/);
  });

  it('a replayed proof for another nonce is refused', () => {
    const verifier = makeScramVerifier('pencil', RFC.salt);
    const server = new ScramServer(verifier);
    const first = server.clientFirst('SCRAM-SHA-256', RFC.clientFirst);
    expect(first.ok).toBe(true);
    expect(server.clientFinal(RFC.clientFinal)).toEqual({ ok: false, error: 'SCRAM nonce does not match' });
  });

  it.each([
    ['no gs2 header', 'n=user,r=abc'],
    ['an authorization identity', 'n,a=admin,n=user,r=abc'],
    ['a mandatory extension', 'n,,m=ext,n=user,r=abc'],
    ['no nonce', 'n,,n=user'],
    ['channel binding without PLUS', 'p=tls-server-end-point,,n=,r=abc'],
  ])('a client-first message with %s is refused', (_name, message) => {
    expect(new ScramServer(makeScramVerifier('x')).clientFirst('SCRAM-SHA-256', message).ok).toBe(false);
  });

  it('with channel binding offered, a client claiming the server cannot bind (a downgrade) is refused', () => {
    const server = new ScramServer(makeScramVerifier('x'), { channelBinding: Buffer.from('cert-hash') });
    expect(server.mechanisms()).toEqual(['SCRAM-SHA-256-PLUS', 'SCRAM-SHA-256']);
    expect(server.clientFirst('SCRAM-SHA-256', 'y,,n=,r=abc')).toEqual({
      ok: false,
      error: 'SCRAM channel binding downgrade refused',
    });
  });

  it('SCRAM-SHA-256-PLUS checks the channel binding data', () => {
    const cb = Buffer.from('cert-hash');
    const verifier = makeScramVerifier('pw');
    const good = new ScramServer(verifier, { channelBinding: cb });
    const client = new ScramClient('pw', { nonce: 'abc' });
    const first = good.clientFirst('SCRAM-SHA-256-PLUS', 'p=tls-server-end-point,,n=,r=abc');
    if (!first.ok) throw new Error(first.error);
    // The plain client binds nothing: its c= attribute does not carry the certificate hash.
    const final = client.serverFirst(first.serverFirst);
    expect(good.clientFinal(final)).toEqual({ ok: false, error: 'SCRAM channel binding does not match' });
  });

  describe('channel binding (SCRAM-SHA-256-PLUS, tls-server-end-point)', () => {
    const certificateHash = Buffer.alloc(32, 7);
    const plus = (): ScramServer => new ScramServer(makeScramVerifier('pw'), { channelBinding: certificateHash });
    const gs2 = 'p=tls-server-end-point,,';
    /** A client-final message binding `data` after `header`, with a proof that is wrong for any password. */
    const finalBinding = (nonce: string, header: string, data: Buffer): string =>
      `c=${Buffer.concat([Buffer.from(header), data]).toString('base64')},r=${nonce},p=${Buffer.alloc(32).toString('base64')}`;
    const serverNonce = (first: ReturnType<ScramServer['clientFirst']>): string => {
      if (!first.ok) throw new Error(first.error);
      return first.serverFirst.slice(2, first.serverFirst.indexOf(','));
    };

    it('binding data of another certificate is refused before the proof is looked at', () => {
      const server = plus();
      const nonce = serverNonce(server.clientFirst('SCRAM-SHA-256-PLUS', `${gs2}n=,r=abc`));
      expect(server.clientFinal(finalBinding(nonce, gs2, Buffer.alloc(32, 8)))).toEqual({
        ok: false,
        error: 'SCRAM channel binding does not match',
      });
    });

    it('the right binding data passes the binding check and then the proof decides', () => {
      const server = plus();
      const nonce = serverNonce(server.clientFirst('SCRAM-SHA-256-PLUS', `${gs2}n=,r=abc`));
      expect(server.clientFinal(finalBinding(nonce, gs2, certificateHash))).toEqual({
        ok: false,
        error: 'password authentication failed',
      });
    });

    it('a client-final message claiming another gs2 header than its client-first is refused', () => {
      const server = plus();
      const nonce = serverNonce(server.clientFirst('SCRAM-SHA-256', 'n,,n=,r=abc'));
      expect(server.clientFinal(finalBinding(nonce, 'y,,', Buffer.alloc(0))).ok).toBe(false);
    });

    it('with PLUS offered, a client that cannot bind at all (flag n) logs in with SCRAM-SHA-256', () => {
      const server = plus();
      const client = new ScramClient('pw');
      const first = server.clientFirst('SCRAM-SHA-256', client.clientFirst());
      if (!first.ok) throw new Error(first.error);
      const final = server.clientFinal(client.serverFirst(first.serverFirst));
      expect(final.ok).toBe(true);
    });

    it.each([
      ['flag n', 'n,,n=,r=abc'],
      ['flag y', 'y,,n=,r=abc'],
      ['tls-unique', 'p=tls-unique,,n=,r=abc'],
    ])('SCRAM-SHA-256-PLUS with %s is refused', (_name, message) => {
      expect(plus().clientFirst('SCRAM-SHA-256-PLUS', message).ok).toBe(false);
    });

    it('without binding data (no TLS) PLUS is not offered and a client choosing it is refused', () => {
      const server = new ScramServer(makeScramVerifier('pw'));
      expect(server.mechanisms()).toEqual(['SCRAM-SHA-256']);
      expect(server.clientFirst('SCRAM-SHA-256-PLUS', `${gs2}n=,r=abc`)).toEqual({
        ok: false,
        error: "unsupported SASL mechanism 'SCRAM-SHA-256-PLUS'",
      });
      // Flag y there is honest: the server could not bind, so it is not a downgrade.
      expect(new ScramServer(makeScramVerifier('pw')).clientFirst('SCRAM-SHA-256', 'y,,n=,r=abc').ok).toBe(true);
    });
  });

  it('the client refuses a server nonce that does not extend its own and absurd iteration counts', () => {
    expect(() => new ScramClient('x', { nonce: 'abc' }).serverFirst('r=zzz,s=AAAA,i=4096')).toThrow(/nonce/);
    expect(() => new ScramClient('x', { nonce: 'abc' }).serverFirst('r=abcd,s=AAAA,i=99999999')).toThrow(/iteration/);
    expect(() => new ScramClient('x', { nonce: 'abc' }).serverFinal('v=AAAA')).toThrow();
  });

  it("PostgreSQL's verifier text round-trips and junk is not a verifier", () => {
    const verifier = makeScramVerifier('pencil', RFC.salt);
    const text = formatPostgresVerifier(verifier);
    expect(text).toMatch(/^SCRAM-SHA-256\$4096:W22ZaJ0SNY7soEsUEjb6gQ==\$/);
    expect(parsePostgresVerifier(text)).toEqual(verifier);
    expect(parsePostgresVerifier('md5abcdef')).toBeUndefined();
    expect(parsePostgresVerifier('SCRAM-SHA-256$0:AA==$AA==:AA==')).toBeUndefined();
  });

  it('a decoy verifier keeps the same salt for the same name and never accepts a proof', () => {
    const secret = Buffer.from('server-secret');
    expect(decoyScramVerifier('alice', secret).salt).toBe(decoyScramVerifier('alice', secret).salt);
    expect(decoyScramVerifier('alice', secret).salt).not.toBe(decoyScramVerifier('bob', secret).salt);
    const server = new ScramServer(decoyScramVerifier('alice', secret));
    const client = new ScramClient('');
    const first = server.clientFirst('SCRAM-SHA-256', client.clientFirst());
    if (!first.ok) throw new Error(first.error);
    expect(server.clientFinal(client.serverFirst(first.serverFirst)).ok).toBe(false);
  });

  it('SASLprep maps non-ASCII spaces and normalises, leaving ASCII alone', () => {
    expect(saslPrep('pa ss')).toBe('pa ss');
    expect(saslPrep('I\u00adX')).toBe('IX');
    expect(saslPrep('a\u00a0b')).toBe('a b');
    expect(saslPrep('\u2168')).toBe('IX');
  });
});
