import { badRequest } from '../errors.js';
import type { ResultPages } from '../paging.js';
import { extractKey, parseKeyHeader, type PartitionKeyValues } from '../partition-key.js';
import { rangeScope } from '../partition-key-ranges.js';
import type { CosmosRequest } from '../request.js';
import type { ContainerState, CosmosStore, DatabaseState, Resource, Throughput } from '../store.js';

/** What every handler works with. */
export interface CosmosContext {
  store: CosmosStore;
  pages: ResultPages;
}

export function databaseOf(context: CosmosContext, request: CosmosRequest): DatabaseState {
  return context.store.database(request.account.name, request.segments[1]!);
}

export function containerOf(context: CosmosContext, request: CosmosRequest): ContainerState {
  return context.store.container(databaseOf(context, request), request.segments[3]!);
}

export function partitionKeyOf(request: CosmosRequest): PartitionKeyValues | undefined {
  return parseKeyHeader(request.header('x-ms-documentdb-partitionkey'));
}

/** The partition key a point operation must name: the SDK always sends it. */
export function requiredKey(request: CosmosRequest): PartitionKeyValues {
  const key = partitionKeyOf(request);
  if (key === undefined) throw badRequest('The partition key header (x-ms-documentdb-partitionkey) is required for this operation on an item.');
  return key;
}

/**
 * The items of a container a feed request covers, oldest write first: one
 * logical partition (the partition key header) and/or one partition key
 * range or feed range (see rangeScope).
 */
export function scopedDocuments(context: CosmosContext, request: CosmosRequest, container: ContainerState): Resource[] {
  const documents = context.store.documents(container, partitionKeyOf(request), request.now);
  const inRange = rangeScope(container, request.header);
  return inRange ? documents.filter((doc) => inRange(extractKey(container.partitionKey, doc))) : documents;
}

const isTrue = (value: string | undefined) => value?.toLowerCase() === 'true';

export function flag(request: CosmosRequest, header: string): boolean {
  return isTrue(request.header(header));
}

/** A query POST: the SDK marks it both ways. */
export function isQuery(request: CosmosRequest): boolean {
  return flag(request, 'x-ms-documentdb-isquery') || (request.header('content-type') ?? '').startsWith('application/query+json');
}

/** The most RU/s a database or container takes, manual or autoscale, without a support request to Azure. */
const MAX_THROUGHPUT = 1_000_000;

/** Manual RU/s, checked as Azure checks it at creation and on an offer replacement; `shown` is the value as the client sent it. */
export function manualThroughput(value: unknown, shown: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 400 || value > MAX_THROUGHPUT || value % 100 !== 0) {
    throw badRequest(`The offer throughput provided (${shown}) is out of range: use a multiple of 100 from 400 to ${MAX_THROUGHPUT} RU/s.`);
  }
  return value;
}

/** An autoscale maximum, checked the same way. */
export function autoscaleThroughput(value: unknown, shown: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1000 || value > MAX_THROUGHPUT || value % 1000 !== 0) {
    throw badRequest(`The autoscale maximum throughput (${shown}) must be a multiple of 1000 from 1000 to ${MAX_THROUGHPUT} RU/s.`);
  }
  return value;
}

/** Throughput asked for at creation: `x-ms-offer-throughput`, or autoscale's `x-ms-cosmos-offer-autopilot-settings`. */
export function throughputOf(request: CosmosRequest): Throughput | undefined {
  const manual = request.header('x-ms-offer-throughput');
  const autoscale = request.header('x-ms-cosmos-offer-autopilot-settings');
  if (manual !== undefined && autoscale !== undefined) throw badRequest('Give either manual throughput or autoscale settings, not both.');
  if (manual !== undefined) return { manual: manualThroughput(Number(manual), manual) };
  if (autoscale !== undefined) {
    let max: unknown;
    try {
      max = (JSON.parse(autoscale) as { maxThroughput?: unknown }).maxThroughput;
    } catch {
      max = undefined;
    }
    return { autoscaleMax: autoscaleThroughput(max, autoscale) };
  }
  return undefined;
}
