/** The public surface of the `chat` feature (issue 13): Slack, Teams and Mattermost; nothing else imports its files. */
export { chatWebhookSender, type ChatWebhookSettings } from './chat-webhook-sender.js';
export { DEFAULT_SLACK_API_URL, type SlackSettings } from './slack-client.js';
export {
  handleSlackInteraction,
  type InteractionLogger,
  type InteractionResult,
  type SlackInteractionInput,
} from './slack-interaction.verb.js';
export { slackSender } from './slack-sender.js';
