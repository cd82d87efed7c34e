/**
 * Session records as evidence of `use` (issue 14, SPEC §6): an access review's item about a gateway grant says how
 * it was used (sessions, statements, refusals, last use), and an evidence bundle carries the period's gateway
 * sessions in its own section, mapped to the controls on the use of privileged access.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { AppContext } from '../../../src/app/context.js';
import { createCampaign } from '../../../src/features/certifications/index.js';
import { exportEvidence } from '../../../src/features/evidence/index.js';
import { verifyEvidenceBundle } from '../../../src/features/evidence/evidence-verify.js';
import {
  findGatewayLogin,
  openGatewaySession,
  startSessionRecorder,
  type GatewayLogin,
} from '../../../src/features/sessions/index.js';
import { describeEachDialect } from '../../store/dialects.js';
import { TEST_START } from '../../app/harness.js';
import { as } from '../../app/requests-fixtures.js';
import { activeGatewayGrant, createGatewayApp } from './gateway-fixtures.js';

const HOUR = 3_600_000;

async function usedGrant(app: AppContext, identity: string): Promise<{ requestId: string; sessionId: string }> {
  const activated = await activeGatewayGrant(app, identity);
  const login = (await findGatewayLogin(app, { user: identity, database: 'payments-db' })) as GatewayLogin;
  const { sessionId } = await openGatewaySession(app, login, {
    gatewayId: 'gw-evidence',
    clientAddress: '127.0.0.1:9',
    tls: true,
    method: 'scram',
    channelBound: true,
  });
  const recorder = await startSessionRecorder(app, {
    gatewayId: 'gw-evidence',
    journalDir: join(mkdtempSync(join(tmpdir(), 'countersign-evidence-')), 'journal'),
  });
  for (const [seq, allowed] of [
    [1, true],
    [2, false],
    [3, true],
  ] as const) {
    recorder.statement(sessionId, {
      seq,
      sql: `select ${seq}`,
      facts: [{ kind: 'select', command: 'SELECT', tables: [], fingerprint: `f${seq}` }],
      decision: { allowed, builtIn: false, message: allowed ? 'allowed' : 'refused' },
      at: app.clock.now(),
    });
  }
  recorder.close(sessionId, { reason: 'client', at: app.clock.now() });
  await recorder.stop();
  return { requestId: activated.request.id, sessionId };
}

describeEachDialect('gateway sessions as evidence of use', (ctx) => {
  it('an access review item about a used gateway grant says how it was used', async () => {
    const { app } = await createGatewayApp(ctx);
    const { requestId } = await usedGrant(app, 'gus');
    const campaign = await createCampaign(
      as(
        app,
        'pat',
      )({
        name: 'gateway use',
        kinds: ['grant'],
        period: { from: TEST_START - HOUR, to: TEST_START + 24 * HOUR },
        deadline: app.clock.now() + 7 * 24 * HOUR,
        onMissed: 'escalate',
      }),
    );
    const item = campaign.items.find((i) => i.requestId === requestId);
    expect(item?.summary).toMatchObject({
      gatewaySessions: 1,
      gatewayStatements: 3,
      gatewayRefused: 1,
      lastUsedAt: new Date(app.clock.now()).toISOString(),
    });
  });

  it('an evidence bundle carries the gateway sessions of its period, and verifies', async () => {
    const { app: plain } = await createGatewayApp(ctx);
    const keys = generateKeyPairSync('ed25519');
    const app: AppContext = { ...plain, auditSigningKey: keys.privateKey };
    const { sessionId } = await usedGrant(app, 'hana');
    const bundle = await exportEvidence(
      as(
        app,
        'carol',
      )({ from: new Date(TEST_START - HOUR).toISOString(), to: new Date(TEST_START + HOUR).toISOString() }),
    );
    expect(bundle.sections.gatewaySessions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          id: sessionId,
          identity: 'hana',
          tls: true,
          channelBound: true,
          statements: 3,
          refused: 1,
          endReason: 'client',
        }),
      ]),
    );
    expect(bundle.sections.controls.some((c) => c.sections.includes('gatewaySessions'))).toBe(true);
    expect(verifyEvidenceBundle(bundle, keys.publicKey).ok).toBe(true);
  });
});
