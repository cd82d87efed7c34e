/**
 * Issue #9, item 2 (`resource.observed`): a resource never observed has unknown state, not zero drift. The
 * example's staging profile auto-approves `run-sql` when `resource.drift.critical == 0`; on a database nobody has
 * ever observed that rule must not match (fail closed), and the decision log must say why.
 */
import { beforeEach, expect, it } from 'vitest';
import { recordObservation } from '../../src/features/resources/resources.verbs.js';
import { createRequest, type CreateRequestInput } from '../../src/features/requests/requests.verbs.js';
import { describeEachDialect } from '../store/dialects.js';
import { createTestApp, type TestApp } from '../app/harness.js';
import { as, eventsOf } from '../app/requests-fixtures.js';

const STAGING_SQL: CreateRequestInput = {
  resource: 'analytics-db',
  action: 'run-sql',
  duration: '10m',
  params: { sql: 'select count(*) from payouts' },
};

const CLEAN = {
  ssl: 'on',
  password_encryption: 'scram-sha-256',
  log_connections: 'on',
  log_statement: 'ddl',
  superusers: ['postgres'],
};

describeEachDialect('an unobserved resource is unknown, not clean', (ctx) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp(ctx);
  });

  it('an auto rule reading resource.drift does not approve a request on a never-observed resource', async () => {
    const request = await createRequest(as(t.app, 'alice')(STAGING_SQL));
    expect(request.status).toBe('pending');
    expect(request.matchedRule).not.toBe('healthy-staging');
    const [created] = eventsOf(await t.auditEvents(), 'request.create', `request:${request.id}`);
    const reasons = created?.details['reasons'] as { code: string; message: string }[];
    const unknown = reasons.find((r) => r.code === 'rule.state_unknown');
    expect(unknown?.message).toContain("'analytics-db', which has never been observed");

    // Once observed clean, the same rule applies as written.
    await recordObservation(as(t.app, 'peggy')({ resource: 'analytics-db', config: CLEAN }));
    const after = await createRequest(as(t.app, 'alice')(STAGING_SQL));
    expect(after).toMatchObject({ status: 'approved', matchedRule: 'healthy-staging' });
  });
});
