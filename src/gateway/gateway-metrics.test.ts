import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { AppError } from '../core/errors.js';
import type { GatewayBackend, GatewaySession } from './backend.js';
import { createGatewayMetrics, withGatewayMetrics } from './gateway-metrics.js';

/** A backend whose sessions fail to record as `fail` says (the gateway then refuses the statement). */
function backendFailing(fail: () => unknown): GatewayBackend {
  const session = {
    sessionId: 's1',
    grantId: 'g1',
    expiresAt: Infinity,
    upstream: { host: '127.0.0.1', port: 5432, database: 'd', user: 'u', password: '', ssl: false },
    limits: {},
    check: () => ({ allowed: true, message: '' }),
    record() {
      throw fail();
    },
    outcome: () => undefined,
    close: () => undefined,
  } satisfies GatewaySession;
  return {
    gatewayId: 'gw',
    clock: { now: () => 0 },
    findLogin: async () => undefined,
    verifyPassword: async () => undefined,
    openSession: async () => session,
    endedGrants: async () => new Set(),
    onGrantsChanged: () => () => undefined,
  };
}

const META = { clientAddress: '127.0.0.1:1', tls: false, method: 'scram', channelBound: false } as const;
const LOGIN = { identity: 'i', resource: 'r', grantId: 'g1', expiresAt: Infinity } as never;

async function failuresAfter(error: unknown): Promise<string> {
  const registry = new Registry();
  const metrics = createGatewayMetrics(registry, {
    backlog: () => ({ records: 3, oldestAgeMs: 1500 }),
    parsing: () => ({ waiting: 2, parsing: 1 }),
  });
  const session = await withGatewayMetrics(
    backendFailing(() => error),
    metrics,
  ).openSession(LOGIN, META);
  expect(() => session.record(1, 'select 1', { allowed: true, message: '' }, undefined)).toThrow();
  session.close('client');
  session.close('client');
  return registry.metrics();
}

describe('gateway metrics around a backend', () => {
  it('a statement that could not be recorded is counted by why, and rethrown so the gateway refuses it', async () => {
    const backlog = new AppError('database_unavailable', 'waiting', { reason: 'recording_backlog' });
    expect(await failuresAfter(backlog)).toContain('countersign_gateway_record_failures_total{reason="backlog"} 1');
    const journal = new AppError('internal', 'the gateway journal cannot be written');
    expect(await failuresAfter(journal)).toContain('countersign_gateway_record_failures_total{reason="journal"} 1');
    expect(await failuresAfter(new Error('disk'))).toContain(
      'countersign_gateway_record_failures_total{reason="other"} 1',
    );
  });

  it('a session closed twice is counted once, and the scraped gauges read their sources', async () => {
    const text = await failuresAfter(new Error('x'));
    expect(text).toContain('countersign_gateway_sessions_ended_total{reason="client"} 1');
    expect(text).toContain('countersign_gateway_sessions_open 0');
    expect(text).toContain('countersign_gateway_unshipped_records 3');
    expect(text).toContain('countersign_gateway_unshipped_oldest_age_seconds 1.5');
    expect(text).toContain('countersign_gateway_parse_queue{state="waiting"} 2');
  });
});
