/**
 * The names a client gives statements and portals in the extended protocol, as the gate must see them to know
 * what the server will run. Two things make a name mean something else to the server than to the gate:
 *   - the server cuts names to 63 bytes (NAMEDATALEN - 1) when it looks them up, so `a…ax` and `a…ay` are one
 *     statement to it and two to a gate keeping whole names;
 *   - portal names beginning `countersign.` are the gateway's (the portal it fails a refused batch in).
 * Both are refused. And which statement a name stands for is only known from the server's answers
 * (`PreparedNames`). Pure: no I/O.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { ErrorFields } from './protocol/backend-messages.js';
import { RESERVED_PORTAL_PREFIX } from './protocol/frontend-builders.js';

/** The longest name the server keeps whole (NAMEDATALEN - 1 bytes). */
export const MAX_NAME_BYTES = 63;

/** Whether a portal or cursor name is the gateway's own (any case: refusing more than the server would confuse). */
export function isReservedPortal(name: string): boolean {
  return name.toLowerCase().startsWith(RESERVED_PORTAL_PREFIX);
}

/** Why a client's statement or portal name is refused, or undefined when it may be used. */
export function nameRefusal(kind: 'statement' | 'portal', name: string): ErrorFields | undefined {
  if (Buffer.byteLength(name, 'utf8') > MAX_NAME_BYTES) {
    return {
      severity: 'ERROR',
      code: '42622',
      message: `${kind} name "${name.slice(0, 20)}…" is longer than ${MAX_NAME_BYTES} bytes, which the server would cut (the Countersign gateway refuses it)`,
    };
  }
  if (kind === 'portal' && isReservedPortal(name)) {
    return {
      severity: 'ERROR',
      code: '42P03',
      message: `portal name "${name}" is reserved by the Countersign gateway (names beginning "${RESERVED_PORTAL_PREFIX}")`,
    };
  }
  return undefined;
}

/**
 * The names the server knows a client's named portals and prepared statements by. SQL and the protocol share them
 * on the server: a portal bound through the protocol is a cursor to `FETCH ALL FROM p` or `MOVE`, and a statement
 * parsed through the protocol is one to `EXECUTE s`, which run it with no Execute message (so with no record);
 * a cursor `DECLARE`d under a name the gate still took for a bound portal was executed as the statement bound
 * there. Upstream, each named portal of the client is `countersign.p.` and a keyed digest of its name, each named
 * statement `countersign.s.` and one: reserved names, which no SQL statement may use (the decision refuses them,
 * `gateway-names`), so the two never meet. The same name always maps to the same one, so the server still refuses
 * a second Bind of a portal that exists. The unnamed ones stay unnamed: SQL cannot name them.
 */
export class UpstreamNames {
  readonly #key = randomBytes(32);

  of(kind: 'statement' | 'portal', name: string): string {
    if (name === '') return '';
    const digest = createHmac('sha256', this.#key).update(`${kind}\0${name}`).digest('base64url').slice(0, 22);
    return `${RESERVED_PORTAL_PREFIX}${kind === 'portal' ? 'p' : 's'}.${digest}`;
  }
}

/** What the server did with a forwarded message (upstream-input.ts): ran it, failed it, or skipped it. */
export type Outcome = 'done' | 'failed' | 'skipped';

interface NameEffect<Prepared> {
  readonly name: string;
  /** What a Parse defines; undefined for a Close, or a Query (which drops the unnamed statement). */
  readonly statement: Prepared | undefined;
  readonly parse: boolean;
  /** The batch (messages up to a Sync or Query) it was forwarded in. */
  readonly batch: number;
  /** What the server did, when it answered while the batch was still being sent (applied when it ends). */
  outcome?: Outcome;
}

/**
 * The prepared statements the server holds, as far as its answers tell. The gate must never take a name for a
 * statement the server does not hold under it: a Parse of a name that exists fails on the server (42P05), and a
 * Parse or Close after an error in its batch is skipped, so what a forwarded message would do is only known once
 * the server answered it. Until then, a message of the batch being sent is taken to have worked (the later
 * messages of a batch run only if it did); one of an earlier batch might have worked or not, and a name whose
 * statement depends on it cannot be bound until the answer comes.
 */
export class PreparedNames<Prepared> {
  readonly #held = new Map<string, Prepared>();
  readonly #pending: NameEffect<Prepared>[] = [];
  #batch = 0;

  /** A Sync or Query was forwarded: the messages after it are another batch. */
  batchEnded(): void {
    for (const effect of this.#pending.filter((pending) => pending.outcome !== undefined)) {
      this.#settle(effect, effect.outcome!);
    }
    this.#batch++;
  }

  /** What the server may hold under `name` (undefined: nothing). */
  #possible(name: string): Set<Prepared | undefined> {
    let possible = new Set<Prepared | undefined>([this.#held.get(name)]);
    for (const effect of this.#pending) {
      if (effect.name !== name) continue;
      const after = effect.parse ? effect.statement : undefined;
      if (effect.batch === this.#batch) possible = new Set([after]);
      else {
        possible.add(after);
        // A failed Parse of the unnamed statement leaves none (the server drops the old one first).
        if (effect.parse && name === '') possible.add(undefined);
      }
    }
    return possible;
  }

  /** The statement a Bind of `name` would run: undefined if none, `ambiguous` while the server may hold two. */
  bindable(name: string): Prepared | undefined | 'ambiguous' {
    const texts = [...this.#possible(name)].filter((statement) => statement !== undefined);
    if (texts.length > 1) return 'ambiguous';
    return texts[0];
  }

  /** Whether the server may hold a statement named `name` (a Parse of a named statement then fails: 42P05). */
  mayExist(name: string): boolean {
    return this.bindable(name) !== undefined;
  }

  /**
   * A SQL `PREPARE` or `DEALLOCATE` was forwarded: it may define or drop any name, so no name is taken to stand for
   * a statement any more (a Bind of one is refused until the client Parses it again, which the server answers).
   */
  forgetAll(): void {
    this.#held.clear();
    this.#pending.length = 0;
  }

  /** A Parse was forwarded; returns what to call with the server's answer to it. */
  parse(name: string, statement: Prepared): (outcome: Outcome) => void {
    return this.#effect({ name, statement, parse: true, batch: this.#batch });
  }

  /** A Close of a statement, or a Query (it drops the unnamed statement), was forwarded. */
  drop(name: string): (outcome: Outcome) => void {
    return this.#effect({ name, statement: undefined, parse: false, batch: this.#batch });
  }

  #effect(effect: NameEffect<Prepared>): (outcome: Outcome) => void {
    this.#pending.push(effect);
    return (outcome) => {
      // While its batch is being sent, its later messages are still taken to follow it: if it failed, the
      // server skips them anyway, and a statement executed there is recorded with the batch's error.
      if (effect.batch === this.#batch) effect.outcome = outcome;
      else this.#settle(effect, outcome);
    };
  }

  #settle(effect: NameEffect<Prepared>, outcome: Outcome): void {
    const index = this.#pending.indexOf(effect);
    if (index < 0) return;
    this.#pending.splice(index, 1);
    if (outcome === 'done' && effect.statement !== undefined) this.#held.set(effect.name, effect.statement);
    else if (outcome === 'done' || (outcome === 'failed' && effect.parse && effect.name === '')) {
      this.#held.delete(effect.name);
    }
  }
}
