/**
 * `countersign certify …` (SPEC §2.9): access reviews over the HTTP API — list and open campaigns, show a
 * campaign's items, keep or revoke an item (a revoke is enforced at once), and review break-glass uses within
 * their profile's `reviewWithin`. The server refuses a certifier who holds, requested or approved what is under
 * review (exit 1, with its reason).
 */
import { Option, type Command } from 'commander';
import type {
  BreakGlassReviewResultView,
  BreakGlassReviewView,
  CampaignDetailView,
  CampaignView,
  CertificationDecisionView,
} from '../features/certifications/certification.view.js';
import { AppError } from '../core/errors.js';
import { CERTIFICATION_ITEM_KINDS, type CertificationItemKind } from '../decide/certification.decide.js';
import { collect, positiveInteger, withClientOptions, type ClientCommandOptions } from './client/client-options.js';
import { registerCertifyRestoreCommand } from './certify-restore.commands.js';
import { campaignDetail, campaignTable, createdLine, decidedLine, reviewTable } from './client/certify-text.js';
import { apiClient, type ApiClient } from './client/http-client.js';
import { parseInstant } from './client/instants.js';
import { EXIT_OK, type CommandResult, type RunCommand } from './exit-codes.js';
import { printJson, printLines } from './output.js';

const CAMPAIGN_STATUSES = ['open', 'closed'] as const;
const ITEM_STATUSES = ['pending', 'escalated', 'kept', 'revoked'] as const;
const REVIEW_STATUSES = ['unreviewed', 'overdue', 'all'] as const;

function campaignPath(id: string): string {
  return `/v1/certifications/${encodeURIComponent(id)}`;
}

export interface CampaignsOptions extends ClientCommandOptions {
  readonly status?: (typeof CAMPAIGN_STATUSES)[number];
}

/** `certify campaigns`: newest first, with their progress. */
export async function campaignsCommand(options: CampaignsOptions): CommandResult {
  const { campaigns } = await apiClient(options).get<{ campaigns: CampaignView[] }>('/v1/certifications', {
    status: options.status,
  });
  if (options.json) printJson({ campaigns });
  else printLines(campaigns.length === 0 ? ['no certification campaigns'] : campaignTable(campaigns));
  return EXIT_OK;
}

export interface CreateOptions extends ClientCommandOptions {
  readonly name: string;
  readonly kinds: readonly string[];
  readonly from: string;
  readonly to: string;
  readonly deadline: string;
  readonly onMissed?: 'revoke' | 'escalate';
}

function parseKinds(values: readonly string[]): CertificationItemKind[] {
  const kinds = values.flatMap((value) => value.split(',')).map((value) => value.trim().replace(/-/g, '_'));
  for (const kind of kinds) {
    if (!(CERTIFICATION_ITEM_KINDS as readonly string[]).includes(kind)) {
      throw new AppError(
        'invalid',
        `'${kind.slice(0, 50)}' is not a kind of certification item (${CERTIFICATION_ITEM_KINDS.join(', ')})`,
      );
    }
  }
  return [...new Set(kinds)] as CertificationItemKind[];
}

/** `certify create`: opens a campaign; the server generates its items at once. */
export async function createCommand(options: CreateOptions, nowMs: number): CommandResult {
  const body = {
    name: options.name,
    kinds: parseKinds(options.kinds),
    // The API reads times as RFC 3339, like every other input.
    period: {
      from: new Date(parseInstant('--from', options.from, 'past', nowMs)).toISOString(),
      to: new Date(parseInstant('--to', options.to, 'past', nowMs)).toISOString(),
    },
    deadline: new Date(parseInstant('--deadline', options.deadline, 'future', nowMs)).toISOString(),
    ...(options.onMissed === undefined ? {} : { onMissed: options.onMissed }),
  };
  const campaign = await apiClient(options).post<CampaignDetailView>('/v1/certifications', body);
  if (options.json) printJson(campaign);
  else printLines([createdLine(campaign)]);
  return EXIT_OK;
}

export interface ShowOptions extends ClientCommandOptions {
  readonly status?: (typeof ITEM_STATUSES)[number];
}

/** `certify show CAMPAIGN`: the campaign's terms and its items (only those of one status with `--status`). */
export async function showCommand(id: string, options: ShowOptions): CommandResult {
  const campaign = await apiClient(options).get<CampaignDetailView>(campaignPath(id));
  const shown =
    options.status === undefined
      ? campaign
      : { ...campaign, items: campaign.items.filter((i) => i.status === options.status) };
  if (options.json) printJson(shown);
  else printLines(campaignDetail(shown));
  return EXIT_OK;
}

/**
 * The campaign an item belongs to. The decide route names both; item ids are unique, so without `--campaign`
 * the open campaigns (the only ones whose items can still be decided) are searched for it.
 */
async function campaignOf(client: ApiClient, itemId: string, campaign: string | undefined): Promise<string> {
  if (campaign !== undefined) return campaign;
  const { campaigns } = await client.get<{ campaigns: CampaignView[] }>('/v1/certifications', { status: 'open' });
  for (const candidate of campaigns) {
    const detail = await client.get<CampaignDetailView>(campaignPath(candidate.id));
    if (detail.items.some((item) => item.id === itemId)) return candidate.id;
  }
  throw new AppError('not_found', `no open certification campaign has an item '${itemId}'`);
}

export interface DecideOptions extends ClientCommandOptions {
  readonly campaign?: string;
  readonly comment?: string;
}

/** `certify keep|revoke ITEM`: one decision; a revoke is enforced at once (assignment removed, grant torn down). */
export async function decideCommand(
  itemId: string,
  decision: 'keep' | 'revoke',
  options: DecideOptions,
): CommandResult {
  const client = apiClient(options);
  const campaignId = await campaignOf(client, itemId, options.campaign);
  const result = await client.post<CertificationDecisionView>(
    `${campaignPath(campaignId)}/items/${encodeURIComponent(itemId)}/decide`,
    { decision, ...(options.comment === undefined ? {} : { comment: options.comment }) },
  );
  if (options.json) printJson(result);
  else printLines([decidedLine(result.item, result.teardown)]);
  return EXIT_OK;
}

export interface ReviewsOptions extends ClientCommandOptions {
  readonly status?: (typeof REVIEW_STATUSES)[number];
  readonly limit?: number;
}

/** `certify break-glass list`: break-glass uses awaiting review, oldest deadline first. */
export async function reviewsCommand(options: ReviewsOptions): CommandResult {
  const { reviews } = await apiClient(options).get<{ reviews: BreakGlassReviewView[] }>('/v1/break-glass/reviews', {
    status: options.status,
    limit: options.limit,
  });
  if (options.json) printJson({ reviews });
  else printLines(reviews.length === 0 ? ['no break-glass uses awaiting review'] : reviewTable(reviews));
  return EXIT_OK;
}

export interface ReviewOptions extends ClientCommandOptions {
  readonly decision: 'keep' | 'revoke';
  readonly comment?: string;
}

/** `certify break-glass review ID --decision keep|revoke`: a revoke tears its grant down at once. */
export async function reviewCommand(id: string, options: ReviewOptions): CommandResult {
  const result = await apiClient(options).post<BreakGlassReviewResultView>(
    `/v1/break-glass/${encodeURIComponent(id)}/review`,
    { decision: options.decision, ...(options.comment === undefined ? {} : { comment: options.comment }) },
  );
  if (options.json) printJson(result);
  else {
    const teardown = result.teardown === undefined ? '' : `; grant teardown: ${result.teardown.outcome}`;
    printLines([
      `break-glass use ${result.id}: ${result.decision === 'keep' ? 'kept' : 'revoked'} by ${result.certifier} at ` +
        `${result.reviewedAt}${result.late ? ' (late: past its review deadline)' : ''}${teardown}`,
    ]);
  }
  return EXIT_OK;
}

const REFUSED =
  'refused: you hold no certify duty here, or you hold, requested or approved what is under review, or it was decided';

export function registerCertifyCommands(program: Command, run: RunCommand): void {
  const certify = program
    .command('certify')
    .description('access reviews: campaigns over standing roles, grants and break-glass uses; keep or revoke');
  registerCertifyRestoreCommand(certify, run);

  withClientOptions(
    certify
      .command('campaigns')
      .description('certification campaigns, newest first (certify, audit or administer holders)')
      .addOption(new Option('--status <status>', 'only open or closed campaigns').choices(CAMPAIGN_STATUSES)),
    { json: 'print { campaigns } as JSON', denied: 'refused: you hold none of certify, audit or administer' },
  ).action((options: CampaignsOptions) => run(() => campaignsCommand(options)));

  withClientOptions(
    certify
      .command('create')
      .description('open a campaign; its items are generated at once')
      .requiredOption('--name <name>', 'e.g. "Q1 2026 access review"')
      .requiredOption(
        '--kinds <kinds>',
        `what to review, comma-separated or repeated (${CERTIFICATION_ITEM_KINDS.join(', ')})`,
        collect,
      )
      .requiredOption('--from <when>', 'start of the period: a date, a time, or a duration ago (90d)')
      .option('--to <when>', 'end of the period: a date, a time, or a duration ago', 'now')
      .requiredOption(
        '--deadline <when>',
        'when unreviewed items fall due: a date, a time, or a duration from now (14d)',
      )
      .addOption(
        new Option(
          '--on-missed <what>',
          'what happens to items unreviewed at the deadline (server default: escalate)',
        ).choices(['revoke', 'escalate']),
      ),
    { json: 'print the campaign with its items as JSON', denied: 'refused: you hold neither certify nor administer' },
  ).action((options: CreateOptions) => run(() => createCommand(options, Date.now())));

  withClientOptions(
    certify
      .command('show')
      .description('one campaign and its items: what each is, who holds it, and its decision')
      .argument('<campaign>', 'campaign id')
      .addOption(new Option('--status <status>', 'only items in this status').choices(ITEM_STATUSES)),
    { json: 'print the campaign with its items as JSON', denied: 'not found, or you may not see access reviews' },
  ).action((id: string, options: ShowOptions) => run(() => showCommand(id, options)));

  for (const [decision, description] of [
    ['keep', 'certify that an item’s access is still needed'],
    ['revoke', 'revoke an item’s access: enforced at once (assignment removed, grant torn down)'],
  ] as const) {
    withClientOptions(
      certify
        .command(decision)
        .description(description)
        .argument('<item>', 'item id (from `certify show`)')
        .option('--campaign <id>', 'the item’s campaign (default: found among the open campaigns)')
        .option('--comment <text>', 'why, kept with the decision and in the audit log'),
      { json: 'print { item, teardown? } as JSON', denied: REFUSED },
    ).action((item: string, options: DecideOptions) => run(() => decideCommand(item, decision, options)));
  }

  const breakGlass = certify
    .command('break-glass')
    .description("break-glass uses, which must be reviewed within their profile's reviewWithin");

  withClientOptions(
    breakGlass
      .command('list')
      .description('break-glass uses awaiting review (overdue ones flagged), oldest deadline first')
      .addOption(
        new Option('--status <status>', 'unreviewed (default), overdue, or all (reviewed ones too)').choices(
          REVIEW_STATUSES,
        ),
      )
      .option('--limit <n>', 'at most this many (default 200)', positiveInteger(500)),
    { json: 'print { reviews } as JSON', denied: 'refused: you hold none of certify, audit or administer' },
  ).action((options: ReviewsOptions) => run(() => reviewsCommand(options)));

  withClientOptions(
    breakGlass
      .command('review')
      .description('keep a break-glass use, or revoke its grant at once')
      .argument('<request>', 'the break-glass request id')
      .addOption(
        new Option('--decision <decision>', 'keep or revoke').choices(['keep', 'revoke']).makeOptionMandatory(),
      )
      .option('--comment <text>', 'why, kept in the audit log'),
    { json: 'print the review as JSON', denied: REFUSED },
  ).action((id: string, options: ReviewOptions) => run(() => reviewCommand(id, options)));
}
