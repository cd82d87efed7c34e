/**
 * Small factories for the request verb tests: providers registered for every provider type, request bodies for
 * the example policy (examples/policy), and shortcuts to act as one identity.
 */
import { expect } from 'vitest';
import type { AppContext } from '../../src/app/context.js';
import { AppError } from '../../src/core/errors.js';
import type { CreateRequestInput } from '../../src/features/requests/requests.verbs.js';
import { PROVIDER_TYPES, type ProviderType } from '../../src/policy/model.js';
import type { Provider } from '../../src/providers/provider.js';
import type { AuditRow } from './harness.js';

/** `provider` registered under every provider type, so every example profile reaches it. */
export function everyType(provider: Provider): Map<ProviderType, Provider> {
  return new Map(PROVIDER_TYPES.map((type) => [type, provider]));
}

/** A read of the payments database that the example policy approves by itself (short, by a human). */
export const SHORT_READ: CreateRequestInput = {
  resource: 'payments-db',
  action: 'read',
  duration: '30m',
  justification: 'investigating INC-7',
};

/** A write to the payments database: one independent DBA must approve. */
export const PROD_WRITE: CreateRequestInput = {
  resource: 'payments-db',
  action: 'write',
  duration: '1h',
  justification: 'backfill CHG-12',
};

/** Admin on the payments database: two DBAs, then an independent security engineer. */
export const PROD_ADMIN: CreateRequestInput = {
  resource: 'payments-db',
  action: 'admin',
  duration: '1h',
  justification: 'rotate the owner role',
  ticket: 'CHG-42',
};

/** SQL on the payments database: an independent DBA, then security. */
export const PROD_SQL: CreateRequestInput = {
  resource: 'payments-db',
  action: 'run-sql',
  duration: '10m',
  justification: 'fix merchant 42',
  ticket: 'CHG-7',
  params: { sql: 'update merchants set tier = 2 where id = 42' },
};

export function as(app: AppContext, actor: string) {
  return <I>(input: I) => ({ app, actor, input });
}

export function eventsOf(events: readonly AuditRow[], action: string, subject?: string): AuditRow[] {
  return events.filter((event) => event.action === action && (subject === undefined || event.subject === subject));
}

/** The `AppError` a verb call fails with (fails the test when it succeeds or throws anything else). */
export async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}
