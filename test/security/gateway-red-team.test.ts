/**
 * Red team of the gateway (issue 14), each attack by one person alone, through Countersign's own wiring and the
 * real PostgreSQL, or through the protocol alone where the wiring is not the point:
 * - a grant holder makes the server read the statements after the checked one differently from the gateway
 *   (`standard_conforming_strings` off, a client encoding where a multibyte character swallows a backslash, or
 *   either set through `pg_settings`), so that a refused DELETE or a masked column rides inside what the gateway
 *   checked and recorded as a SELECT of a string;
 * - a grant holder sends one message of ten thousand statements, whose record was too large to append: the shipper
 *   failed on it for good, and no later statement of anyone on that gateway reached the database;
 * - a message of 1,500 statements made the session's detail too large for its own answer schema, so nobody could
 *   read that page of the session;
 * - a typo in a statement (an unterminated string) put the rest of its text, a card number, in clear into the
 *   statement list approvers read and into the audit log, where only the sealed text may hold values;
 * - a revoke that commits while a session is being opened sent its hint before the session was registered, and
 *   the session lived on until the next poll.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionDetailSchema, type SessionDetailView } from '../../src/features/sessions/session.view.js';
import type { ActivationView } from '../../src/features/requests/request.view.js';
import { Backend, frame, readErrorFields } from '../../src/gateway/postgres/protocol/backend-messages.js';
import { query } from '../../src/gateway/postgres/protocol/frontend-builders.js';
import { Frontend } from '../../src/gateway/postgres/protocol/frontend-messages.js';
import { startGateway, type RunningGateway } from '../../src/server/gateway-runner.js';
import { everyType } from '../app/requests-fixtures.js';
import { activeGatewayGrant, gatewayAppOptions } from '../features/sessions/gateway-fixtures.js';
import { ProtocolBackend, startTestGateway } from '../gateway/protocol-backend.js';
import { RawClient } from '../gateway/raw-client.js';
import { adminSql, testDbSql } from '../gateway/admin-sql.js';
import { RealRoleProvider } from '../gateway/real-role-provider.js';
import { createHttpTestApp, type HttpTestApp } from '../http/http-fixtures.js';
import { gatewayCondition } from '../factories/profile.factory.js';
import { describeEachDialect } from '../store/dialects.js';

const CARD = '4111 1111 1111 1111';
const EMAIL = 'grace.hopper@example.com';

async function targetCount(table: string): Promise<number> {
  return Number((await testDbSql<{ n: string }>(`select count(*) as n from ${table}`))[0]?.n);
}

/** A Query message of raw bytes (the builder takes text, and these bytes are not UTF-8). */
function rawQuery(bytes: Buffer): Buffer {
  return frame(Frontend.query, Buffer.concat([bytes, Buffer.from([0])]));
}

const kinds = (messages: readonly { type: number }[]): string =>
  messages.map((m) => String.fromCharCode(m.type)).join('');
const errorOf = (messages: readonly { type: number; body: Buffer }[]) => {
  const error = messages.find((m) => m.type === Backend.errorResponse);
  return error === undefined ? undefined : readErrorFields(error.body);
};

describeEachDialect('red team: one person against the gateway', (ctx) => {
  const TABLE = `redteam_${process.pid}_${Date.now()}`;
  const provider = new RealRoleProvider([
    `grant select, insert, delete on ${TABLE} to \${role}`,
    // A role default the gateway must not inherit: it reads statements with standard strings.
    `alter role \${role} set standard_conforming_strings = off`,
  ]);
  let t: HttpTestApp;
  let gateway: RunningGateway;
  const logins = new Map<string, NonNullable<ActivationView['gateway']>>();
  const tokens = new Map<string, string>();
  const answers: string[] = [];

  async function call(identity: string, url: string) {
    const token = tokens.get(identity) ?? (await t.tokenFor(identity));
    tokens.set(identity, token);
    return t.call('GET', url, token);
  }

  beforeAll(async () => {
    await adminSql(`create table ${TABLE} (id int, email text)`, 'test');
    await adminSql(`insert into ${TABLE} values (1, '${EMAIL}'), (2, 'x@example.com')`, 'test');
    // Everything is allowed but deletes; emails are masked. Built-in refusals and masks hold whatever is allowed.
    const { options } = gatewayAppOptions({
      rules: [
        { name: 'no-deletes', when: gatewayCondition('statement.kind == "delete"'), deny: 'deletes need approval' },
      ],
      otherwise: 'allow',
      masks: [{ column: 'email', mask: 'hash' }],
    });
    t = await createHttpTestApp(ctx, { ...options, providers: everyType(provider) });
    gateway = await startGateway(t.app, pino({ level: 'silent' }), {
      listen: '127.0.0.1:0',
      journalDir: mkdtempSync(join(tmpdir(), 'gateway-journal-')),
    });
    // One grant each (a session per attack, several on one grant).
    for (const identity of ['gus', 'hana', 'ivan', 'judy', 'kim', 'liam']) {
      logins.set(identity, (await activeGatewayGrant(t.app, identity)).gateway!);
    }
  });
  afterAll(async () => {
    await gateway?.stop();
    await provider.dropRoles();
    await adminSql(`drop table if exists ${TABLE}`, 'test');
  });

  const connect = async (identity: string): Promise<RawClient> => {
    const login = logins.get(identity)!;
    return RawClient.connect(gateway.port, login.user, login.database, login.secret);
  };
  const ask = async (raw: RawClient, message: Buffer) => {
    raw.send(message);
    const answer = await raw.untilReady();
    answers.push(answer.map((m) => m.body.toString('utf8')).join('|'));
    return answer;
  };
  const statementsOf = (identity: string) =>
    ctx.database.db
      .selectFrom('gateway_statements')
      .innerJoin('gateway_sessions', 'gateway_sessions.id', 'gateway_statements.session_id')
      .select(['gateway_sessions.id as sessionId', 'seq', 'allowed', 'message', 'kinds', 'audit_seq'])
      .where('gateway_sessions.identity', '=', identity)
      .orderBy('seq')
      .execute();

  describe('statements the server would read otherwise than the gateway checked them', () => {
    const smuggledDelete = `select '\\'' ; select email || '' as leak from ${TABLE}; delete from ${TABLE}; --'`;

    it("the session does not take the role's standard_conforming_strings off", async () => {
      const raw = await connect('gus');
      try {
        const answer = await ask(raw, query('show standard_conforming_strings'));
        expect(answer.find((m) => m.type === Backend.dataRow)?.body.toString('utf8')).toContain('on');
        // Read with standard strings, the smuggling text is one string, as the gateway checked it.
        expect(kinds(await ask(raw, query(smuggledDelete)))).toBe('TDCZ');
        expect(await targetCount(TABLE)).toBe(2);
      } finally {
        raw.close();
      }
    });

    it.each([
      ['SET', 'set standard_conforming_strings = off'],
      ['SET LOCAL in a transaction', 'begin; set local standard_conforming_strings to off'],
      ['set_config', "select set_config('standard_conforming_strings', 'off', false)"],
      ['an UPDATE of pg_settings', "update pg_settings set setting = 'off' where name = 'standard_conforming_strings'"],
      [
        'a SQL function that sets it',
        "create function rt_f() returns int language sql set standard_conforming_strings = off as 'select 1'",
      ],
    ])(
      'turning standard_conforming_strings off (%s) is refused, and no DELETE rides in a string',
      async (_name, sql) => {
        const raw = await connect('hana');
        try {
          const set = await ask(raw, query(sql));
          await ask(raw, query('rollback'));
          await ask(raw, query(smuggledDelete));
          expect(errorOf(set)?.get('C')).toBe('42501');
          expect(errorOf(set)?.get('M')).toContain('gateway-settings');
          expect(await targetCount(TABLE)).toBe(2);
        } finally {
          raw.close();
        }
      },
    );

    it.each([
      ['SET', "set client_encoding to 'SJIS'"],
      ['SET NAMES', "set names 'SJIS'"],
      ['set_config', "select set_config('client_encoding', 'SJIS', false)"],
      ['an UPDATE of pg_settings', "update pg_settings set setting = 'SJIS' where name = 'client_encoding'"],
    ])('switching to SJIS (%s) with a DELETE pipelined behind it is refused', async (_name, sql) => {
      const raw = await connect('ivan');
      try {
        // 0x95 0x5C: a replacement character and a backslash to the gateway (UTF-8), one character in SJIS, so
        // the quote after it ends the string for the server and the DELETE runs.
        const sjis = Buffer.concat([
          Buffer.from(`select E'`),
          Buffer.from([0x95, 0x5c]),
          Buffer.from(`' ; delete from ${TABLE}; --'`),
        ]);
        raw.send(Buffer.concat([query(sql), rawQuery(sjis)]));
        const set = await raw.untilReady();
        expect(errorOf(set)?.get('M')).toContain('gateway-settings');
        await raw.untilReady().catch(() => []);
        expect(await targetCount(TABLE)).toBe(2);
      } finally {
        raw.close();
      }
    });

    it('no answer of any of these sessions held the masked address', () => {
      expect(answers.join('\n')).not.toContain(EMAIL);
    });
  });

  it('a message of ten thousand statements is recorded, and the statements after it too', async () => {
    const raw = await connect('judy');
    try {
      const answer = await ask(raw, query('select 1;'.repeat(10_000)));
      expect(answer.filter((m) => m.type === Backend.commandComplete)).toHaveLength(10_000);
      await ask(raw, query(`delete from ${TABLE} where false`));
      await ask(raw, query("select 'after'"));
    } finally {
      raw.close();
    }
    // Before, the first record's audit event was too large to append: the shipper failed on that batch for good.
    await expect
      .poll(async () => (await statementsOf('judy')).map((s) => s.seq), { timeout: 10_000 })
      .toEqual([1, 2, 3]);
    const [pill] = await statementsOf('judy');
    expect(JSON.parse(pill!.kinds)).toEqual(['select']);
    const event = await ctx.database.db
      .selectFrom('audit_events')
      .select('details')
      .where('seq', '=', pill!.audit_seq!)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(event.details)).toMatchObject({ statementCount: 10_000, kinds: ['select'] });
  });

  it("a message of 1,500 statements leaves its session's detail readable over the API", async () => {
    const raw = await connect('kim');
    try {
      await ask(raw, query('select 1;'.repeat(1500)));
    } finally {
      raw.close();
    }
    await expect.poll(async () => (await statementsOf('kim')).length, { timeout: 10_000 }).toBe(1);
    const [row] = await statementsOf('kim');
    const shown = await call('carol', `/v1/sessions/${row!.sessionId}`);
    expect(shown.statusCode).toBe(200);
    const detail = sessionDetailSchema.parse(shown.json<SessionDetailView>());
    expect(detail.statements[0]).toMatchObject({ kinds: ['select'], commands: ['SELECT'] });
  });

  it("a statement's text reaches no clear record through the parser's error message", async () => {
    const raw = await connect('liam');
    try {
      const answer = await ask(raw, query(`update ${TABLE} set email = '${CARD} where id = 7`));
      expect(errorOf(answer)?.get('M')).toContain('unparsable');
    } finally {
      raw.close();
    }
    await expect.poll(async () => (await statementsOf('liam')).length, { timeout: 10_000 }).toBe(1);
    const [row] = await statementsOf('liam');
    expect(row!.message).toContain('unterminated quoted string');
    expect(row!.message).not.toContain(CARD);
    // What an approver reads, and the clear part of the audit log (the text itself is sealed there).
    const shown = await call('carol', `/v1/sessions/${row!.sessionId}`);
    expect(shown.body).not.toContain(CARD);
    const events = await t.auditEvents();
    const event = events.find((e) => e.seq === row!.audit_seq);
    expect(event?.details['statementText']).toMatch(/^hmac-sha256:/);
    expect(JSON.stringify(event?.details)).not.toContain(CARD);
  });
});

/** Commits the revoke (and sends its hint) right after the session is opened, before the gateway registers it. */
class RevokedWhileOpening extends ProtocolBackend {
  override async openSession(login: Parameters<ProtocolBackend['openSession']>[0]) {
    const session = await super.openSession(login);
    this.revoke(login.grantId);
    await new Promise((resolve) => setTimeout(resolve, 150));
    return session;
  }
}

describe('red team: a revoke while the session opens', () => {
  it('the session is ended within a second, not at the next poll', async () => {
    const backend = new RevokedWhileOpening();
    backend.addLogin('bob', 'payments-db', 'gw-secret-revoked');
    const gateway = await startTestGateway(backend);
    try {
      const raw = await RawClient.connect(gateway.port, 'bob', 'payments-db', 'gw-secret-revoked');
      await expect.poll(() => backend.closed.map((c) => c.reason), { timeout: 1000 }).toEqual(['revoked']);
      expect(gateway.gateway.liveSessions).toBe(0);
      raw.close();
    } finally {
      await gateway.close();
    }
  });
});
