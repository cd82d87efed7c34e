/**
 * The credential broker behind the browser tests' resource (`customer-db`, a `webhook` provider in
 * test/console/fixtures/policy): a real HTTP server on loopback that checks Countersign's signature like a
 * real receiver, answers `grant` with a fresh one-time password (what the console must show once and never
 * keep), `revoke` with nothing, and `observe` with a configuration that breaks the profile's baseline (so the
 * resource has an open drift finding for the inbox and the timeline to show).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySignature } from '../../src/providers/webhook/webhook-signing.js';

export interface Broker {
  readonly url: string;
  readonly secret: string;
  /** The passwords handed out, in order; a test looks for them in the page and in storage. */
  readonly passwords: readonly string[];
  close(): Promise<void>;
}

export async function startBroker(): Promise<Broker> {
  const secret = randomBytes(24).toString('hex');
  const passwords: string[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      const header = (name: string): string | undefined => {
        const value = request.headers[name];
        return Array.isArray(value) ? value[0] : value;
      };
      const check = verifySignature({
        secret,
        body,
        timestamp: header('countersign-timestamp'),
        signature: header('countersign-signature'),
        nowMs: Date.now(),
      });
      if (!check.ok) {
        response.writeHead(401).end();
        return;
      }
      const call = JSON.parse(body) as { operation: string; request?: { id: string; identity: string } };
      let answer: unknown = {};
      if (call.operation === 'grant') {
        const password = `pw-${randomBytes(12).toString('hex')}`;
        passwords.push(password);
        answer = {
          handle: { requestId: call.request?.id ?? 'unknown' },
          credential: { username: `${call.request?.identity ?? 'someone'}_ro`, password },
        };
      } else if (call.operation === 'observe') {
        answer = { encryption: 'off' };
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/provider`,
    secret,
    passwords,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
