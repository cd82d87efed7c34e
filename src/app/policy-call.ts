/**
 * One policy per HTTP call. The guard opens a `PolicyCall` for each authenticated call and runs the
 * authentication, its duty check and the route's handler inside it; the policy runtime (`policy-runtime.ts`)
 * keeps the first snapshot taken in the call and hands it again to every verb and read of the same call, so a
 * policy reload landing between the guard and the verb (another replica's change, picked up by the change
 * follower) cannot make the two decide under two different policies: the call is decided wholly before the
 * reload or wholly after it.
 *
 * A call ends when its response is sent. Work the call started that outlives it (a worker woken from a
 * handler, a timer) runs in the call's async context but sees an ended call, and so the policy in force.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const current = new AsyncLocalStorage<PolicyCall>();

export class PolicyCall {
  #ended = false;

  /** Runs `work` (and everything it awaits) as part of this call. */
  run<T>(work: () => T): T {
    return current.run(this, work);
  }

  /** Ends the call: from now on, whatever still runs in its context sees the policy in force. */
  end(): void {
    this.#ended = true;
  }

  get ended(): boolean {
    return this.#ended;
  }
}

/** The call in progress, if any and not yet ended (the scheduler, the CLI and tests outside HTTP have none). */
export function policyCallInProgress(): PolicyCall | undefined {
  const call = current.getStore();
  return call === undefined || call.ended ? undefined : call;
}
