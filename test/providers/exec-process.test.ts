import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../src/core/errors.js';
import { ExecProvider } from '../../src/providers/exec/exec-provider.js';
import { EXPIRES_AT, NODE, RESOURCE, callOf, execAction, execProfile } from './exec-fixtures.js';

const provider = new ExecProvider({ killGraceMs: 300 });
const scratch = mkdtempSync(join(tmpdir(), 'countersign-exec-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

function runs(
  argv: readonly string[],
  settings: Record<string, unknown> = {},
  profileSettings: Record<string, unknown> = {},
) {
  const profile = execProfile([execAction('run', { execute: { argv, ...settings } })], profileSettings);
  return callOf(profile, 'run');
}

/** Whether the process runs: gone, or a zombie waiting for a parent that does not reap (as in containers). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return false;
  }
}

describe('exec provider: running programs', () => {
  it('returns stdout, stderr and a summary of a successful run', async () => {
    const result = await provider.execute(
      runs([NODE, '-e', 'process.stdout.write("out"); process.stderr.write("err")']),
    );
    expect(result.output).toEqual({ stdout: 'out', stderr: 'err' });
    expect(result.summary).toMatchObject({
      exitCode: 0,
      signal: null,
      timedOut: false,
      truncated: false,
      stdoutBytes: 3,
    });
    expect(typeof result.summary.durationMs).toBe('number');
  });

  it('a non-zero exit fails as provider_failed carrying the summary, not the output', async () => {
    const error = await failure(provider.execute(runs(['/bin/sh', '-c', 'echo secret-ish >&2; exit 3'])));
    expect(error.code).toBe('provider_failed');
    expect(error.message).toBe("action 'run' on resource 'web-1' exited with code 3");
    expect(error.details.summary).toMatchObject({ exitCode: 3, timedOut: false, stderrBytes: 11 });
    expect(JSON.stringify(error.details)).not.toContain('secret-ish');
  });

  it('a run past its timeout is stopped and reported as timed out', async () => {
    const error = await failure(provider.execute(runs(['/bin/sleep', '30'], { timeout: '1s' })));
    expect(error.message).toBe("action 'run' on resource 'web-1' timed out after 1s");
    expect(error.details.summary).toMatchObject({ timedOut: true, exitCode: null, signal: 'SIGTERM' });
  });

  it('a program that ignores SIGTERM is killed with SIGKILL after the grace period', async () => {
    const error = await failure(
      provider.execute(runs(['/bin/sh', '-c', 'trap "" TERM; while :; do sleep 0.05; done'], { timeout: '1s' })),
    );
    expect(error.details.summary).toMatchObject({ timedOut: true, signal: 'SIGKILL' });
  });

  it('on timeout the whole process group goes, including what the program started', async () => {
    const pidFile = join(scratch, 'grandchild.pid');
    const script = `sh -c 'trap "" TERM; echo $$ > ${pidFile}; while :; do sleep 0.05; done' & wait`;
    await failure(provider.execute(runs(['/bin/sh', '-c', script], { timeout: '1s' })));
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    expect(pid).toBeGreaterThan(0);
    // The group's SIGKILL is sent; the grandchild is gone as soon as the kernel has delivered it.
    await vi.waitFor(() => expect(alive(pid)).toBe(false), { timeout: 5_000, interval: 10 });
  });

  it('output beyond maxOutputBytes is cut, counted and reported as truncated', async () => {
    const result = await provider.execute(
      runs(
        [NODE, '-e', 'process.stdout.write("x".repeat(200000)); process.stderr.write("e")'],
        {},
        { maxOutputBytes: 1000 },
      ),
    );
    expect(String(result.output.stdout)).toHaveLength(1000);
    expect(result.output.stderr).toBe('e');
    expect(result.summary).toMatchObject({ truncated: true, stdoutBytes: 200000, exitCode: 0 });
  });

  it('the child sees PATH and the variables the deployment passes, nothing else', async () => {
    const withEnv = new ExecProvider({
      env: { PATH: '/usr/bin:/bin', COUNTERSIGN_AUDIT_KEY: 'do-not-leak', KUBECONFIG: '/etc/kube/config' },
      passEnv: ['KUBECONFIG', 'NOT_SET'],
    });
    const result = await withEnv.execute(runs([NODE, '-e', 'process.stdout.write(JSON.stringify(process.env))']));
    expect(JSON.parse(String(result.output.stdout))).toEqual({ PATH: '/usr/bin:/bin', KUBECONFIG: '/etc/kube/config' });
  });
});

describe('exec provider: grant, revoke and observe', () => {
  const marker = (name: string) => join(scratch, name);
  // Braces would read as placeholders, so the scripts are written without them.
  const write = 'require("fs").writeFileSync(process.argv[1], process.argv[2])';
  const remove = 'const f = process.argv[1]; require("fs").existsSync(f) && require("fs").unlinkSync(f)';
  const grantAction = execAction('login', {
    grant: {
      argv: [NODE, '-e', write, `${scratch}/{params.value}-{request.id}`, 'until {grant.expiresAt}'],
      revokeArgv: [NODE, '-e', remove, `${scratch}/{params.value}-{request.id}`],
    },
  });
  const profile = execProfile([grantAction, execAction('note', { grant: { argv: ['/bin/true'] } })], {
    observeArgv: [
      NODE,
      '-e',
      'process.stdout.write(JSON.stringify(Object.fromEntries([["host", process.argv[1]], ["ssl", "on"]])))',
      '{resource.attributes.host}',
    ],
  });

  it('grant runs grant.argv and returns a handle with what revoke needs', async () => {
    const granted = await provider.grant(callOf(profile, 'login', { value: 'alice' }));
    expect(granted).toEqual({
      handle: { action: 'login', requestId: 'req_test1', expiresAt: EXPIRES_AT, params: { value: 'alice' } },
      expiresAt: EXPIRES_AT,
    });
    expect(readFileSync(marker('alice-req_test1'), 'utf8')).toBe('until 2030-01-01T12:00:00.000Z');
  });

  it('revoke runs revokeArgv from the handle alone, and running it again succeeds', async () => {
    const granted = await provider.grant(callOf(profile, 'login', { value: 'bob' }));
    expect(existsSync(marker('bob-req_test1'))).toBe(true);
    await provider.revoke(granted.handle, RESOURCE, profile);
    expect(existsSync(marker('bob-req_test1'))).toBe(false);
    await expect(provider.revoke(granted.handle, RESOURCE, profile)).resolves.toBeUndefined();
  });

  it('the intended handle, known before the grant runs, is the handle the grant returns and revokes it', async () => {
    const call = callOf(profile, 'login', { value: 'carol' });
    const intended = provider.intendedHandle(call);
    expect((await provider.grant(call)).handle).toEqual(intended);
    expect(existsSync(marker('carol-req_test1'))).toBe(true);
    await provider.revoke(intended, RESOURCE, profile);
    expect(existsSync(marker('carol-req_test1'))).toBe(false);
  });

  it('revoke of an action without revokeArgv has nothing to run', async () => {
    const granted = await provider.grant(callOf(profile, 'note'));
    await expect(provider.revoke(granted.handle, RESOURCE, profile)).resolves.toBeUndefined();
  });

  it('revoke refuses a handle the provider did not issue', async () => {
    const error = await failure(provider.revoke({ anything: 1 }, RESOURCE, profile));
    expect(error.code).toBe('invalid');
  });

  it('observe runs observeArgv and parses stdout as a JSON object', async () => {
    expect(await provider.observe(RESOURCE, profile)).toEqual({ host: 'web-1.internal', ssl: 'on' });
  });

  it.each([
    ['a JSON array', 'process.stdout.write("[1,2]")', {}, 'did not print a JSON object'],
    ['text', 'process.stdout.write("ssl=on")', {}, 'did not print a JSON object'],
    [
      'too much output',
      'process.stdout.write("x".repeat(5000))',
      { maxOutputBytes: 100 },
      'printed more than 100 bytes',
    ],
  ])('observe that prints %s fails as provider_failed', async (_name, code, settings, message) => {
    const observing = execProfile([], { ...settings, observeArgv: [NODE, '-e', code] });
    const error = await failure(provider.observe(RESOURCE, observing));
    expect(error.code).toBe('provider_failed');
    expect(error.message).toContain(message);
  });
});
