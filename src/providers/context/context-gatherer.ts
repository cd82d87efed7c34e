/**
 * Gathers what the context sources say for one decision, before it and outside any transaction: the sources the
 * decision's rules read are asked at once, each within its own timeout and all within one total budget; an
 * answer is cached for the source's `cacheTtl` (a failure is not cached, so the next decision asks again), and
 * concurrent decisions asking the same thing share one call. Whatever does not answer well in time is
 * `unknown` with the reason; nothing here throws for what a service does.
 */
import type { Clock } from '../../core/clock.js';
import type { ContextLookup, ContextSource, ContextValue, ContextValues } from '../../policy/context-sources.js';
import { planLookup, type LookupInput, type LookupOutcome } from './context-clients.js';

/** Longest all the sources of one decision may take together, whatever their own timeouts say. */
export const DEFAULT_CONTEXT_BUDGET_MS = 5000;
const MAX_CACHE_ENTRIES = 2000;

export interface ContextGathererOptions {
  readonly clock: Clock;
  /** Where `tokenEnv` and `userEnv` are read, at each call (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly budgetMs?: number;
}

interface CacheEntry {
  readonly value: ContextValue;
  readonly fetchedAt: number;
  readonly expiresAt: number;
}

export class ContextGatherer {
  readonly #clock: Clock;
  readonly #env: Readonly<Record<string, string | undefined>>;
  readonly #budgetMs: number;
  readonly #cache = new Map<string, CacheEntry>();
  readonly #inFlight = new Map<string, Promise<LookupOutcome>>();

  constructor(options: ContextGathererOptions) {
    this.#clock = options.clock;
    this.#env = options.env ?? process.env;
    this.#budgetMs = options.budgetMs ?? DEFAULT_CONTEXT_BUDGET_MS;
  }

  /** Asks every source in `sources` about `input`; the map has one lookup per source. */
  async gather(sources: readonly ContextSource[], input: LookupInput): Promise<ContextValues> {
    const deadline = Date.now() + this.#budgetMs;
    const entries = await Promise.all(
      sources.map(async (source): Promise<[string, ContextLookup]> => [
        source.name,
        await this.#lookup(source, input, deadline),
      ]),
    );
    return new Map(entries);
  }

  async #lookup(source: ContextSource, input: LookupInput, deadline: number): Promise<ContextLookup> {
    const planned = planLookup(source, this.#env, input);
    const now = this.#clock.now();
    if (!('run' in planned)) {
      return planned.ok
        ? { status: 'known', value: planned.value, fetchedAt: now, cached: false }
        : { status: 'unknown', reason: planned.reason };
    }
    // The source's definition is part of the key: a policy change never reads an answer to another question.
    const key = JSON.stringify([source, planned.key]);
    const hit = this.#cache.get(key);
    if (hit !== undefined && hit.expiresAt > now) {
      return { status: 'known', value: hit.value, fetchedAt: hit.fetchedAt, cached: true };
    }
    const timeoutMs = Math.min(source.timeoutSeconds * 1000, Math.max(1, deadline - Date.now()));
    let call = this.#inFlight.get(key);
    if (call === undefined) {
      call = planned.run(timeoutMs).finally(() => this.#inFlight.delete(key));
      this.#inFlight.set(key, call);
    }
    const outcome = await call;
    if (!outcome.ok) return { status: 'unknown', reason: outcome.reason };
    const fetchedAt = this.#clock.now();
    if (source.cacheTtlSeconds > 0)
      this.#remember(key, { value: outcome.value, fetchedAt, expiresAt: fetchedAt + source.cacheTtlSeconds * 1000 });
    return { status: 'known', value: outcome.value, fetchedAt, cached: false };
  }

  #remember(key: string, entry: CacheEntry): void {
    this.#cache.delete(key);
    this.#cache.set(key, entry);
    // Oldest first out: a Map iterates in insertion order.
    while (this.#cache.size > MAX_CACHE_ENTRIES) {
      const oldest = this.#cache.keys().next().value;
      if (oldest === undefined) break;
      this.#cache.delete(oldest);
    }
  }
}
