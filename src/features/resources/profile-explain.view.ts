/**
 * The shape of a profile explained in words (`ProfileExplanation`): what `countersign policy explain` prints under
 * a profile, as titled sections of lines (`overview`, `baseline` when it has checks, `actions`, `access`).
 * `GET /v1/profiles/{name}/explain` answers it; the console's profile page shows it.
 */
import { z } from 'zod';
import { text } from '../../app/view-fields.js';

export const profileExplanationViewSchema = z
  .object({
    profile: z.string().min(1).max(63),
    version: text(100).describe('the version in force (`GET /v1/profiles/{name}/versions` lists every one)'),
    sections: z
      .array(
        z.object({
          title: text(100),
          // A line may quote a CEL expression or list every holder of a duty: bounded generously, but bounded.
          lines: z.array(text(1_000_000)).max(100_000).readonly(),
        }),
      )
      .max(100)
      .readonly(),
  })
  .meta({ id: 'ProfileExplanation' });

export type ProfileExplanationView = z.infer<typeof profileExplanationViewSchema>;
