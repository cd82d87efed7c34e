import { beforeAll, expect, it } from 'vitest';
import { listRequestable, previewRequest } from '../../../src/features/requests/index.js';
import type { RequestableResourceView } from '../../../src/features/requests/requestable.view.js';
import { describeEachDialect } from '../../store/dialects.js';
import { createTestApp, type TestApp } from '../../app/harness.js';
import { as, refusal } from '../../app/requests-fixtures.js';

describeEachDialect('what an identity may request', (ctx) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(ctx);
  });

  async function everything(actor: string, limit?: number): Promise<RequestableResourceView[]> {
    const all: RequestableResourceView[] = [];
    let cursor: string | undefined;
    do {
      const page = await listRequestable(
        as(t.app, actor)({ ...(limit !== undefined ? { limit } : {}), ...(cursor !== undefined ? { cursor } : {}) }),
      );
      all.push(...page.resources);
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    return all;
  }

  it('a payments engineer may ask for every action on the systems of their team, with each action’s form', async () => {
    const offered = await everything('alice');
    expect(offered.map((entry) => entry.resource.id)).toEqual([
      'analytics-db',
      'kyc-documents',
      'merchant-console',
      'payments-db',
      'prod-eu-cluster',
    ]);
    const payments = offered.find((entry) => entry.resource.id === 'payments-db');
    expect(payments?.resource).toEqual({ id: 'payments-db', profile: 'postgres-prod', classification: 'restricted' });
    expect(payments?.actions.map((action) => action.name)).toEqual(['read', 'write', 'run-sql', 'admin']);
    const runSql = payments?.actions.find((action) => action.name === 'run-sql');
    expect(runSql).toMatchObject({
      risk: 'high',
      maxDuration: '15m',
      maxDurationSeconds: 900,
      ticketPattern: '^CHG-[0-9]+$',
      request: true,
      breakGlass: false,
    });
    expect(runSql?.paramsSchema).toMatchObject({ type: 'object', required: ['sql'] });
    expect(payments?.actions.find((action) => action.name === 'read')?.paramsSchema).toBeUndefined();
  });

  it('on-call sees which actions break-glass covers for them', async () => {
    const payments = (await everything('judy')).find((entry) => entry.resource.id === 'payments-db');
    expect(payments?.actions.map((a) => [a.name, a.request, a.breakGlass])).toEqual([
      ['read', true, true],
      ['write', true, true],
      ['run-sql', true, false],
      ['admin', true, false],
    ]);
  });

  it('an approver or auditor with nothing to request gets nothing', async () => {
    expect(await everything('heidi')).toEqual([]);
    expect(await everything('olivia')).toEqual([]);
    expect(await everything('mallory')).toEqual([]);
  });

  it('pages by resource name, each resource once', async () => {
    const whole = await everything('alice');
    const paged = await everything('alice', 2);
    expect(paged).toEqual(whole);
    const first = await listRequestable(as(t.app, 'alice')({ limit: 2 }));
    expect(first.resources).toHaveLength(2);
    expect(first.nextCursor).toBeDefined();
    expect((await refusal(listRequestable(as(t.app, 'alice')({ cursor: 'bogus' })))).code).toBe('invalid');
  });

  it.each(['alice', 'carol', 'erin', 'judy', 'deploy-bot', 'backup-service', 'quinn', 'heidi'])(
    'offers %s an action to request exactly when creating it would not be refused as forbidden',
    async (actor) => {
      const offered = await everything(actor);
      const snapshot = t.runtime.loaded;
      for (const [resource, located] of snapshot.resources) {
        const profile = snapshot.profiles.get(located.profile);
        for (const action of profile?.actions.keys() ?? []) {
          const entry = offered.find((r) => r.resource.id === resource)?.actions.find((a) => a.name === action);
          const body = { resource, action, duration: '1m', justification: 'checking', ticket: 'CHG-1' };
          const previewed = await previewRequest(as(t.app, actor)(body));
          expect(previewed.code === 'forbidden', `${actor} ${resource} ${action}`).toBe(entry?.request !== true);
        }
      }
    },
  );
});
