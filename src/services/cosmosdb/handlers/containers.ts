import { partitionKeyRanges } from '../partition-key-ranges.js';
import type { CosmosRequest, CosmosResponse } from '../request.js';
import { resourceResponse } from '../responses.js';
import { containerOf, databaseOf, isQuery, throughputOf, type CosmosContext } from './context.js';
import { queryPage, querySpecOf, READ_ALL } from './query.js';

export async function createOrQueryContainers(context: CosmosContext, request: CosmosRequest): Promise<CosmosResponse> {
  const database = databaseOf(context, request);
  const resources = () => [...database.containers.values()].map((c) => c.resource);
  if (isQuery(request)) return queryPage(context, request, await querySpecOf(request), resources, 'DocumentCollections', database.resource._rid as string);
  const container = context.store.createContainer(database, await request.json(), throughputOf(request), request.now);
  return resourceResponse(201, container.resource);
}

export function listContainers(context: CosmosContext, request: CosmosRequest): Promise<CosmosResponse> {
  const database = databaseOf(context, request);
  return queryPage(context, request, READ_ALL, () => [...database.containers.values()].map((c) => c.resource), 'DocumentCollections', database.resource._rid as string);
}

export function readContainer(context: CosmosContext, request: CosmosRequest): CosmosResponse {
  return resourceResponse(200, containerOf(context, request).resource);
}

export async function replaceContainer(context: CosmosContext, request: CosmosRequest): Promise<CosmosResponse> {
  const container = context.store.replaceContainer(containerOf(context, request), await request.json(), request.header('if-match'), request.now);
  return resourceResponse(200, container.resource);
}

export function deleteContainer(context: CosmosContext, request: CosmosRequest): CosmosResponse {
  context.store.deleteContainer(databaseOf(context, request), request.segments[3]!);
  return { status: 204 };
}

/** The container's partition key ranges (physical partitions), which the SDK routes by and `getFeedRanges()` answers. */
export function readPartitionKeyRanges(context: CosmosContext, request: CosmosRequest): CosmosResponse {
  const container = containerOf(context, request);
  const rid = container.resource._rid as string;
  const ranges = partitionKeyRanges(container.partitionKey, container.partitionCount).map((range, i) => ({
    ...range,
    _rid: rid,
    _self: `${container.resource._self as string}pkranges/${rid}/`,
    _etag: container.resource._etag,
    _ts: container.resource._ts,
    ridPrefix: i,
    throughputFraction: 1 / container.partitionCount,
    status: 'online',
    parents: [],
  }));
  return {
    status: 200,
    headers: { etag: container.resource._etag as string, 'x-ms-item-count': ranges.length },
    body: { _rid: rid, PartitionKeyRanges: ranges, _count: ranges.length },
  };
}
