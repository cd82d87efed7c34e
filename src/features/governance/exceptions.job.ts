/** The scheduler's job for SoD exceptions: those past their expiry end, each with its own audit event. */
import type { AppContext } from '../../app/context.js';
import type { JobOptions } from '../../app/job-options.js';
import { inTransaction } from '../../app/transaction.js';
import { dueExceptions, markExceptionRevoked } from './exceptions.repo.js';

/** Ends SoD exceptions past their expiry (`revoked_by` is the scheduler), each with an `exception.expire` event. */
export async function expireSodExceptions(app: AppContext, now: number, options: JobOptions): Promise<number> {
  const { value } = await inTransaction(app, async ({ trx, audit, notify }) => {
    let expired = 0;
    for (const exception of await dueExceptions(trx, now, options.batchSize)) {
      // It ended at its expiry, not when the scheduler noticed.
      if (!(await markExceptionRevoked(trx, exception.id, options.actor, exception.expiresAt))) continue;
      expired += 1;
      const details = { rule: exception.rule, identity: exception.identity, expiresAt: exception.expiresAt };
      audit({ actor: options.actor, action: 'exception.expire', subject: `exception:${exception.id}`, details });
      notify('exception.expire', { exceptionId: exception.id, ...details });
    }
    return expired;
  });
  return value;
}
