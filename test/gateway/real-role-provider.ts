/**
 * The postgres provider's job, for real, in the gateway tests that run Countersign's own wiring: a login role
 * on the shared server (database `test`) for each grant, which the user never sees; `grants` are run for each new
 * role (`${role}` stands for its name). A revoke ends the role's sessions as the postgres provider's does (they
 * read FATAL 57P01 from the server, usually before the gateway heard of the revoke). `dropRoles` removes the
 * roles after the test.
 */
import type { JsonObject } from '../../src/audit/audit-event.js';
import type { GrantResult, ProviderCall } from '../../src/providers/provider.js';
import { PasswordProvider } from '../features/sessions/gateway-fixtures.js';
import { adminSql } from './admin-sql.js';

export class RealRoleProvider extends PasswordProvider {
  readonly roles: string[] = [];

  constructor(private readonly grants: readonly string[] = []) {
    super();
  }

  override async grant(call: ProviderCall): Promise<GrantResult> {
    const issued = await super.grant(call);
    const role = `cs_gw_${this.roles.length}_${Date.now()}`;
    const password = String(issued.credential?.['password']);
    await adminSql(`create role ${role} login password '${password}'`);
    this.roles.push(role);
    for (const sql of this.grants) await adminSql(sql.replaceAll('${role}', role), 'test');
    return { ...issued, handle: { role }, credential: { ...issued.credential, username: role, database: 'test' } };
  }

  /** As the postgres provider revokes (`dropManagedRole`): no new login, then the role's sessions are ended. */
  override async revoke(handle: JsonObject = {}): Promise<void> {
    const role = String(handle['role']);
    if (!this.roles.includes(role)) return;
    await adminSql(`alter role ${role} nologin`);
    await adminSql(`select pg_terminate_backend(pid) from pg_stat_activity where usename = '${role}'`);
  }

  async dropRoles(): Promise<void> {
    for (const role of this.roles) {
      await adminSql(`drop owned by ${role}`, 'test').catch(() => undefined);
      await adminSql(`drop role if exists ${role}`).catch(() => undefined);
    }
  }
}
