/**
 * What an identity may ask for (`GET /v1/requestable`, `Requestable`): each resource with the actions it may
 * request, their risk and maximum duration, the JSON schema of their parameters (the console builds the form
 * from it) and whether break-glass covers them. Filtered by the same entitlement `POST /v1/requests` checks.
 */
import { z } from 'zod';
import { CLASSIFICATIONS, RISKS } from '../../policy/model.js';
import { text } from '../../app/view-fields.js';

/** Largest page of requestable resources. */
export const MAX_REQUESTABLE_PAGE = 200;

export const requestableResourceViewSchema = z
  .object({
    resource: z.object({ id: text(200), profile: text(200), classification: z.enum(CLASSIFICATIONS) }),
    actions: z
      .array(
        z.object({
          name: text(100),
          risk: z.enum(RISKS),
          description: text(2000).optional(),
          maxDuration: text(32),
          maxDurationSeconds: z.number().int(),
          paramsSchema: z
            .record(text(200), z.unknown())
            .optional()
            .describe("the JSON schema of the action's parameters, when it takes any"),
          requireJustification: z.boolean(),
          /** The pattern a ticket must match, when the action needs one. */
          ticketPattern: text(1000).optional(),
          request: z.boolean().describe('may be asked for through POST /v1/requests'),
          breakGlass: z.boolean().describe("the profile's break-glass covers it for you (POST /v1/break-glass)"),
        }),
      )
      .max(500)
      .readonly(),
  })
  .meta({ id: 'RequestableResource' });

export type RequestableResourceView = z.infer<typeof requestableResourceViewSchema>;

export const requestableViewSchema = z
  .object({
    resources: z.array(requestableResourceViewSchema).max(MAX_REQUESTABLE_PAGE).readonly(),
    nextCursor: text(300).optional(),
  })
  .meta({ id: 'Requestable' });

export type RequestableView = z.infer<typeof requestableViewSchema>;
