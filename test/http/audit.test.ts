/** The audit log over HTTP: events paginated by seq, checkpoints, online verification; on both dialects. */
import { beforeAll, expect, it } from 'vitest';
import { disableIdentity } from '../../src/features/access/identities.verbs.js';
import { describeEachDialect } from '../store/dialects.js';
import { createHttpTestApp, type HttpTestApp } from './http-fixtures.js';

interface EventPage {
  events: {
    seq: number;
    action: string;
    actor: string;
    subject: string;
    details: Record<string, unknown>;
    hash: string;
    prevHash: string;
  }[];
  next: number | null;
}

describeEachDialect('the audit log over HTTP', (ctx) => {
  let t: HttpTestApp;
  let olivia: string;
  beforeAll(async () => {
    t = await createHttpTestApp(ctx);
    olivia = await t.tokenFor('olivia');
    await disableIdentity({ app: t.app, actor: 'peggy', input: { identity: 'quinn' } });
  });

  it('an auditor reads events in seq order a page at a time, each chained to the one before', async () => {
    const first = await t.call('GET', '/v1/audit/events?limit=2', olivia);
    expect(first.statusCode).toBe(200);
    const page = first.json<EventPage>();
    expect(page.events.map((e) => e.seq)).toEqual([1, 2]);
    expect(page.next).toBe(2);
    expect(page.events[1]?.prevHash).toBe(page.events[0]?.hash);
    const second = (await t.call('GET', `/v1/audit/events?after=${page.next}&limit=2`, olivia)).json<EventPage>();
    expect(second.events[0]?.seq).toBe(3);
    expect(second.events[0]?.prevHash).toBe(page.events[1]?.hash);
  });

  it('filters by action, actor and subject', async () => {
    const response = await t.call(
      'GET',
      '/v1/audit/events?action=identity.disable&actor=peggy&subject=identity:quinn',
      olivia,
    );
    const { events, next } = response.json<EventPage>();
    expect(events).toEqual([
      expect.objectContaining({
        action: 'identity.disable',
        actor: 'peggy',
        subject: 'identity:quinn',
        details: expect.objectContaining({ identity: 'quinn' }),
      }),
    ]);
    expect(next).toBeNull();
  });

  it('only audit holders read the log: administrators may not', async () => {
    const response = await t.call('GET', '/v1/audit/events', await t.tokenFor('peggy'));
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ code: 'forbidden', details: { duty: 'audit' } });
    expect((await t.call('GET', '/v1/audit/events?limit=1001', olivia)).statusCode).toBe(400);
    expect((await t.call('GET', '/v1/audit/events?after=-1', olivia)).statusCode).toBe(400);
  });

  it('verifies the stored log online and lists its checkpoints', async () => {
    const head = (
      await ctx.database.db
        .selectFrom('audit_events')
        .select((eb) => eb.fn.max('seq').as('seq'))
        .executeTakeFirst()
    )?.seq;
    const verified = await t.call('GET', '/v1/audit/verify', olivia);
    expect(verified.statusCode).toBe(200);
    expect(verified.json()).toMatchObject({ ok: true, signaturesChecked: false });
    expect(verified.json<{ eventsVerified: number }>().eventsVerified).toBeGreaterThanOrEqual(Number(head));
    expect((await t.call('GET', '/v1/audit/checkpoints', olivia)).json()).toEqual({ checkpoints: [] });
  });

  it('lists checkpoints by ascending size, after a given size', async () => {
    const row = { head: 'a'.repeat(64), root: 'b'.repeat(64), time: t.clock.now(), key_id: 'k1', signature: 'c2ln' };
    await ctx.database.db
      .insertInto('audit_checkpoints')
      .values([
        { size: 1, ...row },
        { size: 2, ...row },
      ])
      .execute();
    const all = await t.call('GET', '/v1/audit/checkpoints', olivia);
    expect(all.json<{ checkpoints: { size: number }[] }>().checkpoints.map((c) => c.size)).toEqual([1, 2]);
    const later = await t.call('GET', '/v1/audit/checkpoints?after=1', olivia);
    expect(later.json()).toEqual({
      checkpoints: [
        {
          size: 2,
          head: row.head,
          root: row.root,
          time: new Date(row.time).toISOString(),
          keyId: 'k1',
          signature: 'c2ln',
        },
      ],
    });
  });
});
