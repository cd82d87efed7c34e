/**
 * Closing the sessions of gateways that died (issue 14): a live gateway renews the lease `gateway:<gatewayId>`
 * (session-recorder.ts); a session still open whose gateway's lease is gone or lapsed is closed as `abnormal` by
 * whoever notices first — this job, run by the scheduler on every replica (the close is conditional, so two
 * replicas close a session once). What the dead gateway journaled is shipped when a recorder starts on its
 * journal directory again; statements shipped after the close still join the session.
 */
import type { AppContext } from '../../app/context.js';
import { closeAbnormally, gatewayLeaseName } from './session-recorder.js';
import { DEFAULT_ABANDON_GRACE_MS } from './gateway-liveness.js';

const MAX_PER_RUN = 1000;

/**
 * Closes open sessions of gateways without a live lease; returns how many it closed. Sessions opened less than
 * `graceMs` ago (default 30 s; `serve --gateway-abandon-grace`) are left alone: their gateway may not have
 * heartbeaten yet.
 */
export async function closeAbandonedSessions(
  app: AppContext,
  graceMs: number = DEFAULT_ABANDON_GRACE_MS,
): Promise<number> {
  const now = app.clock.now();
  const open = await app.database.db
    .selectFrom('gateway_sessions')
    .select(['id', 'gateway_id'])
    .where('closed_at', 'is', null)
    .where('opened_at', '<', now - graceMs)
    .limit(MAX_PER_RUN)
    .execute();
  if (open.length === 0) return 0;
  const gateways = [...new Set(open.map((row) => row.gateway_id))];
  const live = await app.database.db
    .selectFrom('scheduler_leases')
    .select('name')
    .where(
      'name',
      'in',
      gateways.map((id) => gatewayLeaseName(id)),
    )
    .where('lease_until', '>', now)
    .execute();
  const alive = new Set(live.map((row) => row.name));
  const abandoned = open.filter((row) => !alive.has(gatewayLeaseName(row.gateway_id))).map((row) => row.id);
  return closeAbnormally(app, abandoned);
}
