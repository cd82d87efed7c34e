/** `POST /v1/evidence`: a signed evidence bundle of a period (SPEC §2.10), for `audit` holders without `administer`. */
import { z } from 'zod';
import { exportEvidence } from '../../features/evidence/index.js';
import type { RouteDeps, ZodFastify } from '../app.js';
import { principalOf } from '../guard.js';

const instant = z
  .union([z.number().int().min(0), z.string().min(1).max(40)])
  .describe('epoch milliseconds, an ISO date (a date-only `to` includes that whole day) or an ISO date-time');

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
