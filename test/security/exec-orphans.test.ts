/**
 * Issue #10, finding 3: the `exec` provider made credentials that reconciliation could never see, so an orphan
 * (a grant whose revoke failed unseen, a crash before its grant was recorded) stayed on the target for good. With
 * a `list` command in the provider settings, `listManaged()` runs it and reconciliation removes what belongs to no
 * live grant. Real child processes keep a directory of "accounts" on the target.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { reconcileResource } from '../../src/features/grants/reconcile.verb.js';
import type { PolicySet, ResourceProfile } from '../../src/policy/model.js';
import { ExecProvider } from '../../src/providers/exec/exec-provider.js';
import { createTestApp } from '../app/harness.js';
import { ALL_EVENTS_NOTIFIER, JIT_RESOURCE, activeReadGrant, jitPolicy } from '../app/jit-fixtures.js';
import { NODE } from '../providers/exec-fixtures.js';
import { describeEachDialect } from '../store/dialects.js';

const HOUR = 3600_000;
const scratch = mkdtempSync(join(tmpdir(), 'countersign-exec-orphans-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A script in a file: argv templates read `{...}` as placeholders, so code never goes into argv. */
function script(name: string, code: string): string {
  const path = join(scratch, `${name}.cjs`);
  writeFileSync(path, code);
  return path;
}

/** Writes `<dir>/<request id>.json` holding the grant handle, as a real target would hold an account. */
const GRANT_SCRIPT = `
const [dir, requestId, expiresAt] = process.argv.slice(-3);
const handle = { action: 'read', requestId, expiresAt: Date.parse(expiresAt), params: {} };
require('node:fs').writeFileSync(require('node:path').join(dir, requestId + '.json'),
  JSON.stringify({ handle, createdAt: 0 }));`;
const REVOKE_SCRIPT = `
const [dir, requestId] = process.argv.slice(-2);
require('node:fs').rmSync(require('node:path').join(dir, requestId + '.json'), { force: true });`;
/** Prints one JSON object per line, one per account. */
const LIST_SCRIPT = `
const fs = require('node:fs'); const dir = process.argv[process.argv.length - 1];
for (const name of fs.readdirSync(dir)) process.stdout.write(fs.readFileSync(dir + '/' + name, 'utf8') + '\\n');`;

/** The walkthrough policy with its profile turned into an exec profile whose accounts live in `dir`. */
async function execPolicy(dir: string, listArgv: readonly string[] | undefined): Promise<PolicySet> {
  const policy = await jitPolicy([ALL_EVENTS_NOTIFIER]);
  const original = policy.profiles.get('postgres-local');
  if (original === undefined) throw new Error('the walkthrough policy has no postgres-local profile');
  const actions = new Map(
    [...original.actions].map(([name, action]) => [
      name,
      action.grant === undefined
        ? action
        : {
            ...action,
            grant: {
              argv: [NODE, script('grant', GRANT_SCRIPT), dir, '{request.id}', '{grant.expiresAt}'],
              revokeArgv: [NODE, script('revoke', REVOKE_SCRIPT), dir, '{request.id}'],
            },
          },
    ]),
  );
  const settings = listArgv === undefined ? {} : { list: { argv: listArgv } };
  const profile: ResourceProfile = { ...original, provider: { type: 'exec', settings }, actions };
  return { ...policy, profiles: new Map([...policy.profiles, ['postgres-local', profile]]) };
}

function plantOrphan(dir: string, requestId: string, createdAt: number): Record<string, unknown> {
  const handle = { action: 'read', requestId, expiresAt: createdAt + HOUR, params: {} };
  writeFileSync(join(dir, `${requestId}.json`), JSON.stringify({ handle, createdAt }));
  return handle;
}

let counter = 0;
async function setUp(ctx: Parameters<Parameters<typeof describeEachDialect>[1]>[0], list?: string) {
  counter += 1;
  const dir = join(scratch, `target-${counter}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  const listArgv =
    list === undefined ? undefined : [NODE, script(`list-${counter}`, list === 'lines' ? LIST_SCRIPT : list), dir];
  const policy = await execPolicy(dir, listArgv);
  const provider = new ExecProvider({ killGraceMs: 300 });
  const testApp = await createTestApp(ctx, { policy, providers: new Map([['exec', provider]]) });
  return { ...testApp, dir };
}

describeEachDialect('the exec provider lists what it made, so reconciliation removes orphans', (ctx) => {
  it('an orphan account the list command names is revoked by reconciliation, and a live grant account is kept', async () => {
    const { app, clock, dir, auditEvents } = await setUp(ctx, 'lines');
    const activation = await activeReadGrant(app);
    expect(readdirSync(dir)).toEqual([`${activation.request.id}.json`]);
    const orphan = plantOrphan(dir, 'req_orphan', clock.now() - HOUR);

    const result = await reconcileResource({ app, actor: 'system:observer', input: { resource: JIT_RESOURCE } });

    expect(result.removed).toEqual([orphan]);
    expect(result.failed).toEqual([]);
    expect(result.kept.map((k) => [k.handle.requestId, k.reason.code])).toEqual([
      [activation.request.id, 'reconcile.owned'],
    ]);
    expect(existsSync(join(dir, 'req_orphan.json'))).toBe(false);
    expect(existsSync(join(dir, `${activation.request.id}.json`))).toBe(true);
    const event = (await auditEvents()).find((e) => e.action === 'resource.reconcile');
    expect(event?.details).toMatchObject({ provider: 'exec', listed: 2, removedCount: 1, keptCount: 1 });
  });

  it('without a list command, reconciliation says the exec provider cannot list and touches nothing', async () => {
    const { app, clock, dir, auditEvents } = await setUp(ctx);
    plantOrphan(dir, 'req_orphan', clock.now() - HOUR);

    const result = await reconcileResource({ app, actor: 'system:observer', input: { resource: JIT_RESOURCE } });

    expect(result).toMatchObject({ removed: [], failed: [], kept: [] });
    expect(result.notListed).toBe(
      "the exec provider cannot list what it made on resource 'local-db': profile 'postgres-local' has no 'list' command",
    );
    expect(existsSync(join(dir, 'req_orphan.json'))).toBe(true);
    const event = (await auditEvents()).find((e) => e.action === 'resource.reconcile');
    expect(event?.details).toMatchObject({ listed: 0, notListed: result.notListed });
  });

  it('a list command that prints a JSON array is read the same way', async () => {
    const code = `
const fs = require('node:fs'); const dir = process.argv[process.argv.length - 1];
process.stdout.write(JSON.stringify(fs.readdirSync(dir).map((n) => JSON.parse(fs.readFileSync(dir + '/' + n, 'utf8')))));`;
    const { app, clock, dir } = await setUp(ctx, code);
    const orphan = plantOrphan(dir, 'req_orphan', clock.now() - HOUR);
    const result = await reconcileResource({ app, actor: 'system:observer', input: { resource: JIT_RESOURCE } });
    expect(result.removed).toEqual([orphan]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a list command that prints something other than credentials is refused as a provider failure and removes nothing', async () => {
    for (const code of [
      'process.stdout.write("not json\\n")',
      'process.stdout.write(JSON.stringify({ handle: { requestId: 1 } }) + "\\n")',
      'process.stdout.write(JSON.stringify({ handle: { action: "read", requestId: "r", expiresAt: 1, params: {} }, createdAt: "yesterday" }))',
      'process.stdout.write("x".repeat(200000))',
    ]) {
      const { app, clock, dir } = await setUp(ctx, code);
      plantOrphan(dir, 'req_orphan', clock.now() - HOUR);
      await expect(
        reconcileResource({ app, actor: 'system:observer', input: { resource: JIT_RESOURCE } }),
      ).rejects.toMatchObject({ code: 'provider_failed' });
      expect(existsSync(join(dir, 'req_orphan.json'))).toBe(true);
    }
  });
});
