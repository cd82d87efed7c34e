/**
 * The `GatewayBackend` of a real Countersign process: logins and sessions from the sessions feature, statements
 * classified by the real PostgreSQL parser (`sql-classify.ts`) and decided by the pure statement decision against
 * the grant's profile, recorded by the session recorder's local journal before they are forwarded, and grant ends
 * learnt from this process's commits (the app's change feed) and from other replicas (the change follower's
 * NOTIFY, passed in as `remoteGrantChanges`).
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { AppContext } from '../app/context.js';
import { decideStatements, type StatementDecision, type StatementFacts } from '../decide/gateway-statement.decide.js';
import { staleSessionDecision } from '../decide/gateway-session-policy.decide.js';
import {
  cancelKeySecrets,
  endedGatewayGrants,
  findCancelKey,
  findGatewayLogin,
  publishCancelKey,
  withdrawCancelKeys,
  openGatewaySession,
  verifyGatewayPassword,
  type GatewayLogin,
  type SessionRecorder,
} from '../features/sessions/index.js';
import type { ColumnMask } from '../policy/model.js';
import type {
  GatewayBackend,
  GatewaySession,
  MaskCatalog,
  ParsedText,
  RecordedParams,
  SessionMeta,
  StatementCheck,
} from './backend.js';
import { SessionShadows, UNREAD_CATALOG, type ShadowCatalog } from './postgres/shadowed-builtins.js';
import { classifySql, redefinesPrepared, type SqlClassification } from './postgres/sql-classify.js';
import { sessionPolicyFollower } from './session-policy-follower.js';
import { maskRules, maskRulesViolation } from './postgres/sql-text-analysis.js';

/** A check with what the record needs: the facts of each statement and the decision. */
interface CountersignCheck extends StatementCheck {
  readonly facts: readonly StatementFacts[];
  readonly decision: StatementDecision;
}

/**
 * Classifications of recent statement texts: a client repeating a statement (a prepared one re-parsed, a loop) is
 * classified once. Bounded; the oldest entry goes first. Decisions are not cached: rules may read the time.
 */
class ClassificationCache {
  readonly #entries = new Map<string, SqlClassification>();
  constructor(private readonly capacity: number) {}

  classify(sql: string): SqlClassification {
    const cached = this.#entries.get(sql);
    if (cached !== undefined) return cached;
    const classified = classifySql(sql);
    // Long texts (bulk inserts) are not worth keeping.
    if (sql.length <= 4096) {
      if (this.#entries.size >= this.capacity) this.#entries.delete(this.#entries.keys().next().value!);
      this.#entries.set(sql, classified);
    }
    return classified;
  }
}

export interface CountersignBackendOptions {
  readonly app: AppContext;
  readonly recorder: SessionRecorder;
  readonly gatewayId: string;
  /** Subscribes to "grants changed on another replica" (PostgreSQL NOTIFY through the change follower). */
  readonly remoteGrantChanges?: (listener: () => void) => () => void;
}

export function countersignBackend(options: CountersignBackendOptions): GatewayBackend<GatewayLogin> {
  const { app, recorder, gatewayId } = options;
  const classifications = new ClassificationCache(2048);
  // The `hash` mask's key: derived from the key every gateway of the deployment shares, so masked values are the
  // same on every gateway (they can be joined) and cannot be found by hashing guesses.
  const credentialKey = app.gateway?.credentialKey;
  const hashKey =
    credentialKey === undefined
      ? randomBytes(32)
      : createHmac('sha256', credentialKey).update('countersign.gateway.column-mask.v1').digest();
  // Cancel keys are shared (no key in clear: cancel-key-seal.ts) only under the key every gateway holds; without
  // it a cancel has to reach the gateway holding the session.
  const cancelSecrets = credentialKey === undefined ? undefined : cancelKeySecrets(credentialKey);
  return {
    gatewayId,
    clock: app.clock,
    findLogin: (who) => findGatewayLogin(app, who),
    verifyPassword: (login, password) => verifyGatewayPassword(app, login, password),
    async openSession(login: GatewayLogin, meta: SessionMeta): Promise<GatewaySession> {
      const loadedAtOpen = app.policy.loaded;
      const opened = await openGatewaySession(app, login, { gatewayId, ...meta });
      const { sessionId, policy, context } = opened;
      const following = sessionPolicyFollower(
        app,
        loadedAtOpen,
        { profile: context.profile, action: login.action, policy },
        context,
      );
      // Until the session's catalog is read every built-in's name counts as taken (shadowed-builtins.ts).
      let shadows = new SessionShadows(UNREAD_CATALOG);
      return {
        sessionId,
        grantId: login.grantId,
        expiresAt: opened.expiresAt,
        upstream: opened.upstream,
        limits: {
          ...(policy.statementTimeoutSeconds !== undefined
            ? { statementTimeoutSeconds: policy.statementTimeoutSeconds }
            : {}),
          ...(policy.maxRows !== undefined ? { maxRows: policy.maxRows } : {}),
          ...(policy.maxBytes !== undefined ? { maxBytes: policy.maxBytes } : {}),
        },
        ...(policy.masks.length > 0 ? { masking: { masks: policy.masks, hashKey } } : {}),
        check(sql: string, catalog?: MaskCatalog, parsed?: ParsedText): CountersignCheck {
          // A long text comes parsed (on a worker thread: proxied-session.ts), with its mask check when masks apply.
          const shared = parsed?.classification ?? classifications.classify(sql);
          // Shared classifications are never changed: the session's catalog is applied to a copy of the facts.
          const classified = 'statements' in shared ? { statements: shadows.apply(shared.statements) } : shared;
          // Rules changed since the session began decide from now on; masks or budgets changed: nothing runs.
          const now = following();
          const decided =
            'stale' in now
              ? staleSessionDecision(now.stale)
              : decideStatements(now.policy, classified, { ...now.context, now: app.clock.now() });
          const decision = decided.allowed ? maskedDecision(decided, sql, policy.masks, catalog, parsed) : decided;
          // What an allowed text defines counts from now on, before the server has run it (fail closed).
          if (decision.allowed && 'statements' in shared) shadows.learn(shared.statements);
          return {
            allowed: decision.allowed,
            message: decision.message,
            approvable: !decision.builtIn,
            facts: 'statements' in classified ? classified.statements : [],
            decision,
            redefinesPrepared: redefinesPrepared(classified),
          };
        },
        useShadows(catalog: ShadowCatalog): void {
          shadows = new SessionShadows(catalog);
        },
        record(seq: number, sql: string, check: CountersignCheck, params: RecordedParams | undefined) {
          return recorder.statement(sessionId, {
            seq,
            sql,
            ...(params === undefined ? {} : 'paramsOf' in params ? { paramsOf: params.paramsOf } : { params }),
            facts: check.facts,
            decision: check.decision,
            at: app.clock.now(),
          });
        },
        outcome: (seq, outcome) => recorder.outcome(sessionId, seq, outcome),
        close: (reason) => {
          const at = app.clock.now();
          if (reason !== 'error') return recorder.close(sessionId, { reason, at });
          void endReasonOfBrokenUpstream(app, login.grantId, opened.expiresAt, at)
            .then((found) => recorder.close(sessionId, { reason: found, at }))
            .catch(() => undefined);
        },
      };
    },
    endedGrants: (grantIds) => endedGatewayGrants(app, grantIds),
    ...(cancelSecrets === undefined
      ? {}
      : {
          cancelKeys: {
            publish: (key) => publishCancelKey(app, cancelSecrets, key),
            withdraw: (sessionId) => withdrawCancelKeys(app.database.db, [sessionId]),
            find: (processId, secretKey) => findCancelKey(app, cancelSecrets, processId, secretKey),
          },
        }),
    onGrantsChanged(listener: () => void): () => void {
      const local = app.changes.subscribe((changes) => {
        if (changes.some((change) => change.kind === 'grant' || change.kind === 'identity_disabled')) listener();
      });
      const remote = options.remoteGrantChanges?.(listener);
      return () => {
        local();
        remote?.();
      };
    },
  };
}

/**
 * An allowed statement that would compute from a masked column (a condition, an expression…), or that names a view
 * or function the catalog found computing from one, is refused. Without the catalog (the session's masks were
 * never resolved) nothing can be checked: refused. A text parsed ahead was checked against the same masks and
 * catalog there (`maskRulesOf` in proxied-session.ts).
 */
function maskedDecision(
  decided: StatementDecision,
  sql: string,
  masks: readonly ColumnMask[],
  catalog: MaskCatalog | undefined,
  parsed: ParsedText | undefined,
): StatementDecision {
  if (masks.length === 0) return decided;
  const violation =
    catalog === undefined
      ? 'the masked columns of this session were not resolved in its database, so no statement can be checked'
      : parsed?.masks !== undefined
        ? parsed.masks.violation
        : maskRulesViolation(sql, maskRules(masks, catalog));
  return violation === undefined ? decided : { allowed: false, builtIn: false, rule: 'masks', message: violation };
}

/**
 * Why a session whose upstream connection ended ended. The provider's revoke terminates the grant's upstream
 * sessions right after the grant is claimed for revocation, usually before this gateway has heard of the revoke:
 * an upstream that ends while its grant no longer allows access is that revocation (or expiry), not an error.
 */
async function endReasonOfBrokenUpstream(
  app: AppContext,
  grantId: string,
  expiresAt: number,
  at: number,
): Promise<'revoked' | 'expired' | 'error'> {
  const ended = await endedGatewayGrants(app, [grantId]).catch(() => new Set<string>());
  if (!ended.has(grantId)) return 'error';
  return expiresAt <= at ? 'expired' : 'revoked';
}
