import { createHash, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generatedGatewayTls } from '../gateway-tls.js';
import { endPointHash, tlsServerEndPoint } from './channel-binding.js';

/** A DER element: tag, definite length (short or long form), contents. */
function der(tag: number, ...contents: Buffer[]): Buffer {
  const body = Buffer.concat(contents);
  const length =
    body.length < 0x80
      ? Buffer.from([body.length])
      : body.length < 0x100
        ? Buffer.from([0x81, body.length])
        : Buffer.from([0x82, body.length >> 8, body.length & 0xff]);
  return Buffer.concat([Buffer.from([tag]), length, body]);
}

function oid(dotted: string): Buffer {
  const [first = 0, second = 0, ...rest] = dotted.split('.').map(Number);
  const bytes = [first * 40 + second];
  for (const arc of rest) {
    const groups = [arc & 0x7f];
    for (let value = arc >> 7; value > 0; value >>= 7) groups.unshift((value & 0x7f) | 0x80);
    bytes.push(...groups);
  }
  return der(0x06, Buffer.from(bytes));
}

const NULL = der(0x05);

/** A certificate as far as RFC 5929 reads it: a tbsCertificate (long enough for a long-form length), the algorithm, a signature. */
function certificate(algorithm: Buffer): Buffer {
  const tbs = der(0x30, der(0x02, Buffer.from([1])), der(0x04, Buffer.alloc(200)));
  return der(0x30, tbs, algorithm, der(0x03, Buffer.from([0, 1, 2, 3])));
}

const signedWith = (algorithm: string, parameters: Buffer[] = [NULL]): Buffer =>
  certificate(der(0x30, oid(algorithm), ...parameters));

/** RSASSA-PSS with `[0] hashAlgorithm` naming `hash`, or no hashAlgorithm (the SHA-1 default). */
const pss = (hash?: string): Buffer =>
  signedWith('1.2.840.113549.1.1.10', [
    der(0x30, ...(hash ? [der(0xa0, der(0x30, oid(hash), NULL))] : []), der(0xa2, der(0x02, Buffer.from([32])))),
  ]);

describe('tls-server-end-point (RFC 5929 §4.1)', () => {
  it.each([
    ['md5WithRSAEncryption', '1.2.840.113549.1.1.4', 'sha256'],
    ['sha1WithRSAEncryption', '1.2.840.113549.1.1.5', 'sha256'],
    ['sha224WithRSAEncryption', '1.2.840.113549.1.1.14', 'sha224'],
    ['sha256WithRSAEncryption', '1.2.840.113549.1.1.11', 'sha256'],
    ['sha384WithRSAEncryption', '1.2.840.113549.1.1.12', 'sha384'],
    ['sha512WithRSAEncryption', '1.2.840.113549.1.1.13', 'sha512'],
    ['ecdsa-with-SHA1', '1.2.840.10045.4.1', 'sha256'],
    ['ecdsa-with-SHA256', '1.2.840.10045.4.3.2', 'sha256'],
    ['ecdsa-with-SHA384', '1.2.840.10045.4.3.3', 'sha384'],
    ['ecdsa-with-SHA512', '1.2.840.10045.4.3.4', 'sha512'],
    ['dsa-with-sha1', '1.2.840.10040.4.3', 'sha256'],
    ['dsa-with-sha256', '2.16.840.1.101.3.4.3.2', 'sha256'],
  ])('a certificate signed %s is hashed with %s', (_name, algorithm, hash) => {
    expect(endPointHash(signedWith(algorithm))).toBe(hash);
  });

  it.each([
    ['SHA-384', '2.16.840.1.101.3.4.2.2', 'sha384'],
    ['SHA-512', '2.16.840.1.101.3.4.2.3', 'sha512'],
    ['SHA-1', '1.3.14.3.2.26', 'sha256'],
    ['the default hash (SHA-1)', undefined, 'sha256'],
  ])('an RSASSA-PSS certificate with %s in its parameters is hashed with %s', (_name, hash, expected) => {
    expect(endPointHash(pss(hash))).toBe(expected);
  });

  it('Ed25519 and Ed448 certificates have no hash, and neither have unknown algorithms', () => {
    expect(endPointHash(signedWith('1.3.101.112', []))).toBeUndefined();
    expect(endPointHash(signedWith('1.3.101.113', []))).toBeUndefined();
    expect(endPointHash(signedWith('1.2.3.4'))).toBeUndefined();
    expect(tlsServerEndPoint(signedWith('1.3.101.112', []))).toBeUndefined();
  });

  it.each([
    ['nothing', Buffer.alloc(0)],
    ['a bare tag', Buffer.from([0x30])],
    ['a length past the end', Buffer.from([0x30, 0x82, 0xff, 0xff, 0x30, 0x00])],
    ['an indefinite length', Buffer.from([0x30, 0x80, 0x30, 0x00, 0x00, 0x00])],
    ['no signature algorithm', der(0x30, der(0x30))],
    ['an algorithm that is not an OID', der(0x30, der(0x30), der(0x30, der(0x04, Buffer.from([1]))))],
    ['an OID cut inside an arc', der(0x30, der(0x30), der(0x30, der(0x06, Buffer.from([0x2a, 0x86]))))],
    ['PSS parameters cut short', signedWith('1.2.840.113549.1.1.10', [der(0x30, Buffer.from([0xa0, 0x05]))])],
  ])('%s is not a certificate it reads', (_name, bytes) => {
    expect(endPointHash(bytes)).toBeUndefined();
  });

  it("the data is the hash of the whole DER certificate: the generated gateway certificate's SHA-256", async () => {
    const raw = new X509Certificate((await generatedGatewayTls('127.0.0.1')).certificatePem).raw;
    expect(endPointHash(raw)).toBe('sha256');
    expect(tlsServerEndPoint(raw)).toEqual(createHash('sha256').update(raw).digest());
    const synthetic = signedWith('1.2.840.113549.1.1.12');
    expect(tlsServerEndPoint(synthetic)).toEqual(createHash('sha384').update(synthetic).digest());
  });
});
