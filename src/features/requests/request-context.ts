/**
 * The context sources a request decision reads (docs/integrations.md "Context sources: on-call and tickets"),
 * gathered before the decision's transaction and never inside one: the resource's profile (and, for a stored
 * request, the request) are read in a short read transaction, the sources are asked with no transaction open,
 * and the decision receives the answers as input. Each `AppContext` keeps one `ContextGatherer` (its cache).
 */
import type { AppContext } from '../../app/context.js';
import { inReadTransaction } from '../../app/snapshot.queries.js';
import { NO_CONTEXT, sourcesConsulted } from '../../decide/context.decide.js';
import type { ContextValues } from '../../policy/context-sources.js';
import { ContextGatherer } from '../../providers/context/context-gatherer.js';
import { findResource } from '../resources/index.js';
import { findRequest } from './requests.repo.js';

const gatherers = new WeakMap<AppContext, ContextGatherer>();

function gathererOf(app: AppContext): ContextGatherer {
  let gatherer = gatherers.get(app);
  if (gatherer === undefined) {
    gatherer = new ContextGatherer({ clock: app.clock });
    gatherers.set(app, gatherer);
  }
  return gatherer;
}

/** What a decision asks the sources about. */
export interface ContextQuestion {
  readonly requester: string;
  readonly resource: string;
  readonly action: string;
  readonly ticket?: string;
  readonly breakGlass: boolean;
}

/**
 * Asks the sources the decision on `question` may read. A resource, profile or action that does not resolve asks
 * nothing: the decision refuses it on its own, and a source not asked is unknown anyway (fail closed).
 */
export async function gatherRequestContext(app: AppContext, question: ContextQuestion): Promise<ContextValues> {
  const policy = app.policy.loaded;
  if (policy.contextSources.size === 0) return NO_CONTEXT;
  const resource =
    policy.resources.get(question.resource) ??
    (await inReadTransaction(app, (trx) => findResource(trx, policy, question.resource)));
  const profile = resource === undefined ? undefined : policy.profiles.get(resource.profile);
  if (profile === undefined) return NO_CONTEXT;
  const sources = sourcesConsulted(policy, profile, question.action, question.breakGlass);
  if (sources.length === 0) return NO_CONTEXT;
  return gathererOf(app).gather(sources, {
    requester: question.requester,
    resource: question.resource,
    action: question.action,
    profile: profile.name,
    ...(question.ticket !== undefined ? { ticket: question.ticket } : {}),
  });
}

/**
 * The context of a stored request (for activation, execution, or an extension of it: then `as` says who asks
 * and with which ticket), read before any write transaction.
 */
export async function gatherStoredRequestContext(
  app: AppContext,
  id: string,
  as?: { readonly requester: string; readonly ticket: string | undefined },
): Promise<ContextValues> {
  if (app.policy.loaded.contextSources.size === 0) return NO_CONTEXT;
  const stored = await inReadTransaction(app, (trx) => findRequest(trx, id));
  if (stored === undefined) return NO_CONTEXT;
  const { record } = stored;
  const ticket = as === undefined ? record.ticket : as.ticket;
  return gatherRequestContext(app, {
    requester: as?.requester ?? record.requester,
    resource: record.resource,
    action: record.action,
    breakGlass: false,
    ...(ticket !== undefined ? { ticket } : {}),
  });
}
