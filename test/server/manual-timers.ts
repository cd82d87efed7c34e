/** Timers for a `PeriodicWorker` that only move when a test fires them: no test waits on the wall clock. */
import type { WorkerTimers } from '../../src/server/periodic-worker.js';

export interface ManualWait {
  readonly ms: number;
  readonly callback: () => void;
  state: 'pending' | 'fired' | 'cancelled';
}

export class ManualTimers implements WorkerTimers {
  readonly waits: ManualWait[] = [];

  after(ms: number, callback: () => void): () => void {
    const wait: ManualWait = { ms, callback, state: 'pending' };
    this.waits.push(wait);
    return () => {
      if (wait.state === 'pending') wait.state = 'cancelled';
    };
  }

  pending(): ManualWait[] {
    return this.waits.filter((wait) => wait.state === 'pending');
  }

  /** Lets the one pending wait pass. */
  fire(): void {
    const pending = this.pending();
    const [wait] = pending;
    if (wait === undefined || pending.length > 1) throw new Error(`expected one pending wait, found ${pending.length}`);
    wait.state = 'fired';
    wait.callback();
  }
}
