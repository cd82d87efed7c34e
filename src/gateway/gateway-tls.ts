/**
 * The gateway's TLS certificate: read from the files the operator names, or — for the embedded default, where
 * nobody configured one — generated at start (self-signed, EC P-256, for the listen host) and announced with its
 * SHA-256 fingerprint, so that a client can pin it (`sslmode=require` encrypts; `verify-ca` needs the PEM).
 */
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import net from 'node:net';
import tls from 'node:tls';
import { generate } from 'selfsigned';
import { AppError } from '../core/errors.js';
import { tlsServerEndPoint } from './postgres/channel-binding.js';

export interface GatewayTls {
  readonly context: tls.SecureContext;
  /** The certificate in PEM (printed when generated). */
  readonly certificatePem: string;
  readonly fingerprint256: string;
  readonly generated: boolean;
  /**
   * Its tls-server-end-point channel binding data (RFC 5929), which SCRAM-SHA-256-PLUS needs; undefined for a
   * certificate whose signature algorithm names no hash (Ed25519, Ed448: libpq cannot bind to those either).
   */
  readonly channelBinding: Buffer | undefined;
}

/** TLS from `--gateway-tls-cert` and `--gateway-tls-key` files. */
export async function gatewayTlsFromFiles(certFile: string, keyFile: string): Promise<GatewayTls> {
  const read = (path: string, what: string): Promise<string> =>
    readFile(path, 'utf8').catch(() => {
      throw new AppError('invalid', `the gateway TLS ${what} file '${path}' cannot be read`);
    });
  const [cert, key] = await Promise.all([read(certFile, 'certificate'), read(keyFile, 'key')]);
  return build(cert, key, false);
}

/** A self-signed certificate for `host`, valid a year, made now. */
export async function generatedGatewayTls(host: string): Promise<GatewayTls> {
  const altNames = [
    { type: 2 as const, value: 'localhost' },
    ...(net.isIP(host) ? [{ type: 7 as const, ip: host }] : [{ type: 2 as const, value: host }]),
  ];
  const pems = await generate([{ name: 'commonName', value: host }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
    ],
  });
  return build(pems.cert, pems.private, true);
}

function build(cert: string, key: string, generated: boolean): GatewayTls {
  let context: tls.SecureContext;
  let certificate: X509Certificate;
  try {
    context = tls.createSecureContext({ cert, key, minVersion: 'TLSv1.2' });
    certificate = new X509Certificate(cert);
  } catch (error) {
    throw new AppError('invalid', `the gateway TLS certificate or key is not usable: ${(error as Error).message}`);
  }
  return {
    context,
    certificatePem: cert,
    fingerprint256: certificate.fingerprint256,
    generated,
    channelBinding: tlsServerEndPoint(certificate.raw),
  };
}
