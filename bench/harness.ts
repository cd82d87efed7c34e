/**
 * Shared shape of benchmark results. Each `bench/*.bench.ts` exports `run(): Promise<BenchResult[]>`; `run.ts`
 * runs them all and prints the README table. Targets are compared here, never in timed tests.
 */
export interface BenchResult {
  /** What was measured, as it reads in the README table. */
  readonly name: string;
  /** The measured figure, formatted for people (`412,000 ops/s, p50 1.9 µs, p99 4.1 µs`). */
  readonly result: string;
  /** The SPEC target, as text (`p99 ≤ 20 µs; ≥ 10× Cedar`). */
  readonly target: string;
  /** Whether the target was met in this run. */
  readonly met: boolean;
  /** Reference measured in the same run, and the ratio, when the SPEC names one. */
  readonly reference?: string;
}

/** Median and percentiles of a list of samples (any unit). Sorts a copy. */
export function percentiles(samples: readonly number[]): { p50: number; p99: number; max: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] ?? 0 };
}

export function median(samples: readonly number[]): number {
  return percentiles(samples).p50;
}

export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}
