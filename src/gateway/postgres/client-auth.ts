/**
 * Authenticates a PostgreSQL client to the gateway: SCRAM-SHA-256 against the login's verifier of the grant's
 * gateway secret, or — only over TLS — a cleartext password, which may be the gateway secret or an API token of
 * the identity. An unknown user goes through the same exchange against a decoy verifier, so that the answer never
 * tells whether a login exists. Every failure reads "password authentication failed".
 */
import { randomBytes } from 'node:crypto';
import type { AuthenticationMethod, GatewayBackend, GatewayLoginFacts } from '../backend.js';
import {
  authenticationCleartextPassword,
  authenticationSasl,
  authenticationSaslContinue,
  authenticationSaslFinal,
} from './protocol/backend-messages.js';
import { decodeCleartextPassword, decodeSaslInitialResponse, Frontend } from './protocol/frontend-messages.js';
import { ProtocolError } from './protocol/protocol-error.js';
import { decoyScramVerifier, ScramServer } from './scram.js';

/** A frontend message awaited during authentication. */
export interface AwaitedMessage {
  readonly type: number;
  readonly body: Buffer;
}

export interface AuthenticationIo {
  send(bytes: Buffer): void;
  next(): Promise<AwaitedMessage>;
}

/** Per-process secret for decoy salts: stable for a name within a process, unguessable outside it. */
const DECOY_SECRET = randomBytes(32);

export class AuthenticationFailed extends Error {
  constructor(readonly user: string) {
    super(`password authentication failed for user "${user}"`);
    this.name = 'AuthenticationFailed';
  }
}

/** Runs the exchange; resolves with the method that succeeded, throws `AuthenticationFailed` otherwise. */
export async function authenticateClient<Login extends GatewayLoginFacts>(
  backend: GatewayBackend<Login>,
  who: { readonly user: string; readonly database: string },
  login: Login | undefined,
  tls: boolean,
  io: AuthenticationIo,
): Promise<AuthenticationMethod> {
  if (tls) {
    io.send(authenticationCleartextPassword());
    const message = await io.next();
    if (message.type !== Frontend.password) throw new ProtocolError('expected a password message');
    const password = decodeCleartextPassword(message.body);
    const verified = login === undefined ? undefined : await backend.verifyPassword(login, password);
    if (verified === undefined) throw new AuthenticationFailed(who.user);
    return verified === 'token' ? 'token' : 'password';
  }
  const server = new ScramServer(login?.scram ?? decoyScramVerifier(who.user, DECOY_SECRET));
  io.send(authenticationSasl(server.mechanisms()));
  const initial = await io.next();
  if (initial.type !== Frontend.password) throw new ProtocolError('expected a SASLInitialResponse message');
  const response = decodeSaslInitialResponse(initial.body);
  const first = server.clientFirst(response.mechanism, response.data.toString('utf8'));
  if (!first.ok) throw new AuthenticationFailed(who.user);
  io.send(authenticationSaslContinue(first.serverFirst));
  const final = await io.next();
  if (final.type !== Frontend.password) throw new ProtocolError('expected a SASLResponse message');
  const last = server.clientFinal(final.body.toString('utf8'));
  // A decoy never matches; a login without a verifier has none to match.
  if (!last.ok || login?.scram === undefined) throw new AuthenticationFailed(who.user);
  io.send(authenticationSaslFinal(last.serverFinal));
  return 'scram';
}
