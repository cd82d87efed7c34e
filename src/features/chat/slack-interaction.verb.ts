/**
 * A press of Approve or Deny in Slack (`POST /v1/integrations/slack/interactions`, issue 13). Nothing here trusts
 * the caller until Slack's signature over the raw body verifies under the signing secret of a `slack` notifier
 * (timestamp within five minutes); a request whose signature was already accepted is a replay and is refused.
 * The Slack user then becomes an identity (its declared `slack` id, or the one identity with the e-mail address
 * Slack confirmed through `users.info`) — an enabled human, or the press is refused — and the decision runs as
 * that person through the very verbs of the API (`approveRequest` with the digest the message showed, or
 * `denyRequest`), so separation of duties, eligibility and digests apply unchanged and every refusal is in the
 * decision log. The outcome rewrites the messages about the request (`chat.update`); a refusal is answered to the
 * presser alone (`chat.postEphemeral`) with the server's reason.
 */
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import type { AppContext } from '../../app/context.js';
import { refuse } from '../../app/refuse.js';
import { readWithSnapshot } from '../../app/snapshot.queries.js';
import type { Reason } from '../../core/decision.js';
import { AppError, isAppError } from '../../core/errors.js';
import { matchChatUser } from '../../decide/chat-audience.decide.js';
import type { Identity, SlackNotifier } from '../../policy/model.js';
import { approveRequest, denyRequest, type RequestView } from '../requests/index.js';
import { rememberSignature } from './chat-messages.repo.js';
import { APPROVE_ACTION, DENY_ACTION } from './slack-blocks.js';
import { envOf, slackClient, slackFailure, type SlackSettings } from './slack-client.js';
import { verifySlackSignature } from './slack-signature.js';
import { refreshRequestMessages } from './slack-updates.js';

export interface SlackInteractionInput {
  /** The request body exactly as received (the signature covers these bytes). */
  readonly rawBody: string;
  readonly timestamp: string | undefined;
  readonly signature: string | undefined;
}

/** The slice of a logger (pino's shape) the handler writes to. */
export interface InteractionLogger {
  warn(fields: Readonly<Record<string, unknown>>, message: string): void;
}

export type InteractionResult =
  | { readonly outcome: 'approved' | 'denied'; readonly identity: string; readonly request: RequestView }
  | { readonly outcome: 'refused'; readonly message: string }
  | { readonly outcome: 'ignored' };

const slackId = z.string().regex(/^[A-Z0-9]{2,32}$/);
const payloadSchema = z.object({
  type: z.string().max(100),
  user: z.object({ id: slackId }),
  team: z.object({ id: slackId }).optional(),
  channel: z.object({ id: slackId }).optional(),
  container: z.object({ channel_id: slackId.optional(), message_ts: z.string().max(40).optional() }).optional(),
  actions: z.array(z.object({ action_id: z.string().max(255), value: z.string().max(2000).optional() })).max(5),
});
const buttonSchema = z.strictObject({
  request: z.string().min(1).max(100),
  digest: z.string().regex(/^[0-9a-f]{64}$/),
});

/**
 * Handles one interaction request. Throws `unauthenticated` when no signing secret verifies it (nothing else is
 * read, nothing is recorded but a log line: the caller may be anyone); otherwise answers what happened, having
 * recorded every refusal.
 */
export async function handleSlackInteraction(
  app: AppContext,
  settings: SlackSettings,
  input: SlackInteractionInput,
  logger?: InteractionLogger,
): Promise<InteractionResult> {
  const now = app.clock.now();
  const notifier = authenticate(app, settings, input, now, logger);
  const payload = parsePayload(input.rawBody);
  const user = payload?.user.id ?? 'unknown';
  const actor = `slack:${user}`;
  const client = slackClient(settings, notifier);
  const channel = payload?.container?.channel_id ?? payload?.channel?.id;
  const answer = async (message: string): Promise<InteractionResult> => {
    if (!('error' in client) && channel !== undefined && payload !== undefined) {
      try {
        await client.chat.postEphemeral({ channel, user, text: `Countersign refused: ${message}` });
      } catch (error) {
        logger?.warn(
          { notifier: notifier.name, error: slackFailure('chat.postEphemeral', error) },
          'slack reply failed',
        );
      }
    }
    return { outcome: 'refused', message };
  };
  const refused = async (subject: string, reason: Reason, details: Record<string, unknown> = {}) => {
    const error = await refuse(app, {
      actor,
      action: 'chat.interaction_refused',
      subject,
      refusal: { kind: reason.code === 'chat.unknown_action' ? 'invalid' : 'forbidden', reasons: [reason] },
      otherwise: 'the Slack interaction was refused',
      details: { slackUser: user, ...(payload?.team ? { slackTeam: payload.team.id } : {}), ...details },
    });
    return answer(error.message);
  };

  const signature = input.signature ?? '';
  if (!(await rememberSignature(app.database.db, signature, Number(input.timestamp) * 1000, now))) {
    return refused('integration:slack', {
      code: 'chat.replayed',
      message: 'this Slack request was already received: a replay is refused',
    });
  }
  const action = payload?.actions[0];
  if (payload === undefined || payload.type !== 'block_actions' || action === undefined) return { outcome: 'ignored' };
  if (action.action_id !== APPROVE_ACTION && action.action_id !== DENY_ACTION) return { outcome: 'ignored' };
  const button = parseButton(action.value);
  if (button === undefined) {
    return refused('integration:slack', { code: 'chat.unknown_action', message: 'the button carries no request' });
  }
  const subject = `request:${button.request}`;
  const person = await identify(app, client, user);
  if ('refused' in person) return refused(subject, person.refused);

  try {
    const view =
      action.action_id === APPROVE_ACTION
        ? await approveRequest({
            app,
            actor: person.identity.name,
            input: { id: button.request, digest: button.digest, comment: 'approved in Slack' },
          })
        : await denyRequest({
            app,
            actor: person.identity.name,
            input: { id: button.request, reason: `denied in Slack by '${person.identity.name}'` },
          });
    const outcome = action.action_id === APPROVE_ACTION ? 'approved' : 'denied';
    if (!('error' in client)) {
      const text = outcomeLine(outcome, person.identity.name, view);
      const { failures } = await refreshRequestMessages(
        app,
        client,
        notifier,
        button.request,
        text,
        settings.publicUrl,
      );
      if (failures.length > 0) logger?.warn({ notifier: notifier.name, failures }, 'slack messages not all updated');
    }
    return { outcome, identity: person.identity.name, request: view };
  } catch (error) {
    // The verb recorded its refusal (`request.approve_refused`, …) in the decision log; the presser hears why.
    if (isAppError(error)) return answer(error.message);
    throw error;
  }
}

/** The `slack` notifier whose signing secret verifies the request; `unauthenticated` when none does. */
function authenticate(
  app: AppContext,
  settings: SlackSettings,
  input: SlackInteractionInput,
  now: number,
  logger: InteractionLogger | undefined,
): SlackNotifier {
  const env = envOf(settings);
  let reason = 'no slack notifier with a signing secret is configured';
  for (const notifier of app.policy.notifiers()) {
    if (notifier.type !== 'slack') continue;
    const secret = env[notifier.signingSecretEnv];
    if (!secret) continue;
    const check = verifySlackSignature({ ...input, secrets: [secret], nowMs: now });
    if (check.ok) return notifier;
    reason = check.reason;
  }
  // Logged, not audited: anyone can send this, and the audit log is not theirs to grow.
  logger?.warn({ reason }, 'a Slack interaction request was refused: its signature does not verify');
  throw new AppError('unauthenticated', 'the Slack request signature does not verify', {});
}

function parsePayload(rawBody: string): z.infer<typeof payloadSchema> | undefined {
  try {
    const payload = new URLSearchParams(rawBody).get('payload');
    if (payload === null) return undefined;
    const parsed = payloadSchema.safeParse(JSON.parse(payload));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function parseButton(value: string | undefined): z.infer<typeof buttonSchema> | undefined {
  try {
    const parsed = buttonSchema.safeParse(JSON.parse(value ?? ''));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The identity of Slack user `user`: by declared id, else by the e-mail Slack confirmed (`users.info`). */
async function identify(
  app: AppContext,
  client: WebClient | { readonly error: string },
  user: string,
): Promise<{ readonly identity: Identity } | { readonly refused: Reason }> {
  const identities = await readWithSnapshot(app, async ({ snapshot }) => [...snapshot.policy.identities.values()]);
  const byId = matchChatUser(identities, { slackId: user });
  if (!('refused' in byId) || byId.refused.code !== 'chat.unknown_user' || 'error' in client) return byId;
  let email: string | undefined;
  let confirmed = false;
  try {
    const info = await client.users.info({ user });
    email = info.user?.profile?.email;
    confirmed = info.user?.is_email_confirmed === true && info.user.deleted !== true && info.user.is_bot !== true;
  } catch {
    // Unknown to Slack, or Slack did not answer: the press is refused as from an unknown user.
  }
  return matchChatUser(identities, {
    slackId: user,
    ...(email !== undefined ? { email } : {}),
    emailConfirmed: confirmed,
  });
}

function outcomeLine(outcome: 'approved' | 'denied', identity: string, view: RequestView): string {
  if (outcome === 'denied') return `⛔ Denied by ${identity}${view.statusReason ? `: ${view.statusReason}` : ''}`;
  if (view.status === 'approved') return `✅ Approved by ${identity}: the request is approved`;
  const step = view.currentStep !== undefined ? `; waiting for step ${view.currentStep} of ${view.steps.length}` : '';
  return `✅ ${identity} approved${step}`;
}
