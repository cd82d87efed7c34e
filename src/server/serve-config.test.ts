import { describe, expect, it } from 'vitest';
import { parseServeConfig } from './serve-config.js';

describe('the connection allow-list of serve', () => {
  it('is empty unless the operator names connections', () => {
    expect(parseServeConfig({}, {}).allowConnection.size).toBe(0);
  });

  it('maps each name to the environment variable or file the provider reads, flags winning over the environment', () => {
    const config = parseServeConfig(
      { allowConnection: 'payments-primary=env:PAYMENTS_DB_DSN,reports=file:/etc/countersign/reports.dsn' },
      { COUNTERSIGN_ALLOW_CONNECTIONS: 'ignored=env:IGNORED' },
    );
    expect([...config.allowConnection]).toEqual([
      ['payments-primary', { dsnEnv: 'PAYMENTS_DB_DSN' }],
      ['reports', { dsnFile: '/etc/countersign/reports.dsn' }],
    ]);
    expect(parseServeConfig({}, { COUNTERSIGN_ALLOW_CONNECTIONS: 'a=env:A' }).allowConnection.get('a')).toEqual({
      dsnEnv: 'A',
    });
  });

  it.each([
    ['an entry without a kind', 'payments=PAYMENTS_DB_DSN', "'payments=PAYMENTS_DB_DSN' is not NAME=env:VARIABLE"],
    ['a relative file', 'reports=file:reports.dsn', "the file of connection 'reports' must be an absolute path"],
    ['a bad variable name', 'x=env:NOT-A-VAR', "'NOT-A-VAR' is not an environment variable name"],
    ['a name listed twice', 'x=env:A,x=env:B', "connection 'x' is allow-listed twice"],
  ])('refuses %s', (_title, value, message) => {
    expect(() => parseServeConfig({ allowConnection: value }, {})).toThrow(message);
  });
});
