/**
 * The client-to-server half of a proxied session: every frontend message is read, and every statement is
 * checked and recorded before one byte of it is forwarded. Simple queries are checked whole (a refusal of one
 * statement refuses the message); in the extended protocol the SQL is checked at Parse, and each Execute is
 * recorded with the parameters its Bind gave. Only statements prepared through this gate can be bound.
 *
 * A refused statement is never forwarded. So that the client sees its error in the right place among pipelined
 * answers, and that the transaction is aborted as PostgreSQL would abort it, the gate sends the upstream server
 * something that fails where the refused statement would have been: in a simple query, a constant statement that
 * raises an error (`REFUSAL_SQL`); in the extended protocol, the Execute of a portal that cannot exist (the
 * session's `refusalPortal`, random, in the reserved name space no client may use: statement-names.ts), which fails
 * inside the client's own batch, so the batch's implicit transaction is rolled back as a whole, earlier statements
 * included. The response side (`ResponseTracker`) puts the refusal in place of the
 * stand-in's own answers.
 */
import type { GatewaySession, MaskCatalog, ParsedText, RecordedParams, StatementCheck } from '../backend.js';
import type { ErrorFields } from './protocol/backend-messages.js';
import { errorResponse } from './protocol/backend-messages.js';
import {
  decodeBind,
  decodeEmpty,
  decodeExecute,
  decodeParse,
  decodeQuery,
  decodeTarget,
  Frontend,
} from './protocol/frontend-messages.js';
import { describePortal, executePortal, query, refusalPortal, withPortal } from './protocol/frontend-builders.js';
import { ProtocolError } from './protocol/protocol-error.js';
import { describeType } from './protocol/message-reader.js';
import type { ResponseTracker } from './response-tracker.js';
import { recordedText } from './recorded-text.js';
import { nameRefusal, type Outcome, PreparedNames, UpstreamNames } from './statement-names.js';

/** Raises an error upstream in place of a refused statement (constant: nothing of the user's text is in it). */
export const REFUSAL_SQL =
  "DO $countersign$BEGIN RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = 'countersign: statement refused'; END$countersign$";
const REFUSAL_QUERY = query(REFUSAL_SQL);

/**
 * A Query's or Parse's text parsed before the gate saw it, off the event loop (proxied-session.ts): what the
 * parse found, or why it failed (the statement is then refused).
 */
export type ParsedAhead = { readonly parsed: ParsedText } | { readonly failed: string };

interface Prepared {
  readonly sql: string;
  readonly check: StatementCheck;
}

interface Portal {
  readonly statement: Prepared;
  readonly params: readonly (string | null)[];
  /** Its name upstream (`UpstreamNames`). */
  readonly upstream: string;
  /** The cycle its Bind was forwarded in: the server drops it when a later transaction end is answered. */
  readonly cycle: number;
  /** The record of its first Execute, which holds `params`: later Executes of the portal refer to it. */
  paramsOf?: number;
}

export interface StatementGateOptions {
  readonly session: GatewaySession;
  readonly responses: ResponseTracker;
  /** Writes bytes to the upstream server. */
  readonly forward: (bytes: Buffer) => void;
  /** The client ended the session (Terminate). */
  readonly onTerminate: () => void;
  /** Column masks apply: each Execute is preceded by a Describe of its portal, whose answer plans the masking. */
  readonly describeBeforeExecute?: boolean;
  /** What the session's catalog adds to its masks, passed to each check. */
  readonly maskCatalog?: MaskCatalog;
  /** A refusal, for the gateway's log (never the statement's text). */
  readonly onRefusal: (refusal: { readonly seq: number; readonly refusalId?: string; readonly reason: string }) => void;
}

export class StatementGate {
  readonly #options: StatementGateOptions;
  /** The statements the server holds, followed from its answers (statement-names.ts). */
  readonly #names = new PreparedNames<Prepared>();
  /** The client's portals the server may hold, by the client's names. */
  readonly #portals = new Map<string, Portal>();
  readonly #upstreamNames = new UpstreamNames();
  /** After a refusal in the extended protocol, messages are dropped until Sync, as PostgreSQL does after an error. */
  #discardUntilSync = false;
  #seq = 0;
  /** The portal this session's refusals execute (see the module comment); never told to the client. */
  readonly #standIn = refusalPortal();
  readonly #executeStandIn = executePortal(this.#standIn);
  /** Forwards a message, telling `settled` what the server did with it. */
  readonly #forward: (bytes: Buffer, settled?: (outcome: Outcome) => void) => void;

  constructor(options: StatementGateOptions) {
    // The response side follows every message the server reads (each forward is one message), to know which
    // Sync and Query it will answer.
    const forward = (bytes: Buffer, settled?: (outcome: Outcome) => void): void => {
      options.responses.forwarded(bytes[0]!, settled);
      options.forward(bytes);
      if (bytes[0] === Frontend.sync || bytes[0] === Frontend.query) this.#names.batchEnded();
    };
    this.#forward = forward;
    this.#options = { ...options, forward };
  }

  /**
   * One frontend message of the proxied session; throws `ProtocolError` on a malformed or unexpected one. `ahead`:
   * the message's statement text already parsed (a Query or Parse only).
   */
  message(type: number, body: Buffer, whole: Buffer, ahead?: ParsedAhead): void {
    if (!this.#options.responses.admits(type)) {
      throw new ProtocolError(`message type ${describeType(type)} is not allowed during COPY FROM STDIN`);
    }
    switch (type) {
      case Frontend.query:
        return this.#query(decodeQuery(body), whole, ahead);
      case Frontend.parse:
        return this.#parse(body, whole, ahead);
      case Frontend.bind:
        return this.#bind(body, whole);
      case Frontend.execute:
        return this.#execute(body, whole);
      case Frontend.describe:
      case Frontend.close:
        return this.#describeOrClose(type, body, whole);
      case Frontend.sync:
        decodeEmpty(body);
        this.#discardUntilSync = false;
        this.#options.forward(whole);
        this.#options.responses.expectReady({});
        return;
      case Frontend.flush:
        // Forwarded even after a refusal: the client may be waiting for the refusal's error before it syncs.
        decodeEmpty(body);
        this.#options.forward(whole);
        return;
      case Frontend.copyData:
      case Frontend.copyDone:
      case Frontend.copyFail:
        // COPY FROM STDIN data of a COPY that was checked; outside a COPY the server ignores them.
        this.#options.forward(whole);
        return;
      case Frontend.functionCall:
        // The fast-path call names a function by OID, beyond any SQL check: never forwarded.
        return this.#refuse('simple', {
          severity: 'ERROR',
          code: '42501',
          message: 'function calls by OID (the fast-path protocol) are not allowed through the Countersign gateway',
        });
      case Frontend.terminate:
        decodeEmpty(body);
        this.#options.forward(whole);
        this.#options.onTerminate();
        return;
      default:
        throw new ProtocolError(`unexpected message type ${describeType(type)}`);
    }
  }

  #query(sql: string, whole: Buffer, ahead: ParsedAhead | undefined): void {
    if (this.#discardUntilSync) return;
    // A simple query drops the unnamed portal, and the unnamed statement once the server runs it.
    this.#portals.delete('');
    const check = this.#check(sql, ahead);
    const seq = ++this.#seq;
    const refusal = this.#record(seq, sql, check, undefined);
    if (refusal) return this.#refuse('simple', refusal);
    this.#forward(whole, this.#names.drop(''));
    if (check.redefinesPrepared) this.#names.forgetAll();
    this.#options.responses.expectStatement(seq, true);
    this.#options.responses.expectReady({});
  }

  #parse(body: Buffer, whole: Buffer, ahead: ParsedAhead | undefined): void {
    if (this.#discardUntilSync) return;
    const parse = decodeParse(body);
    const badName = nameRefusal('statement', parse.name);
    if (badName) return this.#refuse('extended', badName);
    const check = this.#check(parse.sql, ahead);
    if (!check.allowed) {
      // Not forwarded: the stand-in fails the batch, and the server keeps whatever it held under the name.
      const refusal = this.#record(++this.#seq, parse.sql, check, undefined);
      return this.#refuse('extended', refusal ?? refusedError(check, undefined));
    }
    if (parse.name !== '' && this.#names.mayExist(parse.name)) {
      // The server would refuse it (or may, when an earlier Parse of the name is not answered yet) and keep the
      // statement it holds: the gate must not take the name for this text.
      return this.#refuse('extended', {
        severity: 'ERROR',
        code: '42P05',
        message: `prepared statement "${parse.name}" already exists (or may: the server has not answered an earlier Parse or Close of it)`,
      });
    }
    const named = withName(whole, 0, parse.name, this.#upstreamNames.of('statement', parse.name));
    this.#forward(named, this.#names.parse(parse.name, { sql: parse.sql, check }));
  }

  #bind(body: Buffer, whole: Buffer): void {
    if (this.#discardUntilSync) return;
    const bind = decodeBind(body);
    const badName = nameRefusal('portal', bind.portal) ?? nameRefusal('statement', bind.statement);
    if (badName) return this.#refuse('extended', badName);
    const statement = this.#names.bindable(bind.statement);
    if (statement === 'ambiguous') {
      return this.#refuse('extended', {
        severity: 'ERROR',
        code: '55000',
        message: `prepared statement "${bind.statement}" cannot be bound yet: the server has not answered whether an earlier Parse or Close of it worked`,
      });
    }
    if (statement === undefined) {
      return this.#refuse('extended', {
        severity: 'ERROR',
        code: '26000',
        message: `prepared statement "${bind.statement}" does not exist (only statements prepared through the gateway can be bound)`,
      });
    }
    const upstream = this.#upstreamNames.of('portal', bind.portal);
    const cycle = this.#options.responses.nextCycle;
    this.#portals.set(bind.portal, { statement, params: bind.parameters, upstream, cycle });
    // The statement's name follows the portal's: replaced first, while the portal's still has its length.
    const statementName = this.#upstreamNames.of('statement', bind.statement);
    const withStatement = withName(whole, Buffer.byteLength(bind.portal) + 1, bind.statement, statementName);
    this.#forwardExtended(withName(withStatement, 0, bind.portal, upstream));
  }

  /**
   * The server answered that its transaction ended (ReadyForQuery, idle) for every message up to cycle `cycle`:
   * the portals bound there are gone (a protocol portal never outlives its transaction), so the gate forgets them
   * and their parameters, which would otherwise pile up with every Bind of a new name.
   */
  transactionEnded(cycle: number): void {
    for (const [name, portal] of this.#portals) if (portal.cycle <= cycle) this.#portals.delete(name);
  }

  #execute(body: Buffer, whole: Buffer): void {
    if (this.#discardUntilSync) return;
    const execute = decodeExecute(body);
    const portal = this.#portals.get(execute.portal);
    if (portal === undefined) {
      return this.#refuse('extended', {
        severity: 'ERROR',
        code: '34000',
        message: `portal "${execute.portal}" does not exist (only portals bound through the gateway can be executed)`,
      });
    }
    const seq = ++this.#seq;
    // A portal executed again (a row limit, a client re-running it) ran with the parameters already on record:
    // recording them at each Execute would let one Bind of a large value cost its size a thousand times over.
    const params = portal.paramsOf === undefined ? portal.params : { paramsOf: portal.paramsOf };
    const refusal = this.#record(seq, portal.statement.sql, portal.statement.check, params, () => {
      portal.paramsOf ??= seq;
    });
    if (refusal) return this.#refuse('extended', refusal);
    if (this.#options.describeBeforeExecute) {
      this.#forwardExtended(describePortal(portal.upstream));
      this.#options.responses.expectDescription(true);
    }
    const named = withName(whole, 0, execute.portal, portal.upstream);
    this.#forwardExtended(named);
    if (portal.statement.check.redefinesPrepared) this.#names.forgetAll();
    this.#options.responses.expectStatement(seq, false);
  }

  #describeOrClose(type: number, body: Buffer, whole: Buffer): void {
    if (this.#discardUntilSync) return;
    const target = decodeTarget(body);
    const badName = nameRefusal(target.target, target.name);
    if (badName) return this.#refuse('extended', badName);
    // The client's names are the gate's upstream, known or not: a SQL cursor or statement is never one of them.
    const named = withName(whole, 1, target.name, this.#upstreamNames.of(target.target, target.name));
    if (type === Frontend.close && target.target === 'statement') {
      return this.#forward(named, this.#names.drop(target.name));
    }
    if (type === Frontend.close) this.#portals.delete(target.name);
    this.#forwardExtended(named);
    if (type === Frontend.describe) this.#options.responses.expectDescription(false);
  }

  #forwardExtended(whole: Buffer): void {
    this.#options.forward(whole);
  }

  /** The check of `sql`; a checker (or a parse ahead) that fails refuses (fail closed). */
  #check(sql: string, ahead: ParsedAhead | undefined): StatementCheck {
    if (ahead !== undefined && 'failed' in ahead) {
      return { allowed: false, message: `the statement could not be checked: ${ahead.failed}`, approvable: false };
    }
    try {
      return this.#options.session.check(sql, this.#options.maskCatalog, ahead?.parsed);
    } catch {
      return { allowed: false, message: 'the statement could not be checked' };
    }
  }

  /** Records the statement; returns the error to answer instead when it is refused or cannot be recorded. */
  #record(
    seq: number,
    sql: string,
    check: StatementCheck,
    params: RecordedParams | undefined,
    recorded?: () => void,
  ): ErrorFields | undefined {
    let refusalId: string | undefined;
    try {
      refusalId = this.#options.session.record(seq, recordedText(sql), check, params).refusalId;
      recorded?.();
    } catch {
      this.#options.onRefusal({ seq, reason: 'not recorded' });
      return {
        severity: 'ERROR',
        code: '58000',
        message: 'the statement was not sent: the Countersign gateway cannot record it right now',
      };
    }
    if (check.allowed) return undefined;
    this.#options.onRefusal({ seq, ...(refusalId ? { refusalId } : {}), reason: check.message });
    return refusedError(check, refusalId);
  }

  /** Answers `error` in place of a statement that is not forwarded (see the module comment). */
  #refuse(mode: 'simple' | 'extended', error: ErrorFields): void {
    const reply = errorResponse(error);
    if (mode === 'extended') {
      this.#discardUntilSync = true;
      this.#options.forward(this.#executeStandIn);
      this.#options.responses.expectStandIn(reply, this.#standIn);
      return;
    }
    this.#options.forward(REFUSAL_QUERY);
    this.#options.responses.expectReady({ refusal: reply });
  }
}

/** `message` with the name `name` at body offset `at` replaced by `upstream` (unchanged when they are the same). */
function withName(message: Buffer, at: number, name: string, upstream: string): Buffer {
  return name === upstream ? message : withPortal(message, at, Buffer.byteLength(name), upstream);
}

function refusedError(check: StatementCheck, refusalId: string | undefined): ErrorFields {
  const reason = check.message || 'refused by the profile';
  const said = reason.startsWith('refused') ? `Countersign ${reason}` : `Countersign refused the statement: ${reason}`;
  const ask =
    refusalId !== undefined && check.approvable !== false
      ? `. To ask for approval: countersign request create --from-refusal ${refusalId}`
      : '';
  return {
    severity: 'ERROR',
    code: '42501',
    message: `${said}${ask}`,
    ...(refusalId !== undefined ? { detail: `refusal ${refusalId}` } : {}),
  };
}
