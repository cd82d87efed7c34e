/**
 * Who the caller is, as `GET /v1/me` answers it and `countersign whoami` prints it (`Me` in the OpenAPI
 * document): its identity, how it authenticated, and the duties it holds now.
 */
import { z } from 'zod';
import { DUTIES } from '../../policy/model.js';
import { text } from '../../app/view-fields.js';

const holdingSchema = z.object({ duty: z.enum(DUTIES), role: text(200), scope: text(4000) });

export const meViewSchema = z
  .object({
    identity: text(200),
    kind: text(20),
    email: text(320).nullable(),
    owner: text(200).nullable(),
    groups: z.array(text(200)).max(1000).readonly(),
    /** `session`: a web-console session cookie. */
    authenticatedWith: z.enum(['api_token', 'oidc', 'session']),
    /** Duties in force now, each once, in vocabulary order. */
    duties: z.array(z.enum(DUTIES)).readonly(),
    /** Every holding in force: duty, role and scope. */
    holdings: z.array(holdingSchema).max(10_000).readonly(),
    /** Duties reachable only by activating an eligible role. */
    eligible: z.array(holdingSchema).max(10_000).readonly(),
  })
  .meta({ id: 'Me' });

export type MeView = z.infer<typeof meViewSchema>;
