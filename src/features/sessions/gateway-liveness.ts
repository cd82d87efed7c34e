/**
 * The timings that decide when a gateway counts as dead, and the rules that keep them coherent. A gateway renews
 * its lease `gateway:<gatewayId>` every heartbeat and the lease lasts `leaseMs`; the scheduler closes as
 * `abnormal` the open sessions of a gateway whose lease lapsed, leaving alone sessions opened less than `graceMs`
 * ago (session-recorder.ts, abandoned-sessions.job.ts). Operators set them on `serve` and `countersign gateway`;
 * this module parses and checks them, with no I/O, so that both commands and the recorder agree.
 */
import { formatDurationSeconds, parseDurationSeconds } from '../../core/duration.js';

export const DEFAULT_HEARTBEAT_MS = 5_000;
/** The default lease lasts this many heartbeats (15 s with the default heartbeat). */
export const DEFAULT_LEASE_HEARTBEATS = 3;
/** The default grace; it is raised to the lease when the lease is longer (see `resolveGatewayLiveness`). */
export const DEFAULT_ABANDON_GRACE_MS = 30_000;
/**
 * A lease must last at least this many heartbeats: with less, one renewal that is late or fails (a slow
 * database, a dropped connection) lets the lease of a live gateway lapse, and its sessions are closed under it.
 */
export const MIN_LEASE_HEARTBEATS = 2;

export type LivenessSetting = 'heartbeat' | 'lease' | 'grace';

/** What an operator may give, in whole seconds: wide enough for a slow network, bounded against a typo. */
export const LIVENESS_BOUNDS: Readonly<Record<LivenessSetting, { minSeconds: number; maxSeconds: number }>> = {
  heartbeat: { minSeconds: 1, maxSeconds: 600 },
  lease: { minSeconds: 2, maxSeconds: 3600 },
  grace: { minSeconds: 1, maxSeconds: 86_400 },
};

export interface GatewayLiveness {
  readonly heartbeatMs: number;
  readonly leaseMs: number;
  readonly graceMs: number;
}

export type GatewayLivenessInput = Partial<GatewayLiveness>;

/** How each setting is named in the messages: the flags of the command that reads them. */
export type LivenessNames = Readonly<Record<LivenessSetting, string>>;

const PLAIN_NAMES: LivenessNames = { heartbeat: 'the heartbeat', lease: 'the lease', grace: 'the grace' };

/** `'20s'` → 20,000 ms within the setting's bounds, or the problem with it. */
export function parseLivenessDuration(
  setting: LivenessSetting,
  text: string,
): { readonly ms: number } | { readonly problem: string } {
  const { minSeconds, maxSeconds } = LIVENESS_BOUNDS[setting];
  const seconds = parseDurationSeconds(text.trim());
  if (seconds === undefined || seconds < minSeconds || seconds > maxSeconds) {
    const range = `${formatDurationSeconds(minSeconds)} to ${formatDurationSeconds(maxSeconds)}`;
    return { problem: `'${text}' is not a duration from ${range} (e.g. 5s, 1m30s)` };
  }
  return { ms: seconds * 1000 };
}

/**
 * Fills in the defaults — a 5 s heartbeat, a lease of three heartbeats, a grace of 30 s or the lease when that is
 * longer — and lists every rule broken: the lease lasts at least two heartbeats, the grace at least the lease.
 * An empty `problems` means the values can be used; the defaults alone always can.
 */
export function resolveGatewayLiveness(
  input: GatewayLivenessInput,
  names: LivenessNames = PLAIN_NAMES,
): { readonly liveness: GatewayLiveness; readonly problems: readonly string[] } {
  const heartbeatMs = input.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  const leaseMs = input.leaseMs ?? heartbeatMs * DEFAULT_LEASE_HEARTBEATS;
  const graceMs = input.graceMs ?? Math.max(DEFAULT_ABANDON_GRACE_MS, leaseMs);
  const problems: string[] = [];
  if (!(heartbeatMs > 0) || !(leaseMs > 0) || !(graceMs >= 0)) {
    problems.push(`${names.heartbeat} and ${names.lease} must be positive, ${names.grace} not negative`);
  } else {
    if (leaseMs < heartbeatMs * MIN_LEASE_HEARTBEATS) {
      problems.push(
        `${names.lease} (${formatMs(leaseMs)}) must be at least twice ${names.heartbeat} (${formatMs(heartbeatMs)}), so that one late renewal does not let a live gateway's lease lapse`,
      );
    }
    if (graceMs < leaseMs) {
      problems.push(`${names.grace} (${formatMs(graceMs)}) must be at least ${names.lease} (${formatMs(leaseMs)})`);
    }
  }
  return { liveness: { heartbeatMs, leaseMs, graceMs }, problems };
}

/** Whole seconds as a duration (`1m30s`), anything finer in milliseconds (`250ms`, from tests and libraries). */
function formatMs(ms: number): string {
  return ms % 1000 === 0 ? formatDurationSeconds(ms / 1000) : `${ms}ms`;
}
