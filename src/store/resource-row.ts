/**
 * The one mapping from a stored `resources` row to the policy's `Resource`: read by the policy runtime (which
 * overlays API-registered resources on the files) and by the resources feature.
 */
import type { Resource, SubjectRef } from '../policy/model.js';
import { fromJsonText } from './columns.js';
import type { Row } from './schema.js';

function parseSubject(text: string): SubjectRef | undefined {
  const match = /^(group|identity):(.+)$/.exec(text);
  return match ? { type: match[1] as 'group' | 'identity', name: match[2] as string } : undefined;
}

/**
 * A stored resource as the policy sees it. A resource registered through the API connects only through an
 * allow-listed connection (stored with its `name`); a free-form one written before the allow-list existed is
 * dropped, so it can never point a provider at a variable or file of the host that nobody allow-listed.
 */
export function rowToResource(row: Row<'resources'>): Resource {
  const owner = row.owner === null ? undefined : parseSubject(row.owner);
  const connection = fromJsonText<Record<string, string>>(row.connection);
  return {
    name: row.name,
    profile: row.profile,
    labels: fromJsonText(row.labels),
    ...(owner ? { owner } : {}),
    connection: row.source === 'api' && connection.name === undefined ? {} : connection,
    attributes: fromJsonText(row.attributes),
  };
}
