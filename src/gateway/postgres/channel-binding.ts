/**
 * The `tls-server-end-point` channel binding data of a certificate (RFC 5929 §4.1), which SCRAM-SHA-256-PLUS
 * binds into the client's proof: the hash of the DER certificate with the hash function of the certificate's own
 * signature algorithm, SHA-256 when that is MD5 or SHA-1. A client computes it from the certificate it received,
 * the gateway from the one it presented; a man in the middle presenting another certificate makes them differ.
 *
 * Node does not expose a certificate's signature algorithm, so this reads it from the DER (Certificate ::=
 * SEQUENCE { tbsCertificate, signatureAlgorithm, signature }). It agrees with libpq and PostgreSQL (OpenSSL's
 * `X509_get_signature_info`): RSASSA-PSS takes the hash of its parameters; Ed25519 and Ed448 sign without a
 * separate hash, so there is none to take (libpq fails on them: "could not find digest for NID UNDEF").
 */
import { createHash } from 'node:crypto';

/** Signature algorithm OID → the hash RFC 5929 uses for it (MD5 and SHA-1 already replaced by SHA-256). */
const SIGNATURE_HASHES: ReadonlyMap<string, string> = new Map([
  ['1.2.840.113549.1.1.4', 'sha256'], // md5WithRSAEncryption
  ['1.2.840.113549.1.1.5', 'sha256'], // sha1WithRSAEncryption
  ['1.2.840.113549.1.1.14', 'sha224'],
  ['1.2.840.113549.1.1.11', 'sha256'],
  ['1.2.840.113549.1.1.12', 'sha384'],
  ['1.2.840.113549.1.1.13', 'sha512'],
  ['1.2.840.10045.4.1', 'sha256'], // ecdsa-with-SHA1
  ['1.2.840.10045.4.3.1', 'sha224'],
  ['1.2.840.10045.4.3.2', 'sha256'],
  ['1.2.840.10045.4.3.3', 'sha384'],
  ['1.2.840.10045.4.3.4', 'sha512'],
  ['1.2.840.10040.4.3', 'sha256'], // dsa-with-sha1
  ['2.16.840.1.101.3.4.3.1', 'sha224'], // dsa-with-sha224
  ['2.16.840.1.101.3.4.3.2', 'sha256'], // dsa-with-sha256
]);

const RSASSA_PSS = '1.2.840.113549.1.1.10';

/** Hash algorithm OID (in RSASSA-PSS parameters) → hash, with the same replacement of MD5 and SHA-1. */
const PSS_HASHES: ReadonlyMap<string, string> = new Map([
  ['1.2.840.113549.2.5', 'sha256'], // md5
  ['1.3.14.3.2.26', 'sha256'], // sha1
  ['2.16.840.1.101.3.4.2.4', 'sha224'],
  ['2.16.840.1.101.3.4.2.1', 'sha256'],
  ['2.16.840.1.101.3.4.2.2', 'sha384'],
  ['2.16.840.1.101.3.4.2.3', 'sha512'],
]);

interface Element {
  readonly tag: number;
  /** Where the contents start and end. */
  readonly start: number;
  readonly end: number;
}

/** One DER element at `offset` within `limit`; undefined when its header or length does not fit. */
function readElement(der: Buffer, offset: number, limit: number): Element | undefined {
  if (offset + 2 > limit) return undefined;
  const tag = der[offset] as number;
  let length = der[offset + 1] as number;
  let start = offset + 2;
  if (length >= 0x80) {
    const bytes = length & 0x7f;
    // Certificates are far below 2^32 bytes; an indefinite or longer length is not DER we accept.
    if (bytes === 0 || bytes > 4 || start + bytes > limit) return undefined;
    length = 0;
    for (let i = 0; i < bytes; i++) length = length * 256 + (der[start + i] as number);
    start += bytes;
  }
  return start + length > limit ? undefined : { tag, start, end: start + length };
}

function readSequence(der: Buffer, offset: number, limit: number): Element | undefined {
  const element = readElement(der, offset, limit);
  return element?.tag === 0x30 ? element : undefined;
}

/** The dotted text of an OBJECT IDENTIFIER element. */
function readOid(der: Buffer, element: Element | undefined): string | undefined {
  if (element?.tag !== 0x06 || element.end <= element.start) return undefined;
  const arcs: number[] = [];
  let value = 0;
  for (let i = element.start; i < element.end; i++) {
    const byte = der[i] as number;
    value = value * 128 + (byte & 0x7f);
    if (value > Number.MAX_SAFE_INTEGER / 128) return undefined;
    if (byte < 0x80) {
      arcs.push(value);
      value = 0;
    }
  }
  if (value !== 0 || (der[element.end - 1] as number) >= 0x80) return undefined;
  const [first = 0, ...rest] = arcs;
  const head = first < 80 ? [Math.floor(first / 40), first % 40] : [2, first - 80];
  return [...head, ...rest].join('.');
}

/** The RSASSA-PSS hash: `[0] hashAlgorithm` of the parameters, SHA-1 (hence SHA-256) when left out. */
function pssHash(der: Buffer, algorithm: Element, oidEnd: number): string | undefined {
  const parameters = readSequence(der, oidEnd, algorithm.end);
  if (parameters === undefined) return undefined;
  if (parameters.start === parameters.end) return 'sha256';
  const first = readElement(der, parameters.start, parameters.end);
  if (first === undefined) return undefined;
  if (first.tag !== 0xa0) return 'sha256';
  const hashAlgorithm = readSequence(der, first.start, first.end);
  if (hashAlgorithm === undefined) return undefined;
  return PSS_HASHES.get(readOid(der, readElement(der, hashAlgorithm.start, hashAlgorithm.end)) ?? '');
}

/**
 * The hash function RFC 5929 prescribes for a DER certificate (`sha256`, `sha384`, …); undefined when the
 * certificate cannot be read or its signature algorithm has no such hash (Ed25519, Ed448).
 */
export function endPointHash(certificate: Buffer): string | undefined {
  const outer = readSequence(certificate, 0, certificate.length);
  if (outer === undefined) return undefined;
  const tbs = readSequence(certificate, outer.start, outer.end);
  if (tbs === undefined) return undefined;
  const algorithm = readSequence(certificate, tbs.end, outer.end);
  if (algorithm === undefined) return undefined;
  const oidElement = readElement(certificate, algorithm.start, algorithm.end);
  const oid = readOid(certificate, oidElement);
  if (oid === RSASSA_PSS && oidElement !== undefined) return pssHash(certificate, algorithm, oidElement.end);
  return SIGNATURE_HASHES.get(oid ?? '');
}

/** `tls-server-end-point` data of a DER certificate; undefined when RFC 5929 defines none for it. */
export function tlsServerEndPoint(certificate: Buffer): Buffer | undefined {
  const hash = endPointHash(certificate);
  return hash === undefined ? undefined : createHash(hash).update(certificate).digest();
}
