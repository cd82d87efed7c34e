/**
 * The shapes of gateway sessions outside the application (issue 14): `GET /v1/sessions` answers `Session`s,
 * `GET /v1/sessions/{id}` a `SessionDetail` with its statements in order, and `countersign sessions` prints them.
 * A statement's text and parameters, and a failed statement's error message, detail and hint, appear only when an
 * `audit` holder asked to open them (`?open=true`), and the opening was audited; otherwise `sealed` (`errorSealed`)
 * says why they are not shown.
 */
import { z } from 'zod';
import { fromJsonText } from '../../store/columns.js';
import type { Row } from '../../store/schema.js';
import { iso, isoOrNull, isoTime, text } from '../../app/view-fields.js';

/**
 * The longest a failed statement's error message, detail or hint can be as an `audit` holder opens it: a part is
 * kept up to 2,048 characters and a note (statement-error.ts), and in the opened copy each part that looks like a
 * credential is replaced by its HMAC (`[secret hmac-sha256 <hex>]`, 85 characters), which a URL's one-character
 * password in eight makes at most about eleven times as long.
 */
export const MAX_OPENED_ERROR_CHARS = 32 * 1024;

export const SESSION_STATUSES = ['open', 'closed', 'abnormal'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

export const sessionViewSchema = z
  .object({
    id: text(100),
    identity: text(200),
    resource: text(200),
    profile: text(200),
    action: text(100),
    grantId: text(100),
    requestId: text(100),
    gatewayId: text(200),
    clientAddress: text(200),
    applicationName: text(200).nullable(),
    tls: z.boolean(),
    method: z.enum(['scram', 'password', 'token']),
    channelBound: z
      .boolean()
      .nullable()
      .describe(
        'true: the SCRAM proof was bound to the TLS connection (SCRAM-SHA-256-PLUS); null: opened before this was recorded',
      ),
    /** The provider's login role the gateway used upstream (never its password). */
    upstreamUser: text(200),
    status: z.enum(SESSION_STATUSES),
    openedAt: isoTime,
    expiresAt: isoTime,
    closedAt: isoTime.nullable(),
    endReason: text(20).nullable().describe('client, revoked, expired, budget, error, shutdown or abnormal'),
    statements: z.number().int().min(0).describe('statements recorded so far'),
    refused: z.number().int().min(0).describe('of which refused'),
  })
  .meta({ id: 'GatewaySession' });

export type SessionView = z.infer<typeof sessionViewSchema>;

export const statementViewSchema = z
  .object({
    seq: z.number().int(),
    at: isoTime,
    kinds: z.array(text(20)).max(1000),
    commands: z.array(text(100)).max(1000),
    tables: z.array(text(400)).max(1000),
    fingerprint: text(20_000),
    allowed: z.boolean(),
    rule: text(200).nullable(),
    builtIn: z.boolean(),
    message: text(2000),
    refusalId: text(100).nullable().describe('a refused statement: `countersign request create --from-refusal ID`'),
    commandTag: text(200).nullable(),
    rows: z.number().int().nullable(),
    bytes: z.number().int().nullable(),
    errorCode: text(10).nullable().describe('the SQLSTATE the server answered, if it failed'),
    durationMs: z.number().nullable(),
    text: z.string().max(1_000_000).optional().describe('opened for an audit holder (?open=true)'),
    params: z.array(z.string().max(1_000_000).nullable()).max(65_535).optional(),
    paramsOf: z
      .number()
      .int()
      .optional()
      .describe('its portal executed again: it ran with the parameters of the statement with this seq'),
    sealed: text(300).optional().describe('why the text is not shown'),
    errorMessage: text(MAX_OPENED_ERROR_CHARS)
      .optional()
      .describe("the server's error message, opened for an audit holder (?open=true) like the text"),
    errorDetail: text(MAX_OPENED_ERROR_CHARS).optional().describe("the error's DETAIL, opened like the message"),
    errorHint: text(MAX_OPENED_ERROR_CHARS).optional().describe("the error's HINT, opened like the message"),
    errorSealed: text(300).optional().describe('why the error message, recorded sealed, is not shown'),
  })
  .meta({ id: 'GatewayStatement' });

export type StatementView = z.infer<typeof statementViewSchema>;

export const sessionDetailSchema = z
  .object({
    session: sessionViewSchema,
    statements: z.array(statementViewSchema).max(1000),
    /** The `seq` to ask `after` for the next page, or null at the end. */
    next: z.number().int().nullable(),
  })
  .meta({ id: 'GatewaySessionDetail' });

export type SessionDetailView = z.infer<typeof sessionDetailSchema>;

export function sessionStatus(row: Pick<Row<'gateway_sessions'>, 'closed_at' | 'end_reason'>): SessionStatus {
  if (row.closed_at === null) return 'open';
  return row.end_reason === 'abnormal' ? 'abnormal' : 'closed';
}

export function toSessionView(
  row: Row<'gateway_sessions'>,
  counts: { readonly statements: number; readonly refused: number },
): SessionView {
  return {
    id: row.id,
    identity: row.identity,
    resource: row.resource,
    profile: row.profile,
    action: row.action,
    grantId: row.grant_id,
    requestId: row.request_id,
    gatewayId: row.gateway_id,
    clientAddress: row.client_address,
    applicationName: row.application_name,
    tls: row.tls === 1,
    method: row.auth_method,
    channelBound: row.channel_bound === null ? null : row.channel_bound === 1,
    upstreamUser: row.upstream_user,
    status: sessionStatus(row),
    openedAt: iso(row.opened_at),
    expiresAt: iso(row.expires_at),
    closedAt: isoOrNull(row.closed_at),
    endReason: row.end_reason,
    statements: counts.statements,
    refused: counts.refused,
  };
}

export function toStatementView(row: Row<'gateway_statements'>): StatementView {
  return {
    seq: row.seq,
    at: iso(row.at),
    kinds: fromJsonText<string[]>(row.kinds),
    commands: fromJsonText<string[]>(row.commands),
    tables: fromJsonText<string[]>(row.tables),
    fingerprint: row.fingerprint,
    allowed: row.allowed === 1,
    rule: row.rule,
    builtIn: row.built_in === 1,
    message: row.message,
    refusalId: row.refusal_id,
    commandTag: row.command_tag,
    rows: row.rows,
    bytes: row.bytes,
    errorCode: row.error_code,
    durationMs: row.duration_ms,
  };
}
