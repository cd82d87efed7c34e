/**
 * How people sign in, from the serve configuration: the API's OIDC bearer-token verifier, the web console's
 * sign-in (session lifetime, public origin, OIDC relying party) and the Slack settings that links point back with.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Clock } from '../core/clock.js';
import { AppError } from '../core/errors.js';
import type { SlackSettings } from '../features/chat/index.js';
import type { SignInConfig } from '../http/app.js';
import { OidcLogin } from '../http/auth/oidc-login.js';
import { OidcVerifier } from '../http/auth/oidc-verifier.js';
import type { ServeConfig } from './serve-config.js';

/** The verifier of OIDC bearer tokens on the API, when an issuer and an audience are configured. */
export function apiOidcVerifier(config: ServeConfig, clock: Clock): OidcVerifier | undefined {
  if (!config.oidcIssuer || !config.oidcAudience) return undefined;
  return new OidcVerifier(
    {
      issuer: config.oidcIssuer,
      audience: config.oidcAudience,
      ...(config.oidcJwksUri ? { jwksUri: config.oidcJwksUri } : {}),
      ...oidcGroupsOptions(config),
    },
    clock,
  );
}

/**
 * Web-console sign-in: the session lifetime, the public origin, and — with an issuer and a client id — the OIDC
 * relying party, whose ID tokens are verified with the client id as audience (a separate verifier from the API's,
 * whose audience may be an API identifier). The client secret comes from the environment or a file, never a flag.
 */
export async function signInConfig(config: ServeConfig, clock: Clock): Promise<SignInConfig> {
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const publicUrl = (config.publicUrl ?? `http://${host}:${config.port}`).replace(/\/+$/, '');
  const lifetime = { idleMs: config.sessionIdle, maxMs: config.sessionMax };
  if (config.oidcIssuer === undefined || config.oidcClientId === undefined) {
    return { lifetime, publicOrigin: new URL(publicUrl).origin };
  }
  const secretFile = config.oidcClientSecretFile;
  const clientSecret =
    secretFile === undefined
      ? config.oidcClientSecret
      : (
          await readFile(resolve(secretFile), 'utf8').catch(() => {
            throw new AppError('invalid', `the OIDC client secret file '${secretFile}' cannot be read`);
          })
        ).trim();
  const verifier = new OidcVerifier(
    {
      issuer: config.oidcIssuer,
      audience: config.oidcClientId,
      ...(config.oidcJwksUri ? { jwksUri: config.oidcJwksUri } : {}),
      ...oidcGroupsOptions(config),
    },
    clock,
  );
  const oidcLogin = new OidcLogin({
    issuer: config.oidcIssuer,
    clientId: config.oidcClientId,
    ...(clientSecret ? { clientSecret } : {}),
    redirectUri: `${publicUrl}/auth/oidc/callback`,
    verifier,
  });
  return { lifetime, publicOrigin: new URL(publicUrl).origin, oidcLogin };
}

/** Where Slack's Web API is (`--slack-api-url`, Slack's own by default) and the console's public URL for links. */
export function chatSettings(config: ServeConfig): SlackSettings {
  return {
    ...(config.slackApiUrl !== undefined ? { apiUrl: config.slackApiUrl } : {}),
    ...(config.publicUrl !== undefined ? { publicUrl: config.publicUrl } : {}),
  };
}

/** The groups claim, and whether it feeds directory groups (`--oidc-sync-groups`; the claim is `groups` unless named). */
function oidcGroupsOptions(config: ServeConfig): { groupsClaim?: string; syncGroups?: boolean } {
  const groupsClaim = config.oidcGroupsClaim ?? (config.oidcSyncGroups ? 'groups' : undefined);
  return {
    ...(groupsClaim !== undefined ? { groupsClaim } : {}),
    ...(config.oidcSyncGroups ? { syncGroups: true } : {}),
  };
}
