/**
 * Reads the evidence of a period out of the store, inside the exporting transaction so that every section
 * describes the same instant. Returns plain, JSON-ready objects (camelCase, JSON columns parsed), never rows;
 * the SoD scan and the control index are added by the verb, which holds the policy snapshot.
 */
import type { Transaction } from 'kysely';
import { AppError } from '../../core/errors.js';
import { GENESIS_HASH, type StoredAuditEvent } from '../../audit/audit-event.js';
import { readAuditCheckpoints } from '../../audit/store/audit-store.js';
import type { SignedCheckpoint } from '../../audit/checkpoint.js';
import { fromJsonText } from '../../store/columns.js';
import type { Schema } from '../../store/schema.js';
import { rowToSodException } from '../../store/sod-exception-row.js';
import type { AuditEventsSection, EvidenceSections } from './evidence-bundle.js';

type Trx = Transaction<Schema>;
type Period = { readonly from: number; readonly to: number };

/** Most events one bundle carries; a longer period must be exported in parts. */
export const MAX_BUNDLE_EVENTS = 200_000;

/**
 * The events of the period as one consecutive run of `seq` (from the first to the last event timed inside the
 * period), so that their chain can be checked on its own, and the hash the run starts from.
 */
async function collectEvents(trx: Trx, period: Period): Promise<AuditEventsSection> {
  const bounds = await trx
    .selectFrom('audit_events')
    .select((eb) => [eb.fn.min('seq').as('first'), eb.fn.max('seq').as('last')])
    .where('time', '>=', period.from)
    .where('time', '<', period.to)
    .executeTakeFirst();
  const first = bounds?.first === null || bounds?.first === undefined ? undefined : Number(bounds.first);
  const last = bounds?.last === null || bounds?.last === undefined ? undefined : Number(bounds.last);
  if (first === undefined || last === undefined) {
    const before = await trx
      .selectFrom('audit_events')
      .select(['seq', 'hash'])
      .where('time', '<', period.from)
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    return {
      chainStart: before ? { seq: Number(before.seq), hash: before.hash } : { seq: 0, hash: GENESIS_HASH },
      events: [],
    };
  }
  if (last - first + 1 > MAX_BUNDLE_EVENTS) {
    throw new AppError(
      'invalid',
      `the period holds ${last - first + 1} audit events, more than the ${MAX_BUNDLE_EVENTS} one bundle carries; export shorter periods`,
    );
  }
  const rows = await trx
    .selectFrom('audit_events')
    .select(['seq', 'time', 'actor', 'action', 'subject', 'details', 'prev_hash', 'hash'])
    .where('seq', '>=', first)
    .where('seq', '<=', last)
    .orderBy('seq')
    .execute();
  const events: StoredAuditEvent[] = rows.map((row) => ({
    seq: Number(row.seq),
    time: Number(row.time),
    actor: row.actor,
    action: row.action,
    subject: row.subject,
    detailsJson: row.details,
    prevHash: row.prev_hash,
    hash: row.hash,
  }));
  const prevHash = events[0]?.prevHash ?? GENESIS_HASH;
  return { chainStart: { seq: first - 1, hash: prevHash }, events };
}

/** Checkpoints at the chain start or inside the events, and the first one after them (it covers the period). */
async function collectCheckpoints(trx: Trx, section: AuditEventsSection): Promise<SignedCheckpoint[]> {
  const start = section.chainStart.seq;
  const end = section.events[section.events.length - 1]?.seq ?? start;
  const all = await readAuditCheckpoints(trx, { afterSeq: start - 1 });
  const inside = all.filter((checkpoint) => checkpoint.size <= end);
  const after = all.find((checkpoint) => checkpoint.size > end);
  return after ? [...inside, after] : inside;
}

export type CollectedEvidence = Omit<EvidenceSections, 'sodScan' | 'controls'>;

/**
 * Gateway sessions that overlapped the period (issue 14, evidence of `use`): who used which grant from where, how
 * it ended, and its statements counted (allowed, refused); the statements' text stays in the audit events, sealed.
 */
async function collectGatewaySessions(trx: Trx, period: Period): Promise<Readonly<Record<string, unknown>>[]> {
  const sessions = await trx
    .selectFrom('gateway_sessions')
    .selectAll()
    .where('opened_at', '<', period.to)
    .where((eb) => eb.or([eb('closed_at', 'is', null), eb('closed_at', '>=', period.from)]))
    .orderBy('opened_at')
    .orderBy('id')
    .execute();
  if (sessions.length === 0) return [];
  const counts = await trx
    .selectFrom('gateway_statements')
    .select((eb) => [
      'session_id',
      eb.fn.countAll<number | string>().as('statements'),
      eb.fn.sum<number | string | null>(eb.case().when('allowed', '=', 0).then(1).else(0).end()).as('refused'),
    ])
    .where(
      'session_id',
      'in',
      sessions.map((row) => row.id),
    )
    .groupBy('session_id')
    .execute();
  const bySession = new Map(counts.map((row) => [row.session_id, row]));
  return sessions.map((row) => ({
    id: row.id,
    identity: row.identity,
    resource: row.resource,
    profile: row.profile,
    action: row.action,
    grant: row.grant_id,
    request: row.request_id,
    gateway: row.gateway_id,
    clientAddress: row.client_address,
    tls: row.tls === 1,
    method: row.auth_method,
    // Whether the login's SCRAM proof was bound to its TLS connection; null for sessions recorded before it was kept.
    channelBound: row.channel_bound === null ? null : row.channel_bound === 1,
    openedAt: Number(row.opened_at),
    closedAt: row.closed_at === null ? null : Number(row.closed_at),
    endReason: row.end_reason,
    statements: Number(bySession.get(row.id)?.statements ?? 0),
    refused: Number(bySession.get(row.id)?.refused ?? 0),
  }));
}

/** Everything of the period the store holds; see the module header. */
export async function collectEvidence(trx: Trx, period: Period): Promise<CollectedEvidence> {
  const auditEvents = await collectEvents(trx, period);
  const checkpoints = await collectCheckpoints(trx, auditEvents);

  const requestVersions = await trx
    .selectFrom('requests')
    .select('profile_version')
    .distinct()
    .where('created_at', '>=', period.from)
    .where('created_at', '<', period.to)
    .execute();
  const currentVersions = await trx.selectFrom('profiles').select('current_version').execute();
  const versions = [
    ...new Set([...requestVersions.map((r) => r.profile_version), ...currentVersions.map((r) => r.current_version)]),
  ];
  const profileVersions =
    versions.length === 0
      ? []
      : (
          await trx
            .selectFrom('profile_versions')
            .selectAll()
            .where('version', 'in', versions)
            .orderBy('profile')
            .orderBy('first_loaded_at')
            .execute()
        ).map((row) => ({
          profile: row.profile,
          version: row.version,
          firstLoadedAt: Number(row.first_loaded_at),
          definition: fromJsonText(row.definition),
        }));

  const driftFindings = (
    await trx
      .selectFrom('drift_findings')
      .selectAll()
      .where('first_seen', '<', period.to)
      .where((eb) => eb.or([eb('resolved_at', 'is', null), eb('resolved_at', '>=', period.from)]))
      .orderBy('resource')
      .orderBy('check_name')
      .orderBy('first_seen')
      .execute()
  ).map((row) => ({
    id: row.id,
    resource: row.resource,
    check: row.check_name,
    severity: row.severity,
    status: row.status,
    message: row.message,
    profileVersion: row.profile_version,
    firstSeen: Number(row.first_seen),
    lastSeen: Number(row.last_seen),
    resolvedAt: row.resolved_at === null ? null : Number(row.resolved_at),
  }));

  const campaigns = (
    await trx
      .selectFrom('certification_campaigns')
      .selectAll()
      .where('created_at', '<', period.to)
      .where((eb) => eb.or([eb('closed_at', 'is', null), eb('closed_at', '>=', period.from)]))
      .orderBy('created_at')
      .orderBy('id')
      .execute()
  ).map((row) => ({
    id: row.id,
    name: row.name,
    kinds: fromJsonText<string[]>(row.kinds),
    periodFrom: Number(row.period_from),
    periodTo: Number(row.period_to),
    deadline: Number(row.deadline),
    onMissed: row.on_missed,
    status: row.status,
    createdBy: row.created_by,
    createdAt: Number(row.created_at),
    closedAt: row.closed_at === null ? null : Number(row.closed_at),
  }));
  const items = (
    await trx
      .selectFrom('certification_items')
      .selectAll()
      .where('decided_at', '>=', period.from)
      .where('decided_at', '<', period.to)
      .orderBy('decided_at')
      .orderBy('id')
      .execute()
  ).map((row) => ({
    id: row.id,
    campaign: row.campaign_id,
    kind: row.kind,
    target: row.target,
    status: row.status,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at === null ? null : Number(row.decided_at),
    comment: row.comment,
    enforcement: row.enforcement,
    summary: fromJsonText(row.summary),
  }));

  const sodExceptions = (
    await trx
      .selectFrom('sod_exceptions')
      .selectAll()
      .where('created_at', '<', period.to)
      .where('expires_at', '>=', period.from)
      .orderBy('created_at')
      .orderBy('id')
      .execute()
  ).map(rowToSodException);

  const breakGlass = (
    await trx
      .selectFrom('requests')
      .selectAll()
      .where('break_glass', '=', 1)
      .where('created_at', '>=', period.from)
      .where('created_at', '<', period.to)
      .orderBy('created_at')
      .orderBy('id')
      .execute()
  ).map((row) => ({
    id: row.id,
    requester: row.requester,
    resource: row.resource,
    action: row.action,
    justification: row.justification,
    status: row.status,
    profileVersion: row.profile_version,
    createdAt: Number(row.created_at),
    reviewBy: row.review_by === null ? null : Number(row.review_by),
    reviewedAt: row.reviewed_at === null ? null : Number(row.reviewed_at),
    certifier: row.certifier,
  }));

  const requestApprovals = (
    await trx
      .selectFrom('approvals')
      .selectAll()
      .where('at', '>=', period.from)
      .where('at', '<', period.to)
      .orderBy('at')
      .orderBy('request_id')
      .orderBy('approver')
      .execute()
  ).map((row) => ({
    request: row.request_id,
    approver: row.approver,
    step: row.step,
    digest: row.digest,
    at: Number(row.at),
  }));
  const policyChanges = (
    await trx
      .selectFrom('policy_change_approvals')
      .selectAll()
      .where('at', '>=', period.from)
      .where('at', '<', period.to)
      .orderBy('at')
      .orderBy('change_set_id')
      .orderBy('approver')
      .execute()
  ).map((row) => ({ changeSet: row.change_set_id, approver: row.approver, digest: row.digest, at: Number(row.at) }));

  return {
    auditEvents,
    checkpoints,
    profileVersions,
    driftFindings,
    certifications: { campaigns, items },
    sodExceptions,
    breakGlass,
    approvals: { requests: requestApprovals, policyChanges },
    gatewaySessions: await collectGatewaySessions(trx, period),
  };
}
