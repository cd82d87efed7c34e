/**
 * The answer of `POST /v1/check` (`CheckAnswer` in the OpenAPI document): whether the identity may do the
 * action on the resource now, why, and the grant that allows it.
 */
import { z } from 'zod';
import { CHECK_REASON_CODES } from '../../decide/check.decide.js';
import { text } from '../../app/view-fields.js';

export const checkAnswerViewSchema = z
  .object({
    allowed: z.boolean(),
    reason: z.object({
      code: text(100).describe(`one of ${CHECK_REASON_CODES.join(', ')}`),
      message: text(2000),
    }),
    grantId: text(100).optional(),
  })
  .meta({ id: 'CheckAnswer' });

export type CheckAnswerView = z.infer<typeof checkAnswerViewSchema>;
