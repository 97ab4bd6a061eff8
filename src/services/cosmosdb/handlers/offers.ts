import { badRequest, notFound } from '../errors.js';
import { isObject } from '../query/values.js';
import type { CosmosRequest, CosmosResponse } from '../request.js';
import { resourceResponse } from '../responses.js';
import { newEtag } from '../resource-ids.js';
import { checkIfMatch, type ContainerState, type DatabaseState, type Offer, type Resource } from '../store.js';
import { autoscaleThroughput, isQuery, manualThroughput, type CosmosContext } from './context.js';
import { queryPage, querySpecOf, READ_ALL } from './query.js';

/** Throughput records (offers) of the namespace's databases and containers, as resources the SDK reads and queries. */
function offers(context: CosmosContext, namespace: string): Array<{ owner: DatabaseState | ContainerState; offer: Offer }> {
  const out: Array<{ owner: DatabaseState | ContainerState; offer: Offer }> = [];
  for (const database of context.store.databases(namespace)) {
    if (database.offer) out.push({ owner: database, offer: database.offer });
    for (const container of database.containers.values()) if (container.offer) out.push({ owner: container, offer: container.offer });
  }
  return out;
}

function offerResource(owner: DatabaseState | ContainerState, offer: Offer): Resource {
  const content: Resource = offer.autoscaleMax === undefined
    ? { offerThroughput: offer.manual, offerIsRUPerMinuteThroughputEnabled: false }
    : { offerThroughput: offer.autoscaleMax / 10, offerAutopilotSettings: { maxThroughput: offer.autoscaleMax } };
  return {
    id: offer.id,
    _rid: offer.id,
    _self: `offers/${offer.id}/`,
    _etag: offer.etag,
    _ts: offer.ts,
    offerVersion: 'V2',
    offerType: 'Invalid',
    resource: owner.resource._self,
    offerResourceId: owner.resource._rid,
    content,
  };
}

export async function listOrQueryOffers(context: CosmosContext, request: CosmosRequest): Promise<CosmosResponse> {
  const spec = request.method === 'POST' && isQuery(request) ? await querySpecOf(request) : READ_ALL;
  return queryPage(context, request, spec, () => offers(context, request.account.name).map(({ owner, offer }) => offerResource(owner, offer)), 'Offers', '');
}

function find(context: CosmosContext, request: CosmosRequest): { owner: DatabaseState | ContainerState; offer: Offer } {
  const id = request.segments[1]!;
  const found = offers(context, request.account.name).find(({ offer }) => offer.id.toLowerCase() === id.toLowerCase());
  if (!found) throw notFound(`Offer ${id} does not exist.`);
  return found;
}

export function readOffer(context: CosmosContext, request: CosmosRequest): CosmosResponse {
  const { owner, offer } = find(context, request);
  return resourceResponse(200, offerResource(owner, offer));
}

/** Changing throughput: manual RU/s (`content.offerThroughput`) or the autoscale maximum, under If-Match like any replace. */
export async function replaceOffer(context: CosmosContext, request: CosmosRequest): Promise<CosmosResponse> {
  const { owner, offer } = find(context, request);
  const body = await request.json();
  const content = isObject(body) && isObject(body.content) ? body.content : undefined;
  if (!content) throw badRequest('An offer replacement needs "content" with offerThroughput or offerAutopilotSettings.');
  checkIfMatch(request.header('if-match'), offer.etag);
  const autoscale = isObject(content.offerAutopilotSettings) ? content.offerAutopilotSettings.maxThroughput : undefined;
  const changed = { etag: newEtag(), ts: Math.floor(request.now / 1000) };
  if (typeof autoscale === 'number') {
    owner.offer = { ...offer, ...changed, manual: undefined, autoscaleMax: autoscaleThroughput(autoscale, String(autoscale)) };
  } else {
    const manual = content.offerThroughput;
    owner.offer = { ...offer, ...changed, manual: manualThroughput(manual, String(manual)), autoscaleMax: undefined };
  }
  return resourceResponse(200, offerResource(owner, owner.offer));
}
