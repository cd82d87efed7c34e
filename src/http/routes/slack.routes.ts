/**
 * `POST /v1/integrations/slack/interactions` (issue 13): where Slack sends a press of Approve or Deny. Not
 * authenticated by a bearer token — Slack has none of ours — but by Slack's request signature over the raw body,
 * which `handleSlackInteraction` verifies before it reads anything else (`features/chat`). So that the signature
 * can be checked on the exact bytes Slack signed, this route's form body is kept as the raw string (a scoped parser:
 * every other route parses as before). An unsigned, wrongly signed or stale request answers 401 and changes
 * nothing; a genuine one answers 200 whatever the decision (Slack shows nothing of the answer; the presser hears a
 * refusal ephemerally).
 */
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { handleSlackInteraction } from '../../features/chat/index.js';
import type { RouteDeps, ZodFastify } from '../app.js';

/** Slack's interaction payloads are a few kilobytes; this bounds what is hashed before the signature is known. */
export const SLACK_BODY_LIMIT = 64 * 1024;

const answerSchema = z
  .object({
    outcome: z.enum(['approved', 'denied', 'refused', 'ignored']),
    message: z.string().max(4000).optional().describe('the reason, when refused'),
  })
  .meta({ id: 'SlackInteractionAnswer' });

export function registerSlackRoutes(app: ZodFastify, { app: context, slack }: RouteDeps): void {
  void app.register(async (scope) => {
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: SLACK_BODY_LIMIT },
      (_request, body, done) => done(null, typeof body === 'string' ? body : body.toString('utf8')),
    );
    scope.withTypeProvider<ZodTypeProvider>().post(
      '/v1/integrations/slack/interactions',
      {
        config: { access: 'public', problems: ['unauthenticated'] },
        bodyLimit: SLACK_BODY_LIMIT,
        schema: {
          tags: ['integrations'],
          operationId: 'postSlackInteraction',
          summary: 'Slack interactivity: Approve or Deny pressed in a Countersign message',
          description:
            "Authenticated by Slack's request signature (`X-Slack-Signature`, `X-Slack-Request-Timestamp`, the " +
            'signing secret of a `slack` notifier), not by a bearer token. The decision runs as the identity mapped ' +
            'from the Slack user, through the same approval and denial as the API.',
          consumes: ['application/x-www-form-urlencoded'],
          body: z.string().max(SLACK_BODY_LIMIT),
          response: { 200: answerSchema },
        },
      },
      async (request) => {
        const header = (name: string) => {
          const value = request.headers[name];
          return typeof value === 'string' ? value : undefined;
        };
        const result = await handleSlackInteraction(
          context,
          slack,
          {
            rawBody: request.body,
            timestamp: header('x-slack-request-timestamp'),
            signature: header('x-slack-signature'),
          },
          request.log,
        );
        return result.outcome === 'refused'
          ? { outcome: result.outcome, message: result.message }
          : { outcome: result.outcome };
      },
    );
  });
}
