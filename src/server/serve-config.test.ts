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

describe('web-console sign-in settings of serve', () => {
  it('sessions last 30 minutes idle and 12 hours at most unless told otherwise', () => {
    const config = parseServeConfig({}, {});
    expect(config.sessionIdle).toBe(30 * 60_000);
    expect(config.sessionMax).toBe(12 * 3_600_000);
    expect(parseServeConfig({ sessionIdle: '15m', sessionMax: '8h' }, {})).toMatchObject({
      sessionIdle: 15 * 60_000,
      sessionMax: 8 * 3_600_000,
    });
  });

  it('refuses a session duration that is not a duration or is out of range', () => {
    expect(() => parseServeConfig({ sessionIdle: 'soon' }, {})).toThrow("'soon' is not a duration");
    expect(() => parseServeConfig({ sessionMax: '30d' }, {})).toThrow("'30d' is not a duration");
  });

  it('a client id alone gives the audience, and the client secret comes from the environment only', () => {
    const config = parseServeConfig(
      { oidcIssuer: 'https://login.example', oidcClientId: 'countersign', oidcClientSecret: 'from-a-flag' },
      { COUNTERSIGN_OIDC_CLIENT_SECRET: 'from-the-environment' },
    );
    expect(config.oidcAudience).toBe('countersign');
    expect(config.oidcClientSecret).toBe('from-the-environment');
    expect(parseServeConfig({ oidcIssuer: 'https://login.example', oidcClientId: 'c' }, {}).oidcClientSecret).toBe(
      undefined,
    );
  });

  it('trusts a reverse proxy only when told, by a flag or the environment', () => {
    expect(parseServeConfig({}, {}).trustProxy).toBeUndefined();
    expect(parseServeConfig({ trustProxy: 'true' }, {}).trustProxy).toBe(true);
    expect(parseServeConfig({}, { COUNTERSIGN_TRUST_PROXY: '10.0.0.1,10.0.0.2' }).trustProxy).toBe('10.0.0.1,10.0.0.2');
  });

  it('refuses a client secret given both in the environment and as a file', () => {
    expect(() =>
      parseServeConfig(
        { oidcIssuer: 'https://login.example', oidcClientId: 'c', oidcClientSecretFile: '/run/secret' },
        { COUNTERSIGN_OIDC_CLIENT_SECRET: 's' },
      ),
    ).toThrow('give the OIDC client secret once');
  });
});

describe('the gateway client authentication setting of serve', () => {
  it('is password unless the operator asks for scram, by the flag or the environment', () => {
    expect(parseServeConfig({}, {}).gatewayClientAuth).toBe('password');
    expect(parseServeConfig({ gatewayClientAuth: 'scram' }, {}).gatewayClientAuth).toBe('scram');
    expect(parseServeConfig({}, { COUNTERSIGN_GATEWAY_CLIENT_AUTH: 'scram' }).gatewayClientAuth).toBe('scram');
  });

  it('refuses another value, naming the flag and the variable', () => {
    expect(() => parseServeConfig({ gatewayClientAuth: 'md5' }, {})).toThrow(
      'gatewayClientAuth (--gateway-client-auth or COUNTERSIGN_GATEWAY_CLIENT_AUTH)',
    );
  });
});

describe('the gateway liveness settings of serve', () => {
  it('keep the 5 s heartbeat, 15 s lease and 30 s grace unless told otherwise', () => {
    expect(parseServeConfig({}, {})).toMatchObject({
      gatewayHeartbeat: 5_000,
      gatewayLease: 15_000,
      gatewayAbandonGrace: 30_000,
    });
  });

  it('take durations from flags over the environment', () => {
    const config = parseServeConfig(
      { gatewayLease: '20s' },
      {
        COUNTERSIGN_GATEWAY_HEARTBEAT: '2s',
        COUNTERSIGN_GATEWAY_LEASE: '1h',
        COUNTERSIGN_GATEWAY_ABANDON_GRACE: '20s',
      },
    );
    expect(config).toMatchObject({ gatewayHeartbeat: 2_000, gatewayLease: 20_000, gatewayAbandonGrace: 20_000 });
  });

  it('refuse a lease shorter than two heartbeats and a grace shorter than the lease, naming the flags', () => {
    expect(() => parseServeConfig({ gatewayHeartbeat: '10s', gatewayLease: '15s' }, {})).toThrow(
      '--gateway-lease (15s) must be at least twice --gateway-heartbeat (10s)',
    );
    expect(() => parseServeConfig({ gatewayLease: '1m' }, { COUNTERSIGN_GATEWAY_ABANDON_GRACE: '30s' })).toThrow(
      '--gateway-abandon-grace (30s) must be at least --gateway-lease (1m)',
    );
  });

  it('refuse a value that is not a duration within bounds', () => {
    expect(() => parseServeConfig({ gatewayHeartbeat: '5' }, {})).toThrow(
      "gatewayHeartbeat (--gateway-heartbeat or COUNTERSIGN_GATEWAY_HEARTBEAT): '5' is not a duration from 1s to 10m",
    );
    expect(() => parseServeConfig({ gatewayLease: '2h' }, {})).toThrow("'2h' is not a duration from 2s to 1h");
  });
});
