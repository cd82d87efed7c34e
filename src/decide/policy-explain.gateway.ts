/**
 * An action's `gateway` block in words, for `policy explain` and the profile's explain answer: that the action is
 * gateway-only, what is always refused, each rule in order, the default and the session's limits. Pure.
 */
import { formatDurationSeconds } from '../core/duration.js';
import type { GatewayPolicy } from '../policy/model.js';

/** What the built-in denials of `gateway-statement.decide.ts` refuse, in one sentence. */
export const BUILT_IN_REFUSALS =
  'always refused: role changes (SET ROLE, SET SESSION AUTHORIZATION, set_config of them, role management), ' +
  'ALTER SYSTEM, LOAD, extensions, COPY with a program or a server file, DO blocks and non-SQL functions, ' +
  'SECURITY DEFINER, server files and other servers, resetting the gateway’s settings, statements it cannot parse';

function formatSize(bytes: number): string {
  for (const [unit, size] of [
    ['TB', 1024 ** 4],
    ['GB', 1024 ** 3],
    ['MB', 1024 ** 2],
    ['kB', 1024],
  ] as const) {
    if (bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return `${bytes} bytes`;
}

/** One line per fact: gateway-only, the built-in refusals, each rule, the default, the limits and the masks. */
export function describeGateway(gateway: GatewayPolicy): string[] {
  const lines = ['gateway only: the credential is never shown; every statement is checked before it is sent'];
  lines.push(BUILT_IN_REFUSALS);
  for (const rule of gateway.rules) {
    const condition = rule.when ? `when ${rule.when.source}` : 'every statement';
    lines.push(rule.allow ? `[${rule.name}] allow ${condition}` : `[${rule.name}] deny ${condition}: ${rule.deny}`);
  }
  lines.push(`otherwise: ${gateway.otherwise}${gateway.rules.length > 0 ? ' (no rule matched)' : ''}`);
  const limits = [
    ...(gateway.statementTimeoutSeconds !== undefined
      ? [`statement timeout ${formatDurationSeconds(gateway.statementTimeoutSeconds)}`]
      : []),
    ...(gateway.maxRows !== undefined ? [`at most ${gateway.maxRows.toLocaleString('en-US')} rows`] : []),
    ...(gateway.maxBytes !== undefined ? [`at most ${formatSize(gateway.maxBytes)}`] : []),
  ];
  if (limits.length > 0) lines.push(`per session: ${limits.join(', ')}`);
  if (gateway.masks.length > 0) {
    const masks = gateway.masks.map((mask) => `${mask.table ? `${mask.table}.` : ''}${mask.column} (${mask.mask})`);
    lines.push(`masked columns: ${masks.join(', ')}`);
  }
  return lines;
}
