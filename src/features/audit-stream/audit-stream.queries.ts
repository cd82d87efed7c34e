/**
 * Reads of the audit streams' progress: each sink's cursor against the log's head, as the status view
 * (`GET /v1/audit/streams`, `audit` duty) and the lag metrics (`server/metrics-feed.ts`) use it. Computed from
 * the database, so every replica reports the same numbers.
 */
import type { Kysely } from 'kysely';
import type { AppContext } from '../../app/context.js';
import { iso, isoOrNull } from '../../app/view-fields.js';
import { readAuditHead } from '../../audit/store/audit-store.js';
import { toStoreError } from '../../store/errors.js';
import type { Schema } from '../../store/schema.js';
import type { AuditStreamsView } from './audit-stream.view.js';
import { readCursors, type CursorRow } from './cursors.repo.js';

export interface StreamLag {
  readonly sink: string;
  readonly deliveredSeq: number;
  readonly lagEvents: number;
  /** Age of the oldest event the sink has not acknowledged; 0 when caught up. */
  readonly lagSeconds: number;
}

async function eventTime(db: Kysely<Schema>, seq: number): Promise<number | undefined> {
  const row = await db.selectFrom('audit_events').select('time').where('seq', '=', seq).executeTakeFirst();
  return row === undefined ? undefined : Number(row.time);
}

/**
 * The lag of each sink named (a sink that never ran yet has delivered nothing: its lag is the whole log), and
 * the head of the log.
 */
export async function readStreamLags(
  db: Kysely<Schema>,
  sinks: readonly string[],
  now: number,
): Promise<{ headSeq: number; lags: StreamLag[]; cursors: CursorRow[] }> {
  const head = await readAuditHead(db);
  const cursors = await readCursors(db);
  const lags: StreamLag[] = [];
  for (const sink of sinks) {
    const deliveredSeq = cursors.find((cursor) => cursor.sink === sink)?.deliveredSeq ?? 0;
    const lagEvents = Math.max(0, head.seq - deliveredSeq);
    const oldest = lagEvents === 0 ? undefined : await eventTime(db, deliveredSeq + 1);
    lags.push({
      sink,
      deliveredSeq,
      lagEvents,
      lagSeconds: oldest === undefined ? 0 : Math.max(0, now - oldest) / 1000,
    });
  }
  return { headSeq: head.seq, lags, cursors };
}

/** Every sink that has a cursor, with its lag (`audit` duty is checked by the route). */
export async function readAuditStreams(app: AppContext): Promise<AuditStreamsView> {
  try {
    const db = app.database.db;
    const cursorNames = (await readCursors(db)).map((cursor) => cursor.sink);
    const { headSeq, lags, cursors } = await readStreamLags(db, cursorNames, app.clock.now());
    return {
      headSeq,
      streams: cursors.slice(0, 100).map((cursor) => {
        const lag = lags.find((entry) => entry.sink === cursor.sink);
        return {
          sink: cursor.sink,
          kind: cursor.kind,
          target: cursor.target,
          deliveredSeq: cursor.deliveredSeq,
          deliveredAt: isoOrNull(cursor.deliveredAt),
          lagEvents: lag?.lagEvents ?? 0,
          lagSeconds: lag?.lagSeconds ?? 0,
          consecutiveFailures: cursor.consecutiveFailures,
          lastError: cursor.lastError,
          lastErrorAt: cursor.lastErrorAt === null ? null : iso(cursor.lastErrorAt),
        };
      }),
    };
  } catch (error) {
    throw toStoreError(error);
  }
}
