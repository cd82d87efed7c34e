/**
 * Fixtures for the execute and provisioning attack tests: a small policy built with the factories (one team that
 * may request, a noop-provided profile with an auto-approved `execute` action and an auto-approved `grant`
 * action), an audit log whose appends can be made to fail, and a provider whose failures carry row data.
 */
import { AuditLog } from '../../src/audit/store/audit-log.js';
import type { AuditRecord, NewAuditEvent } from '../../src/audit/audit-event.js';
import { AppError } from '../../src/core/errors.js';
import type { PolicySet, ProviderType, ResourceProfile } from '../../src/policy/model.js';
import { NoopProvider } from '../../src/providers/noop/noop-provider.js';
import type { ExecuteResult, GrantResult, ProviderCall } from '../../src/providers/provider.js';
import type { Transaction } from 'kysely';
import type { Schema } from '../../src/store/schema.js';
import { human, makePolicy, step } from '../factories/policy.factory.js';
import { makeAction, makeApprovalRule, makeProfile, makeResource } from '../factories/profile.factory.js';

/** Row data a failing provider leaks in its error text, as PostgreSQL's unique-violation message does. */
export const ROW_DATA = 'secret.person@example.org';
export const LEAKY_MESSAGE = `duplicate key value violates unique constraint "users_email_key": Key (email)=(${ROW_DATA}) already exists.`;

/**
 * Profile `db`: `run` executes as `app_rw` and `read` grants `grantRole` (at most 2h), both approved by policy;
 * `write` grants `app_rw` (at most 4h) once a `dba` approves. Its definition is written the way the loader keeps
 * it (provider and action settings as in YAML), so that its version changes with what it provisions.
 */
export function dbProfile(grantRole = 'analytics_ro', providerType: ProviderType = 'noop'): ResourceProfile {
  const auto = [makeApprovalRule({ name: 'routine', outcome: { type: 'auto' } })];
  return makeProfile({
    name: 'db',
    provider: { type: providerType, settings: {} },
    definition: {
      name: 'db',
      provider: { type: providerType },
      actions: {
        run: { execute: { role: 'app_rw' } },
        read: { grant: { role: grantRole } },
        write: { grant: { role: 'app_rw' } },
      },
    },
    actions: [
      makeAction({
        name: 'run',
        grant: undefined,
        execute: { role: 'app_rw' },
        maxDurationSeconds: 3600,
        requireJustification: false,
        approval: auto,
      }),
      makeAction({
        name: 'read',
        grant: { role: grantRole },
        maxDurationSeconds: 2 * 3600,
        requireJustification: false,
        approval: auto,
      }),
      makeAction({
        name: 'write',
        grant: { role: 'app_rw' },
        maxDurationSeconds: 4 * 3600,
        requireJustification: false,
        approval: [makeApprovalRule({ name: 'a-dba', outcome: { type: 'steps', steps: [step(['group:dba'])] } })],
      }),
    ],
  });
}

/**
 * `alice` and `bob` (team `eng`) may request on profile `db` (see `dbProfile`), bound to resource `db-1`; `carol`
 * (team `dba`) approves.
 */
export function executePolicy(grantRole = 'analytics_ro', providerType: ProviderType = 'noop'): PolicySet {
  return makePolicy({
    identities: [human('alice', ['eng']), human('bob', ['eng']), human('carol', ['dba'])],
    roles: [
      { name: 'engineers', duties: ['request'], subjects: ['group:eng'] },
      { name: 'dbas', duties: ['approve'], subjects: ['group:dba'] },
    ],
    profiles: [dbProfile(grantRole, providerType)],
    resources: [makeResource({ name: 'db-1', profile: 'db' })],
  });
}

/** An audit log that fails its next `failures` appends, like a store that went away for a moment. */
export class BreakableAuditLog extends AuditLog {
  failures = 0;

  override async append(trx: Transaction<Schema>, events: readonly NewAuditEvent[]): Promise<AuditRecord[]> {
    if (this.failures > 0 && events.length > 0) {
      this.failures -= 1;
      throw new AppError('audit_unavailable', 'the audit log could not be written, so nothing was changed');
    }
    return super.append(trx, events);
  }
}

/** A provider whose grant and execute fail with an error that carries row data. */
export class LeakyProvider extends NoopProvider {
  override async grant(_call: ProviderCall): Promise<GrantResult> {
    throw new Error(LEAKY_MESSAGE);
  }

  override async execute(_call: ProviderCall): Promise<ExecuteResult> {
    throw new Error(LEAKY_MESSAGE);
  }
}
