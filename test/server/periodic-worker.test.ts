/**
 * The one loop of every background job (`server/periodic-worker.ts`), driven by manual timers: a wait passes
 * only when the test fires it, and a run ends only when the test settles it, so nothing here waits on the clock.
 */
import { describe, expect, it } from 'vitest';
import { PeriodicWorker, type PeriodicWorkerOptions } from '../../src/server/periodic-worker.js';
import { ManualTimers } from './manual-timers.js';

/** A job whose runs the test ends one by one; it records how many started and how many were going at once. */
class ControlledJob {
  started = 0;
  concurrent = 0;
  maxConcurrent = 0;
  readonly #ends: { resolve: (value: number) => void; reject: (error: Error) => void }[] = [];

  readonly run = (): Promise<number> => {
    this.started += 1;
    this.concurrent += 1;
    this.maxConcurrent = Math.max(this.maxConcurrent, this.concurrent);
    const run = this.started;
    return new Promise<number>((resolve, reject) => this.#ends.push({ resolve: () => resolve(run), reject })).finally(
      () => (this.concurrent -= 1),
    );
  };

  /** Ends the oldest run still going, successfully or with `error`. */
  async end(error?: Error): Promise<void> {
    const end = this.#ends.shift();
    if (end === undefined) throw new Error('no run is in progress');
    if (error) end.reject(error);
    else end.resolve(0);
    await settle();
  }
}

/** Lets every promise callback queued so far run (no wall-clock wait). */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i += 1) await new Promise<void>((resolve) => setImmediate(resolve));
}

function setUp(options: Partial<PeriodicWorkerOptions<number>> = {}) {
  const timers = new ManualTimers();
  const job = new ControlledJob();
  const logged: string[] = [];
  const worker = new PeriodicWorker<number>({
    name: 'the test job',
    run: job.run,
    intervalMs: 1000,
    timers,
    logger: { error: (fields, message) => logged.push(`${message} ${JSON.stringify(fields)}`) },
    ...options,
  });
  return { worker, timers, job, logged };
}

describe('a periodic worker', () => {
  it('runs the job at once on start, resolves with that run, then runs it again an interval after it ended', async () => {
    const { worker, timers, job } = setUp();
    const first = worker.start();
    expect(job.started).toBe(1);
    expect(timers.pending()).toEqual([]);
    await job.end();
    expect(await first).toBe(1);
    expect(timers.pending().map((wait) => wait.ms)).toEqual([1000]);

    timers.fire();
    expect(job.started).toBe(2);
    await job.end();
    expect(timers.pending().map((wait) => wait.ms)).toEqual([1000]);
    await stopWhileWaiting(worker, timers);
  });

  it('never starts a run beside one in progress: wake-ups during a run become one run right after it', async () => {
    const { worker, timers, job } = setUp();
    void worker.start();
    worker.wake();
    worker.wake();
    worker.wake();
    expect(job.started).toBe(1);

    await job.end();
    expect(timers.pending().map((wait) => wait.ms)).toEqual([0]);
    timers.fire();
    expect(job.started).toBe(2);
    await job.end();
    expect(timers.pending().map((wait) => wait.ms)).toEqual([1000]);
    expect(job.maxConcurrent).toBe(1);
    await stopWhileWaiting(worker, timers);
  });

  it('a wake-up between runs runs the job at once instead of at the end of the wait', async () => {
    const { worker, timers, job } = setUp();
    void worker.start();
    await job.end();
    const [wait] = timers.pending();

    worker.wake();
    expect(wait?.state).toBe('cancelled');
    expect(job.started).toBe(2);
    await job.end();
    await stopWhileWaiting(worker, timers);
  });

  it('a run that throws is logged and the loop goes on with the next run', async () => {
    const { worker, timers, job, logged } = setUp();
    const first = worker.start();
    await job.end(new Error('the store is down'));
    expect(await first).toBeUndefined();
    expect(logged).toEqual([
      'the test job failed; it runs again later {"worker":"the test job","error":"the store is down"}',
    ]);

    timers.fire();
    expect(job.started).toBe(2);
    await job.end();
    expect(timers.pending()).toHaveLength(1);
    await stopWhileWaiting(worker, timers);
  });

  it('runs sooner than the interval when asked after a run, never later, and waits the interval when the answer is no number or asking fails', async () => {
    const answers: (number | Error)[] = [30, 60_000, Number.NaN, new Error('cannot read grants')];
    const { worker, timers, job, logged } = setUp({
      nextDelayMs: async () => {
        const answer = answers.shift();
        if (answer instanceof Error || answer === undefined) throw answer ?? new Error('no answer left');
        return answer;
      },
    });
    void worker.start();
    await job.end();
    expect(timers.pending().map((wait) => wait.ms)).toEqual([30]);
    timers.fire();
    await job.end();
    expect(timers.pending().map((wait) => wait.ms)).toEqual([1000]);
    timers.fire();
    await job.end();
    expect(timers.pending().map((wait) => wait.ms)).toEqual([1000]);
    timers.fire();
    await job.end();
    expect(timers.pending().map((wait) => wait.ms)).toEqual([1000]);
    expect(logged).toEqual([
      'the test job could not tell when to run next; it waits its interval {"worker":"the test job","error":"cannot read grants"}',
    ]);
    await stopWhileWaiting(worker, timers);
  });

  it('stop waits for the run in progress, then gives the lease back, and no run starts afterwards', async () => {
    const events: string[] = [];
    const { worker, timers, job } = setUp({ lease: { release: async () => void events.push('lease released') } });
    void worker.start();
    const stopped = worker.stop().then(() => events.push('stopped'));
    await settle();
    expect(events).toEqual([]);

    await job.end();
    await stopped;
    expect(events).toEqual(['lease released', 'stopped']);
    expect(timers.pending()).toEqual([]);
    worker.wake();
    expect(job.started).toBe(1);
    await expect(worker.start()).rejects.toThrow('the test job has been stopped');
  });

  it('stop during the wait cancels it and gives the lease back', async () => {
    let released = 0;
    const { worker, timers, job } = setUp({ lease: { release: async () => void (released += 1) } });
    void worker.start();
    await job.end();
    const [wait] = timers.pending();

    await worker.stop();
    await worker.stop();
    expect(wait?.state).toBe('cancelled');
    expect(released).toBe(1);
    expect(job.started).toBe(1);
  });

  it('a lease that cannot be given back is logged, and stop still resolves', async () => {
    const { worker, job, logged } = setUp({
      lease: {
        release: async () => {
          throw new Error('the store is down');
        },
      },
    });
    void worker.start();
    await job.end();
    await worker.stop();
    expect(logged).toEqual([
      'the test job could not give its lease back {"worker":"the test job","error":"the store is down"}',
    ]);
  });

  it('a worker already running cannot be started again', async () => {
    const { worker, timers, job } = setUp();
    void worker.start();
    await expect(worker.start()).rejects.toThrow('the test job is already running');
    await job.end();
    expect(job.started).toBe(1);
    await stopWhileWaiting(worker, timers);
  });
});

async function stopWhileWaiting(worker: PeriodicWorker<number>, timers: ManualTimers): Promise<void> {
  await worker.stop();
  expect(timers.pending()).toEqual([]);
}
