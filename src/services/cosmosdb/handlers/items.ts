import { readPatchBody } from '../patch.js';
import { queryEngine } from '../query/engine.js';
import type { CosmosRequest, CosmosResponse } from '../request.js';
import { itemResponse, sessionToken } from '../responses.js';
import { containerOf, flag, isQuery, partitionKeyOf, requiredKey, scopedDocuments, type CosmosContext } from './context.js';
import { runBatch } from './batch.js';
import { readChangeFeed } from './change-feed.js';
import { queryPage, queryPlan, querySpecOf, READ_ALL } from './query.js';

/** POST on a container's docs: a query, a query plan, a batch, an upsert or a create, told apart by headers. */
export async function postDocuments(context: CosmosContext, request: CosmosRequest): Promise<CosmosResponse> {
  const container = containerOf(context, request);
  if (flag(request, 'x-ms-cosmos-is-query-plan-request')) return queryPlan(request, container);
  const key = partitionKeyOf(request);
  if (isQuery(request)) {
    const spec = await querySpecOf(request);
    return queryPage(context, request, spec, () => scopedDocuments(context, request, container), 'Documents', container.resource._rid as string);
  }
  if (flag(request, 'x-ms-cosmos-is-batch-request')) return runBatch(context, request, container);
  const body = await request.json();
  if (flag(request, 'x-ms-documentdb-is-upsert')) {
    const { item, created } = context.store.upsert(container, body, key, request.header('if-match'), request.now);
    return itemResponse(created ? 201 : 200, container, item);
  }
  return itemResponse(201, container, context.store.create(container, body, key, request.now));
}

/** GET on a container's docs: the change feed when A-IM asks for it, else every item page by page. */
export async function getDocuments(context: CosmosContext, request: CosmosRequest): Promise<CosmosResponse> {
  const container = containerOf(context, request);
  if (request.header('a-im') !== undefined) return readChangeFeed(context, request, container);
  return queryPage(context, request, READ_ALL, () => scopedDocuments(context, request, container), 'Documents', container.resource._rid as string);
}

export function readItem(context: CosmosContext, request: CosmosRequest): CosmosResponse {
  const container = containerOf(context, request);
  const item = context.store.read(container, request.segments[5]!, requiredKey(request), request.now);
  const ifNoneMatch = request.header('if-none-match');
  if (ifNoneMatch !== undefined && (ifNoneMatch === '*' || ifNoneMatch === item.body._etag)) {
    return { status: 304, headers: { etag: item.body._etag as string } };
  }
  return itemResponse(200, container, item);
}

export async function replaceItem(context: CosmosContext, request: CosmosRequest): Promise<CosmosResponse> {
  const container = containerOf(context, request);
  const body = await request.json();
  const item = context.store.replace(container, request.segments[5]!, body, partitionKeyOf(request), request.header('if-match'), request.now);
  return itemResponse(200, container, item);
}

export function deleteItem(context: CosmosContext, request: CosmosRequest): CosmosResponse {
  const container = containerOf(context, request);
  context.store.delete(container, request.segments[5]!, requiredKey(request), request.header('if-match'), request.now);
  return { status: 204, headers: { 'x-ms-session-token': sessionToken(container) } };
}

export async function patchItem(context: CosmosContext, request: CosmosRequest): Promise<CosmosResponse> {
  const container = containerOf(context, request);
  const { operations, condition } = readPatchBody(await request.json());
  if (condition !== undefined) await queryEngine();
  const item = context.store.patch(container, request.segments[5]!, requiredKey(request), operations, condition, request.header('if-match'), request.now);
  return itemResponse(200, container, item);
}

/** Journal names for the POSTs on docs, which share one path. */
export function postOperation(request: CosmosRequest): string {
  if (flag(request, 'x-ms-cosmos-is-query-plan-request')) return 'QueryPlan';
  if (isQuery(request)) return 'Query';
  if (flag(request, 'x-ms-cosmos-is-batch-request')) return flag(request, 'x-ms-cosmos-batch-atomic') ? 'Batch' : 'Bulk';
  return flag(request, 'x-ms-documentdb-is-upsert') ? 'UpsertItem' : 'CreateItem';
}
