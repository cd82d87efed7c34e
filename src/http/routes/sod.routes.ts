/** `GET /v1/sod/conflicts`: the detective separation-of-duties scan over the policy in force (`administer` or `audit`). */
import { scanSodConflicts } from '../../features/governance/index.js';
import type { RouteDeps, ZodFastify } from '../app.js';
import { principalOf } from '../guard.js';
import { sodScanViewSchema } from '../../features/governance/sod-scan.view.js';

export function registerSodRoutes(app: ZodFastify, { app: context }: RouteDeps): void {
  app.get(
    '/v1/sod/conflicts',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['sod'],
        summary:
          "Every current separation-of-duties conflict, suppressed ones with their exception ('administer' or 'audit')",
        response: { 200: sodScanViewSchema },
      },
    },
    async (request) => scanSodConflicts({ app: context, actor: principalOf(request).identity, input: {} }),
  );
}
