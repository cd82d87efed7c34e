/**
 * Issue #9 items 2 and 5, "no single identity, ever": a non-human identity, its human owner and the human who
 * minted the token it acts with are one principal for every separation-of-duties check (SPEC §2.4). The owner of
 * `backup-service` does not approve its production write; a human who minted the token an NHI acts with does not
 * approve what the NHI asks for, nor may the NHI use a grant with a token minted by one of its approvers; tokens
 * for an NHI come from its owner only, and every act taken with a token names the token and its minter.
 */
import { beforeAll, expect, it } from 'vitest';
import { hashToken, generateToken } from '../../src/features/access/api-token.js';
import { createHttpTestApp, type HttpTestApp } from '../http/http-fixtures.js';
import { describeEachDialect } from '../store/dialects.js';

/** A write to the payments database: one independent DBA must approve (examples/policy). */
const PROD_WRITE = { resource: 'payments-db', action: 'write', duration: '1h', justification: 'backfill CHG-12' };

interface Problem {
  readonly code: string;
  readonly detail?: string;
  readonly reasons?: readonly { code: string; message: string }[];
}

function reasonCodes(body: Problem): string[] {
  return (body.reasons ?? []).map((r) => r.code);
}

describeEachDialect('an NHI, its owner and its token minter are one principal', (ctx) => {
  let t: HttpTestApp;

  beforeAll(async () => {
    t = await createHttpTestApp(ctx);
  });

  /** An API token for `identity` recorded as minted by `minter` (as the administer rule of old allowed). */
  async function legacyToken(identity: string, minter: string): Promise<{ token: string; id: string }> {
    const minted = generateToken();
    const id = `tok_legacy_${identity}_${minter}_${Math.random().toString(36).slice(2, 8)}`;
    const now = t.clock.now();
    await ctx.database.db
      .insertInto('api_tokens')
      .values({
        id,
        identity,
        hash: hashToken(minted.token),
        prefix: minted.prefix,
        description: 'minted before tokens for an NHI came from its owner only',
        expires_at: now + 3_600_000,
        created_at: now,
        created_by: minter,
        revoked_at: null,
        last_used_at: null,
        origin_at: null,
      })
      .execute();
    return { token: minted.token, id };
  }

  it("the owner of backup-service cannot approve backup-service's production write; another DBA can", async () => {
    const created = await t.call('POST', '/v1/requests', await t.tokenFor('backup-service'), PROD_WRITE);
    expect(created.statusCode).toBe(201);
    const request = created.json<{ id: string; status: string }>();
    expect(request.status).toBe('pending');

    const byOwner = await t.call('POST', `/v1/requests/${request.id}/approve`, await t.tokenFor('erin'), {});
    expect(byOwner.statusCode).toBe(403);
    const problem = byOwner.json<Problem>();
    expect(reasonCodes(problem)).toContain('sod.same_principal');
    expect(problem.detail).toContain("'erin' owns 'backup-service'");

    const byOther = await t.call('POST', `/v1/requests/${request.id}/approve`, await t.tokenFor('frank'), {});
    expect(byOther.statusCode).toBe(200);
    expect(byOther.json<{ status: string }>().status).toBe('approved');
  });

  it('a human who minted the token an NHI requested with cannot approve that request', async () => {
    // grace minted this token for backup-service, as an `administer` holder could before.
    const { token, id } = await legacyToken('backup-service', 'grace');
    const created = await t.call('POST', '/v1/requests', token, PROD_WRITE);
    expect(created.statusCode).toBe(201);
    const request = created.json<{ id: string }>();

    const byMinter = await t.call('POST', `/v1/requests/${request.id}/approve`, await t.tokenFor('grace'), {});
    expect(byMinter.statusCode).toBe(403);
    expect(byMinter.json<Problem>().detail).toContain("'grace' minted the token 'backup-service' acts with");

    // The act records the token and the human who minted it.
    const events = await t.auditEvents();
    const create = events.find((e) => e.action === 'request.create' && e.subject === `request:${request.id}`);
    expect(create?.details.via).toEqual({ tokenId: id, mintedBy: 'grace' });
  });

  it('an NHI cannot use a grant with a token minted by one of its approvers', async () => {
    const created = await t.call('POST', '/v1/requests', await t.tokenFor('backup-service'), PROD_WRITE);
    const request = created.json<{ id: string }>();
    const approved = await t.call('POST', `/v1/requests/${request.id}/approve`, await t.tokenFor('frank'), {});
    expect(approved.json<{ status: string }>().status).toBe('approved');

    const { token } = await legacyToken('backup-service', 'frank');
    const used = await t.call('POST', `/v1/requests/${request.id}/activate`, token, {});
    expect(used.statusCode).toBe(403);
    expect(reasonCodes(used.json<Problem>())).toContain('sod.same_principal');

    const usedOwnToken = await t.call(
      'POST',
      `/v1/requests/${request.id}/activate`,
      await t.tokenFor('backup-service'),
      {},
    );
    expect(usedOwnToken.statusCode).toBe(200);
  });

  it("an administer holder cannot mint a token for an NHI; the NHI's owner can, and the NHI itself cannot", async () => {
    const byAdmin = await t.call('POST', '/v1/tokens', await t.tokenFor('peggy'), { identity: 'backup-service' });
    expect(byAdmin.statusCode).toBe(403);
    expect(byAdmin.json<Problem>().detail).toContain("'erin'");

    const byItself = await t.call('POST', '/v1/tokens', await t.tokenFor('backup-service'), {
      identity: 'backup-service',
    });
    expect(byItself.statusCode).toBe(403);

    const byOwner = await t.call('POST', '/v1/tokens', await t.tokenFor('erin'), { identity: 'backup-service' });
    expect(byOwner.statusCode).toBe(201);
    const row = await ctx.database.db
      .selectFrom('api_tokens')
      .select(['created_by'])
      .where('id', '=', byOwner.json<{ id: string }>().id)
      .executeTakeFirstOrThrow();
    expect(row.created_by).toBe('erin');
  });
});
