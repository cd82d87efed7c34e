import { describe, expect, it } from 'vitest';
import { parseLivenessDuration, resolveGatewayLiveness } from './gateway-liveness.js';

describe('the timings that decide when a gateway is dead', () => {
  it('default to a 5 s heartbeat, a 15 s lease and a 30 s grace', () => {
    expect(resolveGatewayLiveness({})).toEqual({
      liveness: { heartbeatMs: 5_000, leaseMs: 15_000, graceMs: 30_000 },
      problems: [],
    });
  });

  it.each([
    ['a longer heartbeat makes the default lease three of them', { heartbeatMs: 20_000 }, [20_000, 60_000, 60_000]],
    ['a lease longer than 30 s raises the default grace to it', { leaseMs: 45_000 }, [5_000, 45_000, 45_000]],
    ['a short lease keeps the 30 s grace', { heartbeatMs: 1_000, leaseMs: 2_000 }, [1_000, 2_000, 30_000]],
    [
      'a short grace is taken when it is at least the lease',
      { leaseMs: 10_000, graceMs: 10_000 },
      [5_000, 10_000, 10_000],
    ],
  ])('%s', (_title, input, [heartbeatMs, leaseMs, graceMs]) => {
    expect(resolveGatewayLiveness(input)).toEqual({ liveness: { heartbeatMs, leaseMs, graceMs }, problems: [] });
  });

  it.each([
    [
      'a lease shorter than two heartbeats',
      { heartbeatMs: 10_000, leaseMs: 15_000 },
      /lease \(15s\) must be at least twice the heartbeat \(10s\)/,
    ],
    ['a lease as long as the heartbeat', { heartbeatMs: 5_000, leaseMs: 5_000 }, /at least twice/],
    ['a heartbeat raised past half the lease given', { heartbeatMs: 8_000, leaseMs: 15_000 }, /at least twice/],
    [
      'a grace shorter than the lease',
      { leaseMs: 60_000, graceMs: 30_000 },
      /the grace \(30s\) must be at least the lease \(1m\)/,
    ],
    [
      'a grace shorter than the default lease',
      { graceMs: 10_000 },
      /the grace \(10s\) must be at least the lease \(15s\)/,
    ],
    ['a heartbeat of zero', { heartbeatMs: 0 }, /must be positive/],
  ])('refuse %s', (_title, input, message) => {
    const { problems } = resolveGatewayLiveness(input);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });

  it('list every broken rule at once, named as the command names them', () => {
    const { problems } = resolveGatewayLiveness(
      { heartbeatMs: 10_000, leaseMs: 12_000, graceMs: 11_000 },
      { heartbeat: '--heartbeat', lease: '--lease', grace: '--grace' },
    );
    expect(problems).toEqual([
      expect.stringMatching(/^--lease \(12s\) must be at least twice --heartbeat \(10s\)/),
      '--grace (11s) must be at least --lease (12s)',
    ]);
  });

  it('read durations in the CLI form, within bounds', () => {
    expect(parseLivenessDuration('heartbeat', '2s')).toEqual({ ms: 2_000 });
    expect(parseLivenessDuration('lease', ' 1m30s ')).toEqual({ ms: 90_000 });
    expect(parseLivenessDuration('grace', '1d')).toEqual({ ms: 86_400_000 });
    expect(parseLivenessDuration('heartbeat', '500ms')).toEqual({
      problem: "'500ms' is not a duration from 1s to 10m (e.g. 5s, 1m30s)",
    });
    expect(parseLivenessDuration('lease', '1s')).toMatchObject({ problem: expect.stringContaining('from 2s to 1h') });
    expect(parseLivenessDuration('heartbeat', '11m')).toMatchObject({ problem: expect.any(String) });
    expect(parseLivenessDuration('grace', '5')).toMatchObject({ problem: expect.any(String) });
  });
});
