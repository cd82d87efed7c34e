/**
 * Authenticates a PostgreSQL client to the gateway. Without TLS: SCRAM-SHA-256 against the login's verifier of
 * the grant's gateway secret. Over TLS it depends on the operator's `GatewayClientAuth`: `password` asks for a
 * cleartext password, which may be the gateway secret or an API token of the identity (a token has no verifier);
 * `scram` offers SCRAM-SHA-256-PLUS (bound to the gateway's certificate, tls-server-end-point) and SCRAM-SHA-256,
 * so the secret never reaches the gateway process and a relay with another certificate cannot pass the login on.
 * An unknown user goes through the same exchange against a decoy verifier, so that the answer never tells
 * whether a login exists. Every failure reads "password authentication failed".
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
import { decoyScramVerifier, SCRAM_PLUS_MECHANISM, ScramServer } from './scram.js';

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

/** How clients over TLS authenticate; without TLS it is always SCRAM-SHA-256. */
export const GATEWAY_CLIENT_AUTH = ['password', 'scram'] as const;
export type GatewayClientAuth = (typeof GATEWAY_CLIENT_AUTH)[number];

/** What the connection the client came on offers to its authentication. */
export interface ClientTransport {
  readonly tls: boolean;
  readonly clientAuth: GatewayClientAuth;
  /** tls-server-end-point data of the certificate this TLS connection presented: SCRAM-SHA-256-PLUS needs it. */
  readonly channelBinding?: Buffer;
}

/** How the client proved itself, and whether its proof was bound to this TLS connection. */
export interface Authenticated {
  readonly method: AuthenticationMethod;
  readonly channelBound: boolean;
}

export class AuthenticationFailed extends Error {
  constructor(readonly user: string) {
    super(`password authentication failed for user "${user}"`);
    this.name = 'AuthenticationFailed';
  }
}

/** Runs the exchange; resolves with how the client authenticated, throws `AuthenticationFailed` otherwise. */
export async function authenticateClient<Login extends GatewayLoginFacts>(
  backend: GatewayBackend<Login>,
  who: { readonly user: string; readonly database: string },
  login: Login | undefined,
  transport: ClientTransport,
  io: AuthenticationIo,
): Promise<Authenticated> {
  if (transport.tls && transport.clientAuth === 'password') {
    io.send(authenticationCleartextPassword());
    const message = await io.next();
    if (message.type !== Frontend.password) throw new ProtocolError('expected a password message');
    const password = decodeCleartextPassword(message.body);
    const verified = login === undefined ? undefined : await backend.verifyPassword(login, password);
    if (verified === undefined) throw new AuthenticationFailed(who.user);
    return { method: verified === 'token' ? 'token' : 'password', channelBound: false };
  }
  // PLUS is offered only over TLS: the binding data would bind nothing on a plain connection.
  const channelBinding = transport.tls ? transport.channelBinding : undefined;
  const server = new ScramServer(login?.scram ?? decoyScramVerifier(who.user, DECOY_SECRET), {
    ...(channelBinding ? { channelBinding } : {}),
  });
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
  return { method: 'scram', channelBound: response.mechanism === SCRAM_PLUS_MECHANISM };
}
