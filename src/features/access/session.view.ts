/**
 * The shapes of web-console sign-in outside the application (issue 12): the signed-in session the console
 * reads (`Session`, with the CSRF token only for a cookie session), one of my open sessions as lists show it
 * (`OpenSession`: a public id, never the cookie's secret), the sign-in options of this server, and a login link
 * as `countersign login-link` makes it. Times are ISO 8601.
 */
import { z } from 'zod';
import { isoTime, text } from '../../app/view-fields.js';

export const SIGN_IN_METHODS = ['api_token', 'oidc', 'login_link'] as const;

export const sessionViewSchema = z
  .object({
    identity: text(200),
    /** How the caller signed in (a bearer caller: how its bearer authenticated). */
    method: z.enum(SIGN_IN_METHODS),
    /** When the credential stops working unless used again (a session's idle deadline, bounded by its limits). */
    expiresAt: isoTime.nullable(),
    /** The session's public id (cookie sessions only). */
    sessionId: text(100).optional(),
    /** The value every state-changing request of this session sends as `X-CSRF-Token` (cookie sessions only). */
    csrfToken: text(100).optional(),
  })
  .meta({ id: 'Session' });

export type SessionView = z.infer<typeof sessionViewSchema>;

export const openSessionViewSchema = z
  .object({
    id: text(100),
    method: z.enum(SIGN_IN_METHODS),
    createdAt: isoTime,
    lastSeenAt: isoTime,
    expiresAt: isoTime,
    /** True for the session making this request. */
    current: z.boolean(),
  })
  .meta({ id: 'OpenSession' });

export type OpenSessionView = z.infer<typeof openSessionViewSchema>;

export const sessionOptionsViewSchema = z
  .object({
    /** True when an OIDC issuer is configured: people sign in through it. */
    oidc: z.boolean(),
    /** True when an API token may be exchanged for a session (off when an issuer is configured). */
    tokenSignIn: z.boolean(),
    oidcLoginUrl: z.literal('/auth/oidc/login').optional(),
  })
  .meta({ id: 'SessionOptions' });

export type SessionOptionsView = z.infer<typeof sessionOptionsViewSchema>;

export const loginLinkViewSchema = z
  .object({
    id: text(100),
    identity: text(200),
    /** The secret: shown once, never stored. */
    link: text(100),
    expiresAt: isoTime,
  })
  .meta({ id: 'LoginLink' });

export type LoginLinkView = z.infer<typeof loginLinkViewSchema>;
