/** What the scheduler hands every job: who it runs as, how much it takes at once, and where failures go. */
export interface JobOptions {
  readonly owner: string;
  readonly actor: string;
  readonly batchSize: number;
  readonly concurrency: number;
  readonly leaseMs: number;
  /** Called for an item that failed; the job goes on with the others. */
  readonly onError: (job: string, subject: string, error: unknown) => void;
}
