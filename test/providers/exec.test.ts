import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/core/errors.js';
import { ExecProvider } from '../../src/providers/exec/exec-provider.js';
import { NODE, PRINT_ARGS, RESOURCE, callOf, execAction, execProfile } from './exec-fixtures.js';

const provider = new ExecProvider();

async function argsReceived(template: readonly string[], value: unknown): Promise<unknown> {
  const profile = execProfile([execAction('run', { execute: { argv: template } }, { type: 'object' })]);
  const result = await provider.execute(callOf(profile, 'run', { value }));
  return JSON.parse(String(result.output.stdout));
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

const HOSTILE_VALUES = [
  '; rm -rf /',
  '$(id)',
  '`id`',
  'first line\nsecond line',
  'it\'s "quoted"',
  'a b  c',
  '*',
  '$HOME',
  '> /tmp/pwned',
  '| cat /etc/passwd',
  '{resource.name}',
  '{params.value}',
  'ünïcödé ✓',
  '',
];

describe('exec provider: parameters reach the program verbatim', () => {
  it.each(HOSTILE_VALUES)('the value %j arrives as exactly one argv element, byte for byte', async (value) => {
    expect(await argsReceived([NODE, '-e', PRINT_ARGS, 'args', 'before', '{params.value}', 'after'], value)).toEqual([
      'before',
      value,
      'after',
    ]);
  });

  it.each(HOSTILE_VALUES)('the value %j fills only its part of an element', async (value) => {
    expect(await argsReceived([NODE, '-e', PRINT_ARGS, 'args', '--name={params.value}.txt'], value)).toEqual([
      `--name=${value}.txt`,
    ]);
  });

  it('a shell given a hostile value as a positional argument prints it instead of running it', async () => {
    const template = ['/bin/sh', '-c', 'printf "[%s]" "$1"', 'sh', '{params.value}'];
    const profile = execProfile([execAction('run', { execute: { argv: template } })]);
    const result = await provider.execute(callOf(profile, 'run', { value: '$(id); echo pwned `id`' }));
    expect(result.output.stdout).toBe('[$(id); echo pwned `id`]');
  });

  it('/bin/echo prints a command substitution literally', async () => {
    const profile = execProfile([execAction('run', { execute: { argv: ['/bin/echo', '{params.value}'] } })]);
    const result = await provider.execute(callOf(profile, 'run', { value: '$(id)' }));
    expect(result.output.stdout).toBe('$(id)\n');
  });

  it('resource fields and the request id fill their placeholders; numbers and booleans print as text', async () => {
    const template = [
      NODE,
      '-e',
      PRINT_ARGS,
      'args',
      '{resource.name}',
      '{resource.attributes.host}:{resource.attributes.port}',
      '{request.id}',
      '{params.value}',
    ];
    expect(await argsReceived(template, true)).toEqual(['web-1', 'web-1.internal:22', 'req_test1', 'true']);
  });
});

describe('exec provider: option injection', () => {
  it.each(['--help', '-rf', '-n', '--output=/etc/passwd'])(
    'a value %j that would start an element with "-" is refused',
    async (value) => {
      const error = await refusal(argsReceived([NODE, '-e', PRINT_ARGS, 'args', '{params.value}'], value));
      expect(error.code).toBe('invalid');
      expect(error.message).toContain("may not start with '-'");
      expect(error.message).not.toContain(value);
    },
  );

  it('after a literal "--" element a value starting with "-" is passed as an operand', async () => {
    expect(await argsReceived([NODE, '-e', PRINT_ARGS, 'args', '--', '{params.value}'], '--help')).toEqual([
      '--',
      '--help',
    ]);
  });

  it('a template element that starts with "-" itself may carry any value', async () => {
    expect(await argsReceived([NODE, '-e', PRINT_ARGS, 'args', '--pattern={params.value}'], '-x')).toEqual([
      '--pattern=-x',
    ]);
  });
});

describe('exec provider: refusals before anything runs', () => {
  it.each([
    [
      'an unknown placeholder',
      [NODE, '-e', PRINT_ARGS, 'args', '{params.value}{env.HOME}'],
      'x',
      "unknown placeholder '{env.HOME}'",
    ],
    [
      'a placeholder not available when executing',
      [NODE, '{grant.expiresAt}'],
      'x',
      "'{grant.expiresAt}' is not available",
    ],
    ['a parameter that is not set', [NODE, '{params.other}'], 'x', "parameter 'other' is not set"],
    ['an attribute the resource lacks', [NODE, '{resource.attributes.zone}'], 'x', "has no attribute 'zone'"],
    [
      'an object value',
      [NODE, '-e', PRINT_ARGS, 'args', '{params.value}'],
      { a: 1 },
      'must be a string, number or boolean',
    ],
    ['a NUL byte', [NODE, '-e', PRINT_ARGS, 'args', '{params.value}'], 'a\0b', 'NUL byte'],
  ] as const)('%s is refused', async (_name, template, value, message) => {
    const error = await refusal(argsReceived(template, value));
    expect(error.code).toBe('invalid');
    expect(error.message).toContain(message);
  });

  it("parameters that fail the action's schema are refused", async () => {
    const schema = { type: 'object', properties: { value: { type: 'string', pattern: '^[a-z]+$' } } };
    const profile = execProfile([execAction('run', { execute: { argv: ['/bin/echo', '{params.value}'] } }, schema)]);
    const error = await refusal(provider.execute(callOf(profile, 'run', { value: 'no spaces allowed' })));
    expect(error.code).toBe('invalid');
    expect(error.message).toContain('params.value');
  });

  it('a program that does not exist fails as provider_failed', async () => {
    const profile = execProfile([execAction('run', { execute: { argv: ['/nonexistent/program'] } })]);
    const error = await refusal(provider.execute(callOf(profile, 'run')));
    expect(error.code).toBe('provider_failed');
    expect(error.message).toBe("could not start '/nonexistent/program': not found");
  });

  it('validateConfig names placeholders that are wrong for where they are used', () => {
    const profile = execProfile(
      [
        execAction('run', { execute: { argv: ['/bin/echo', '{grant.expiresAt}'], timeout: 'soon' } }),
        execAction('get', {
          grant: { argv: ['/bin/echo', '{params.value}'], revokeArgv: ['/bin/echo', '{secret.x}'] },
        }),
      ],
      { observeArgv: ['/bin/echo', '{params.value}'] },
    );
    expect(provider.validateConfig(RESOURCE, profile)).toEqual([
      "profile 'hosts' observeArgv[1]: placeholder '{params.value}' is not allowed here",
      "action 'run' execute.argv[1]: placeholder '{grant.expiresAt}' is not allowed here",
      "action 'run' timeout is not a duration",
      "action 'get' revokeArgv[1]: placeholder '{secret.x}' is not allowed here",
    ]);
  });
});
