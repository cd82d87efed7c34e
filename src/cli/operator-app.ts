/**
 * The application an operator command runs with direct database access (`token issue`, `certify restore`): the
 * policy last loaded into the database, the server's audit HMAC and data keys (so audit details are sealed exactly
 * as the server does, see `audit-keys.ts`; it never creates a key file, the server does), and no providers. Its verbs are audited as `system:operator`.
 */
import { defaultKeysDir, loadAuditKeys } from '../audit/store/audit-keys.js';
import { AuditLog } from '../audit/store/audit-log.js';
import { systemClock } from '../core/clock.js';
import type { AppContext } from '../app/context.js';
import { ChangeFeed } from '../app/change-events.js';
import { StorePolicyRuntime } from '../app/policy-runtime.js';
import { restorePolicy } from '../features/governance/index.js';
import { AppError } from '../core/errors.js';
import { resolveDatabaseUrl, withDatabase } from './db.commands.js';

export interface OperatorAppOptions {
  readonly db?: string;
  readonly keys?: string;
}

/** Runs `work` with the operator's application over `--db`, closing the database afterwards. */
export async function withOperatorApp<T>(
  options: OperatorAppOptions,
  work: (app: AppContext) => Promise<T>,
): Promise<T> {
  const url = resolveDatabaseUrl(options.db);
  const keysDir = options.keys ?? defaultKeysDir(url);
  return withDatabase(url, async (database) => {
    const restored = await restorePolicy(database);
    if (!restored) {
      throw new AppError('invalid', 'no policy was ever loaded into this database: run `countersign serve` first');
    }
    const { hmacKey, dataKey } = await loadAuditKeys(keysDir);
    return work({
      database,
      clock: systemClock,
      auditLog: new AuditLog(database.dialect, hmacKey, { dataKey }),
      policy: new StorePolicyRuntime(restored.policy),
      providers: new Map(),
      // A command keeps no cache and runs no worker, so nobody listens; a running server learns of its changes as
      // of another replica's (the check poll, the token cache's TTL).
      changes: new ChangeFeed(),
    });
  });
}
