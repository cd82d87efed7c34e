/** `POST /v1/evidence`: a signed evidence bundle of a period (SPEC §2.10), for `audit` holders without `administer`. */
import { z } from 'zod';
import { exportEvidence } from '../../features/evidence/index.js';
import type { RouteDeps, ZodFastify } from '../app.js';
import { principalOf } from '../guard.js';
import { isoDate, isoTime } from './route-schemas.js';

const instant = z
  .union([isoDate, isoTime])
  .describe('an ISO 8601 date (a date-only `to` includes that whole day) or an RFC 3339 date-time with its zone');

const exportBody = z.object({ from: instant, to: instant }).strict();

// The bundle is passed through untouched: its sections are signed, so the response must not reshape them.
const bundleSchema = z
  .record(z.string().max(100), z.unknown())
  .describe('a countersign.dev/evidence-bundle/v1 document: manifest, signature and sections')
  .meta({ id: 'EvidenceBundle' });

export function registerEvidenceRoutes(app: ZodFastify, { app: context }: RouteDeps): void {
  app.post(
    '/v1/evidence',
    {
      config: { access: 'audit' },
      schema: {
        tags: ['audit'],
        operationId: 'exportEvidence',
        summary: 'Export the signed evidence bundle of a period (verify it offline with `evidence verify`)',
        body: exportBody,
        response: { 200: bundleSchema },
      },
    },
    async (request) => {
      const bundle = await exportEvidence({
        app: context,
        actor: principalOf(request).identity,
        input: request.body,
      });
      return bundle as unknown as Record<string, unknown>;
    },
  );
}
