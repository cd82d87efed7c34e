/**
 * Issue #9 (low): CEL evaluation had no cost limit. A policy author (or a change set an approver skims) writes
 * conditions whose evaluation a requester can make take billions of steps or exponential regex time, in every
 * request handler that evaluates the profile. `policy validate` must refuse them with `file:line: message`.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';

const DIR = 'test/fixtures/broken-policies/cel-too-costly';

describe('CEL conditions too costly to evaluate', () => {
  it('policy validate refuses conditions and ticket patterns a requester can make run for billions of steps or exponential regex time', async () => {
    const run = await runCli(['policy', 'validate', DIR]);
    expect(run.code).toBe(1);
    const problems = run.stderr.split('\n').filter((line) => line.startsWith(`${DIR}/policy.yaml:`));
    expect(problems).toEqual([
      expect.stringMatching(/^[^:]+:15:\d+: .*ticketPattern: .*repeats a group that itself repeats/),
      expect.stringMatching(/^[^:]+:23:\d+: .*evaluation steps in the worst case/),
      expect.stringMatching(/^[^:]+:26:\d+: .*pattern of matches\(\) must be a string literal/),
      expect.stringMatching(/^[^:]+:29:\d+: .*repeats a group that itself repeats/),
    ]);
    expect(run.stderr).toContain('4 problems found');
  });
});
