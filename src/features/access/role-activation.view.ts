/**
 * The one shape of a role activation outside the application: every role activation verb returns it,
 * `/v1/role-activations` answers it (`RoleActivation` in the OpenAPI document) and `countersign role` prints it.
 * Times are ISO 8601.
 */
import { z } from 'zod';
import { isoTime, text } from '../../app/view-fields.js';

export const ROLE_ACTIVATION_STATUSES = [
  'pending',
  'active',
  'expired',
  'revoked',
  'denied',
  'cancelled',
  'timed_out',
] as const;

export const roleActivationViewSchema = z
  .object({
    id: text(100),
    requester: text(200),
    role: text(200),
    status: z.enum(ROLE_ACTIVATION_STATUSES),
    statusReason: text(2000).optional(),
    duration: text(32),
    durationSeconds: z.number().int(),
    justification: text(4000).optional(),
    ticket: text(200).optional(),
    rule: text(200),
    steps: z
      .array(
        z.object({ from: z.array(text(220)).max(100).readonly(), count: z.number().int(), independent: z.boolean() }),
      )
      .max(50)
      .readonly(),
    approvals: z
      .array(z.object({ approver: text(200), step: z.number().int(), at: isoTime }))
      .max(100)
      .readonly(),
    createdAt: isoTime,
    pendingUntil: isoTime.optional(),
    activatedAt: isoTime.optional(),
    expiresAt: isoTime.optional(),
    endedAt: isoTime.optional(),
    endedBy: text(200).optional(),
  })
  .meta({ id: 'RoleActivation' });

export type RoleActivationView = z.infer<typeof roleActivationViewSchema>;
