/** The exec provider's `list` command: what its output may be, and how its settings are checked. */
import { describe, expect, it } from 'vitest';
import { providerSchema } from '../../src/policy/provider-shapes.js';
import { ExecProvider } from '../../src/providers/exec/exec-provider.js';
import { parseManagedList } from '../../src/providers/exec/managed-list.js';
import { NODE, RESOURCE, execProfile } from './exec-fixtures.js';

const HANDLE = { action: 'login', requestId: 'req_1', expiresAt: 5, params: { user: 'ana' } };
const LINE = JSON.stringify({ handle: HANDLE, createdAt: 1 });

describe('reading what a list command printed', () => {
  it.each([
    ['nothing', '', []],
    ['blank lines', '\n  \n', []],
    [
      'one object per line',
      `${LINE}\n${JSON.stringify({ handle: HANDLE })}\n`,
      [{ handle: HANDLE, createdAt: 1 }, { handle: HANDLE }],
    ],
    [
      'a JSON array',
      `[${LINE}, ${JSON.stringify({ handle: HANDLE, createdAt: 2, busyUntil: 9 })}]`,
      [
        { handle: HANDLE, createdAt: 1 },
        { handle: HANDLE, createdAt: 2, busyUntil: 9 },
      ],
    ],
  ] as const)('%s', (_name, stdout, credentials) => {
    expect(parseManagedList(stdout)).toEqual({ credentials });
  });

  it.each([
    ['text', 'hello', 'line 1 is not JSON'],
    ['a broken array', '[{"handle": 1}', 'it printed a malformed JSON array'],
    ['a string item', '"req_1"', 'item 1 is not a JSON object'],
    [
      'a bare handle',
      JSON.stringify(HANDLE),
      "item 1 has an unknown field 'action' (allowed: handle, createdAt, busyUntil)",
    ],
    [
      'a handle of another shape',
      JSON.stringify({ handle: { id: 'x' } }),
      "item 1 has no 'handle' of the shape grant returns (action, requestId, expiresAt, params)",
    ],
    [
      'a time as text',
      JSON.stringify({ handle: HANDLE, createdAt: '2026-01-01' }),
      "item 1 has a 'createdAt' that is not epoch milliseconds",
    ],
    [
      'a negative busyUntil',
      JSON.stringify({ handle: HANDLE, busyUntil: -1 }),
      "item 1 has a 'busyUntil' that is not epoch milliseconds",
    ],
    ['a bad second line', `${LINE}\nnope`, 'line 2 is not JSON'],
  ] as const)('refuses %s', (_name, stdout, problem) => {
    expect(parseManagedList(stdout)).toEqual({ problem });
  });
});

describe('the list setting', () => {
  const provider = new ExecProvider();

  it('is accepted by the policy schema with resource placeholders only', () => {
    expect(
      providerSchema.safeParse({ type: 'exec', list: { argv: ['/bin/ls', '{resource.name}'], timeout: '10s' } })
        .success,
    ).toBe(true);
    expect(providerSchema.safeParse({ type: 'exec', list: { argv: ['/bin/ls', '{request.id}'] } }).success).toBe(false);
    expect(providerSchema.safeParse({ type: 'exec', list: { argv: ['/bin/ls'], shell: true } }).success).toBe(false);
  });

  it('validateConfig names a wrong placeholder and a bad timeout', () => {
    const profile = execProfile([], { list: { argv: ['/bin/ls', '{params.value}'], timeout: 'soon' } });
    expect(provider.validateConfig(RESOURCE, profile)).toEqual([
      "profile 'hosts' list.argv[1]: placeholder '{params.value}' is not allowed here",
      "profile 'hosts' list.timeout is not a duration",
    ]);
  });

  it('listManaged fills the resource into the command and fails clearly when it exits non-zero', async () => {
    const listing = execProfile([], { list: { argv: [NODE, '-e', 'process.exit(4)', '--', '{resource.name}'] } });
    await expect(provider.listManaged(RESOURCE, listing)).rejects.toMatchObject({
      code: 'provider_failed',
      message: "list of resource 'web-1' exited with code 4",
    });
    expect(provider.cannotList(RESOURCE, listing)).toBeUndefined();
    expect(provider.cannotList(RESOURCE, execProfile([]))).toBe("profile 'hosts' has no 'list' command");
    expect(await provider.listManaged(RESOURCE, execProfile([]))).toEqual([]);
  });

  it('a list command that runs past its timeout is stopped and fails', async () => {
    const slow = execProfile([], { list: { argv: [NODE, '-e', 'setTimeout(() => 0, 60000)'], timeout: '1s' } });
    await expect(new ExecProvider({ killGraceMs: 200 }).listManaged(RESOURCE, slow)).rejects.toMatchObject({
      code: 'provider_failed',
      message: "list of resource 'web-1' timed out after 1s",
    });
  });
});
