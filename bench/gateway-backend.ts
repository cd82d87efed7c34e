/**
 * The gateway backend the benchmark runs: Countersign's per-statement work without its database — the real SQL
 * classifier (libpg-query), the real statement decision against a compiled profile rule (`select` allowed), and
 * the session recorder's own journal: each statement sealed under a gateway key and appended before it is
 * forwarded, each outcome after it was answered (shipping to the database happens later, in batches, off the statement's path,
 * and is left out). Upstream is a PostgreSQL database as `postgres` (trust on loopback).
 */
import { randomBytes } from 'node:crypto';
import { sealLine } from '../src/features/sessions/journal-seal.js';
import { SessionJournal } from '../src/features/sessions/session-journal.js';
import { decideStatements, type StatementContext } from '../src/decide/gateway-statement.decide.js';
import type { GatewayBackend, GatewayLoginFacts, GatewaySession, StatementCheck } from '../src/gateway/backend.js';
import { makeScramVerifier } from '../src/gateway/postgres/scram.js';
import { classifySql, loadSqlParser } from '../src/gateway/postgres/sql-classify.js';
import { compileExpression } from '../src/policy/cel.js';
import type { GatewayPolicy } from '../src/policy/model.js';

export const BENCH_SECRET = 'bench-gateway-secret';

function when(source: string) {
  const compiled = compileExpression(source, 'gateway');
  if (!compiled.ok) throw new Error(compiled.message);
  return compiled.expression;
}

const POLICY: GatewayPolicy = {
  rules: [{ name: 'reads', when: when('statement.kind == "select"'), allow: true }],
  otherwise: 'deny',
  masks: [],
};

const CONTEXT: Omit<StatementContext, 'now'> = {
  requester: { name: 'bench', kind: 'human', groups: [], attributes: {}, disabled: false },
  resource: { name: 'bench-db', profile: 'pg', labels: {}, connection: {}, attributes: {} },
  profile: { name: 'pg', classification: 'internal', environment: 'prod' },
};

export async function benchBackend(options: {
  upstreamPort: number;
  database: string;
  journalDir: string;
}): Promise<GatewayBackend & { close(): void }> {
  await loadSqlParser();
  const journal = SessionJournal.open(options.journalDir);
  const key = randomBytes(32);
  const login: GatewayLoginFacts = {
    identity: 'bench',
    resource: 'bench-db',
    grantId: 'grant-bench',
    expiresAt: Date.now() + 86_400_000,
    scram: makeScramVerifier(BENCH_SECRET),
  };
  let sessions = 0;
  return {
    gatewayId: 'bench',
    clock: { now: () => Date.now() },
    findLogin: async (who) => (who.user === 'bench' ? login : undefined),
    verifyPassword: async (_login, password) => (password === BENCH_SECRET ? 'secret' : undefined),
    async openSession(): Promise<GatewaySession> {
      const sessionId = `bench-${++sessions}`;
      return {
        sessionId,
        grantId: login.grantId,
        expiresAt: login.expiresAt,
        upstream: {
          host: '127.0.0.1',
          port: options.upstreamPort,
          database: options.database,
          user: 'postgres',
          password: '',
          ssl: false,
        },
        limits: {},
        check(sql: string): StatementCheck {
          const decision = decideStatements(POLICY, classifySql(sql), { ...CONTEXT, now: Date.now() });
          return { allowed: decision.allowed, message: decision.message };
        },
        record(seq, sql, check, params) {
          const decision = { allowed: check.allowed, builtIn: false, message: check.message };
          const line = { t: 's', id: sessionId, seq, at: Date.now(), sql, facts: [], decision } as const;
          const recorded =
            params === undefined ? {} : 'paramsOf' in params ? { paramsOf: params.paramsOf } : { params };
          journal.append(sealLine(key, { ...line, ...recorded }));
          return {};
        },
        outcome(seq, outcome) {
          journal.append({
            t: 'o',
            id: sessionId,
            seq,
            rows: outcome.rows,
            bytes: outcome.bytes,
            ms: outcome.durationMs,
          });
        },
        close: () => undefined,
      };
    },
    endedGrants: async () => new Set(),
    onGrantsChanged: () => () => undefined,
    close: () => journal.close(),
  };
}
