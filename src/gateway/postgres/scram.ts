/**
 * SCRAM-SHA-256 (RFC 5802, RFC 7677) as PostgreSQL speaks it: pure crypto, no sockets. The gateway is a SCRAM
 * server towards its clients (checking a proof against a stored verifier, never a password) and a SCRAM client
 * towards the upstream server (with the provider's password). Messages are the bare SCRAM strings; the wire
 * framing (AuthenticationSASL, SASLInitialResponse, …) is the protocol layer's.
 *
 * PostgreSQL ignores the SCRAM user name (the startup packet's `user` counts), so the client sends `n=` empty and
 * the server accepts any name. Channel binding (`SCRAM-SHA-256-PLUS`, tls-server-end-point) is supported when the
 * caller gives the binding data; a client that says `y` (it could bind but thinks the server cannot) while the
 * server offered PLUS is refused, as RFC 5802 §6 requires (a downgrade).
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

export const SCRAM_MECHANISM = 'SCRAM-SHA-256';
export const SCRAM_PLUS_MECHANISM = 'SCRAM-SHA-256-PLUS';
export const DEFAULT_SCRAM_ITERATIONS = 4096;
/** Bounds the work a peer can ask of us: an upstream announcing a huge iteration count cannot stall the gateway. */
export const MAX_SCRAM_ITERATIONS = 1_000_000;
/** No SCRAM message of a well-behaved peer comes near this; anything longer is refused before parsing. */
const MAX_MESSAGE_LENGTH = 2048;

/** What is stored for a password: enough to check a proof, not enough to log in (RFC 5802 §3). Base64 fields. */
export interface ScramVerifier {
  readonly salt: string;
  readonly iterations: number;
  readonly storedKey: string;
  readonly serverKey: string;
}

export type ScramStep<T> = { readonly ok: true } & T;
export type ScramFailure = { readonly ok: false; readonly error: string };

const hmac = (key: Buffer, data: string | Buffer): Buffer => createHmac('sha256', key).update(data).digest();
const sha256 = (data: Buffer): Buffer => createHash('sha256').update(data).digest();

function xor(a: Buffer, b: Buffer): Buffer {
  const out = Buffer.alloc(a.length);
  for (let i = 0; i < a.length; i++) out[i] = (a[i] ?? 0) ^ (b[i] ?? 0);
  return out;
}

// RFC 3454 tables C.1.2 (non-ASCII spaces) and B.1 (commonly mapped to nothing, but the variation selectors).
const NON_ASCII_SPACES = new Set([
  0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x200b, 0x202f,
  0x205f, 0x3000,
]);
const MAPPED_TO_NOTHING = new Set([0xad, 0x34f, 0x1806, 0x180b, 0x180c, 0x180d, 0x200c, 0x200d, 0x2060, 0xfeff]);

/**
 * SASLprep (RFC 4013) as far as it changes real passwords: non-ASCII spaces become a space, the characters
 * "commonly mapped to nothing" are dropped, then NFKC. PostgreSQL falls back to the raw bytes when a password
 * has prohibited characters; gateway secrets are ASCII, so the difference never shows for them.
 */
export function saslPrep(password: string): string {
  if (/^[\x20-\x7e]*$/.test(password)) return password;
  let mapped = '';
  for (const char of password) {
    const code = char.codePointAt(0) ?? 0;
    if (NON_ASCII_SPACES.has(code)) mapped += ' ';
    else if (!MAPPED_TO_NOTHING.has(code) && !(code >= 0xfe00 && code <= 0xfe0f)) mapped += char;
  }
  const normalised = mapped.normalize('NFKC');
  // Control characters are prohibited output (RFC 4013 §2.3): PostgreSQL then uses the password as given.
  for (const char of normalised) {
    const code = char.codePointAt(0) ?? 0;
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return password;
  }
  return normalised;
}

function saltedPassword(password: string, salt: Buffer, iterations: number): Buffer {
  return pbkdf2Sync(Buffer.from(saslPrep(password), 'utf8'), salt, iterations, 32, 'sha256');
}

/** A verifier for `password`: a random 16-byte salt unless one is given (bytes, or base64 text). */
export function makeScramVerifier(
  password: string,
  salt?: Buffer | string,
  iterations: number = DEFAULT_SCRAM_ITERATIONS,
): ScramVerifier {
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > MAX_SCRAM_ITERATIONS) {
    throw new RangeError(`SCRAM iterations must be an integer from 1 to ${MAX_SCRAM_ITERATIONS}`);
  }
  const saltBytes =
    salt === undefined ? randomBytes(16) : typeof salt === 'string' ? Buffer.from(salt, 'base64') : salt;
  const salted = saltedPassword(password, saltBytes, iterations);
  const clientKey = hmac(salted, 'Client Key');
  return {
    salt: saltBytes.toString('base64'),
    iterations,
    storedKey: sha256(clientKey).toString('base64'),
    serverKey: hmac(salted, 'Server Key').toString('base64'),
  };
}

/** The verifier as PostgreSQL stores it in `pg_authid.rolpassword` (and accepts in `ALTER ROLE … PASSWORD`). */
export function formatPostgresVerifier(verifier: ScramVerifier): string {
  return `SCRAM-SHA-256$${verifier.iterations}:${verifier.salt}$${verifier.storedKey}:${verifier.serverKey}`;
}

/** Reads PostgreSQL's verifier text; undefined when it is not one. */
export function parsePostgresVerifier(text: string): ScramVerifier | undefined {
  const match = /^SCRAM-SHA-256\$(\d{1,7}):([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+):([A-Za-z0-9+/=]+)$/.exec(text);
  if (!match) return undefined;
  const iterations = Number(match[1]);
  if (iterations < 1 || iterations > MAX_SCRAM_ITERATIONS) return undefined;
  const [storedKey, serverKey] = [match[3] as string, match[4] as string];
  if (Buffer.from(storedKey, 'base64').length !== 32 || Buffer.from(serverKey, 'base64').length !== 32)
    return undefined;
  return { salt: match[2] as string, iterations, storedKey, serverKey };
}

/**
 * A verifier for a login that does not exist, so that an unknown user sees the same exchange as a wrong password
 * (no user enumeration): the salt is derived from the name and a server secret, stable across attempts.
 */
export function decoyScramVerifier(user: string, serverSecret: Buffer): ScramVerifier {
  const salt = hmac(serverSecret, `scram-decoy-salt:${user}`).subarray(0, 16);
  return {
    salt: salt.toString('base64'),
    iterations: DEFAULT_SCRAM_ITERATIONS,
    storedKey: randomBytes(32).toString('base64'),
    serverKey: randomBytes(32).toString('base64'),
  };
}

/** A fresh printable nonce (base64 of 18 random bytes: no comma, as RFC 5802 requires). */
export function makeScramNonce(): string {
  return randomBytes(18).toString('base64');
}

/** Splits `a=x,b=y` into ordered attributes; undefined when malformed. */
function parseAttributes(text: string): { key: string; value: string }[] | undefined {
  const out: { key: string; value: string }[] = [];
  for (const part of text.split(',')) {
    const match = /^([A-Za-z])=(.*)$/s.exec(part);
    if (!match) return undefined;
    out.push({ key: match[1] as string, value: match[2] as string });
  }
  return out;
}

const NONCE_PATTERN = /^[\x21-\x2b\x2d-\x7e]+$/;
const BASE64_PATTERN = /^[A-Za-z0-9+/]*={0,2}$/;

export interface ScramServerOptions {
  /** Channel binding data (tls-server-end-point: the hash of the server certificate) when TLS is on. */
  readonly channelBinding?: Buffer;
  /** The server's half of the nonce; random unless given (tests with fixed vectors). */
  readonly serverNonce?: string;
}

/**
 * The server side of one exchange: `clientFirst` → server-first message, `clientFinal` → server-final message
 * when the proof is right. Use one instance per authentication; any failure ends it.
 */
export class ScramServer {
  private state: 'initial' | 'first-sent' | 'done' | 'failed' = 'initial';
  private clientFirstBare = '';
  private serverFirst = '';
  private nonce = '';
  private gs2Header = '';
  private usesPlus = false;

  constructor(
    private readonly verifier: ScramVerifier,
    private readonly options: ScramServerOptions = {},
  ) {}

  /** The mechanisms to offer in AuthenticationSASL: PLUS first when channel binding data is available. */
  mechanisms(): readonly string[] {
    return this.options.channelBinding ? [SCRAM_PLUS_MECHANISM, SCRAM_MECHANISM] : [SCRAM_MECHANISM];
  }

  /** Handles SASLInitialResponse: `mechanism` as the client chose it and its client-first message. */
  clientFirst(mechanism: string, message: string): ScramStep<{ readonly serverFirst: string }> | ScramFailure {
    if (this.state !== 'initial') return this.fail('unexpected SCRAM client-first message');
    if (!this.mechanisms().includes(mechanism)) return this.fail(`unsupported SASL mechanism '${mechanism}'`);
    if (message.length > MAX_MESSAGE_LENGTH) return this.fail('SCRAM message too long');
    const match = /^(n|y|p=[A-Za-z0-9.-]+),(a=[^,]*)?,(.*)$/s.exec(message);
    if (!match) return this.fail('malformed SCRAM client-first message');
    const flag = match[1] as string;
    if (match[2] !== undefined) return this.fail('SCRAM authorization identities are not supported');
    this.usesPlus = mechanism === SCRAM_PLUS_MECHANISM;
    if (this.usesPlus && flag !== 'p=tls-server-end-point') {
      return this.fail('SCRAM-SHA-256-PLUS needs tls-server-end-point channel binding');
    }
    if (!this.usesPlus && flag.startsWith('p=')) return this.fail('channel binding requested without -PLUS');
    // `y`: the client could bind but believes we cannot. We offered PLUS, so this is a downgrade.
    if (flag === 'y' && this.options.channelBinding) return this.fail('SCRAM channel binding downgrade refused');
    const bare = match[3] as string;
    const attributes = parseAttributes(bare);
    if (!attributes || attributes[0]?.key === 'm') return this.fail('malformed SCRAM client-first message');
    const user = attributes[0];
    const nonce = attributes[1];
    if (user?.key !== 'n' || nonce?.key !== 'r' || !NONCE_PATTERN.test(nonce.value)) {
      return this.fail('malformed SCRAM client-first message');
    }
    this.gs2Header = message.slice(0, message.length - bare.length);
    this.clientFirstBare = bare;
    this.nonce = nonce.value + (this.options.serverNonce ?? makeScramNonce());
    this.serverFirst = `r=${this.nonce},s=${this.verifier.salt},i=${this.verifier.iterations}`;
    this.state = 'first-sent';
    return { ok: true, serverFirst: this.serverFirst };
  }

  /** Handles the client-final message: checks binding, nonce and proof (constant time). */
  clientFinal(message: string): ScramStep<{ readonly serverFinal: string }> | ScramFailure {
    if (this.state !== 'first-sent') return this.fail('unexpected SCRAM client-final message');
    if (message.length > MAX_MESSAGE_LENGTH) return this.fail('SCRAM message too long');
    const proofAt = message.lastIndexOf(',p=');
    if (proofAt < 0) return this.fail('malformed SCRAM client-final message');
    const withoutProof = message.slice(0, proofAt);
    const attributes = parseAttributes(withoutProof);
    const proofText = message.slice(proofAt + 3);
    const binding = attributes?.[0];
    const nonce = attributes?.[1];
    if (binding?.key !== 'c' || nonce?.key !== 'r' || !BASE64_PATTERN.test(proofText)) {
      return this.fail('malformed SCRAM client-final message');
    }
    const expectedBinding = Buffer.concat([
      Buffer.from(this.gs2Header, 'utf8'),
      this.usesPlus ? (this.options.channelBinding ?? Buffer.alloc(0)) : Buffer.alloc(0),
    ]);
    const givenBinding = Buffer.from(binding.value, 'base64');
    if (givenBinding.length !== expectedBinding.length || !timingSafeEqual(givenBinding, expectedBinding)) {
      return this.fail('SCRAM channel binding does not match');
    }
    if (nonce.value !== this.nonce) return this.fail('SCRAM nonce does not match');
    const proof = Buffer.from(proofText, 'base64');
    if (proof.length !== 32) return this.fail('password authentication failed');
    const authMessage = `${this.clientFirstBare},${this.serverFirst},${withoutProof}`;
    const storedKey = Buffer.from(this.verifier.storedKey, 'base64');
    const clientKey = xor(proof, hmac(storedKey, authMessage));
    const computed = sha256(clientKey);
    if (storedKey.length !== computed.length || !timingSafeEqual(computed, storedKey)) {
      return this.fail('password authentication failed');
    }
    this.state = 'done';
    const serverSignature = hmac(Buffer.from(this.verifier.serverKey, 'base64'), authMessage);
    return { ok: true, serverFinal: `v=${serverSignature.toString('base64')}` };
  }

  private fail(error: string): ScramFailure {
    this.state = 'failed';
    return { ok: false, error };
  }
}

export interface ScramClientOptions {
  /** The client's nonce; random unless given (tests with fixed vectors). */
  readonly nonce?: string;
  /** Sent as `n=`; PostgreSQL ignores it, so empty by default. */
  readonly user?: string;
}

/**
 * The client side of one exchange, for the gateway's login to the upstream server: `clientFirst()`, then
 * `serverFirst(message)` → client-final message, then `serverFinal(message)` checks the server's signature (the
 * upstream proves it knows the verifier: a man in the middle without it is caught). Throws on any failure.
 * Channel binding is not used (the flag is `n`): the upstream TLS, when configured, authenticates the server.
 */
export class ScramClient {
  private readonly nonce: string;
  private readonly clientFirstBare: string;
  private expectedServerSignature: Buffer | undefined;

  constructor(
    private readonly password: string,
    options: ScramClientOptions = {},
  ) {
    this.nonce = options.nonce ?? makeScramNonce();
    const user = (options.user ?? '').replace(/=/g, '=3D').replace(/,/g, '=2C');
    this.clientFirstBare = `n=${user},r=${this.nonce}`;
  }

  /** The SASLInitialResponse payload. */
  clientFirst(): string {
    return `n,,${this.clientFirstBare}`;
  }

  /** Computes the client-final message from the server-first message. */
  serverFirst(message: string): string {
    if (message.length > MAX_MESSAGE_LENGTH) throw new Error('SCRAM server-first message too long');
    const attributes = parseAttributes(message);
    const [nonce, salt, iterationText] = [attributes?.[0], attributes?.[1], attributes?.[2]];
    if (nonce?.key !== 'r' || salt?.key !== 's' || iterationText?.key !== 'i') {
      throw new Error('malformed SCRAM server-first message');
    }
    if (!nonce.value.startsWith(this.nonce) || nonce.value.length <= this.nonce.length) {
      throw new Error('SCRAM server nonce does not extend the client nonce');
    }
    if (!NONCE_PATTERN.test(nonce.value) || !BASE64_PATTERN.test(salt.value)) {
      throw new Error('malformed SCRAM server-first message');
    }
    const iterations = /^\d{1,7}$/.test(iterationText.value) ? Number(iterationText.value) : NaN;
    if (!(iterations >= 1 && iterations <= MAX_SCRAM_ITERATIONS)) {
      throw new Error('SCRAM iteration count out of range');
    }
    const salted = saltedPassword(this.password, Buffer.from(salt.value, 'base64'), iterations);
    const clientKey = hmac(salted, 'Client Key');
    const withoutProof = `c=${Buffer.from('n,,').toString('base64')},r=${nonce.value}`;
    const authMessage = `${this.clientFirstBare},${message},${withoutProof}`;
    const proof = xor(clientKey, hmac(sha256(clientKey), authMessage));
    this.expectedServerSignature = hmac(hmac(salted, 'Server Key'), authMessage);
    return `${withoutProof},p=${proof.toString('base64')}`;
  }

  /** Checks the server-final message; throws unless the server proved it holds the verifier. */
  serverFinal(message: string): void {
    if (!this.expectedServerSignature) throw new Error('SCRAM server-final message before server-first');
    const error = /^e=(.*)$/s.exec(message);
    if (error) throw new Error(`SCRAM server error: ${(error[1] ?? '').slice(0, 100)}`);
    const match = /^v=([A-Za-z0-9+/]*={0,2})(,.*)?$/s.exec(message);
    const signature = match ? Buffer.from(match[1] as string, 'base64') : Buffer.alloc(0);
    if (
      signature.length !== this.expectedServerSignature.length ||
      !timingSafeEqual(signature, this.expectedServerSignature)
    ) {
      throw new Error('SCRAM server signature does not match');
    }
  }
}
