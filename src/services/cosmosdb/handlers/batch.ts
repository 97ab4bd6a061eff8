import { badRequest, CosmosError } from '../errors.js';
import { parseKeyHeader, sameKey, type PartitionKeyValues } from '../partition-key.js';
import { readPatchBody } from '../patch.js';
import { queryEngine } from '../query/engine.js';
import { isObject } from '../query/values.js';
import type { CosmosRequest, CosmosResponse } from '../request.js';
import { sessionToken } from '../responses.js';
import type { ContainerState, StoredItem } from '../store.js';
import { flag, partitionKeyOf, type CosmosContext } from './context.js';

const MAX_OPERATIONS = 100;

interface OperationResult {
  statusCode: number;
  requestCharge: number;
  eTag?: string;
  resourceBody?: unknown;
  message?: string;
}

/**
 * A batch POST. Transactional (`x-ms-cosmos-batch-atomic: True`): one
 * logical partition, all or nothing; when one operation fails nothing is
 * kept, it reports its own status and the others 424, under HTTP 207.
 * Bulk (not atomic): each operation stands alone, 207 when any failed;
 * with `x-ms-cosmos-batch-continue-on-error: false` the ones after a failure are 424.
 */
export async function runBatch(context: CosmosContext, request: CosmosRequest, container: ContainerState): Promise<CosmosResponse> {
  const body = await request.json();
  if (!Array.isArray(body) || body.length === 0) throw badRequest('A batch body is a non-empty list of operations.');
  if (body.length > MAX_OPERATIONS) throw badRequest(`A batch takes at most ${MAX_OPERATIONS} operations; this one has ${body.length}.`);
  const atomic = flag(request, 'x-ms-cosmos-batch-atomic');
  const minimal = (request.header('prefer') ?? '').includes('return=minimal');
  const batchKey = partitionKeyOf(request);
  // A conditional patch evaluates its filter with the query engine, which the synchronous operations below cannot wait for.
  if (body.some((op) => isObject(op) && String(op.operationType).toLowerCase() === 'patch')) await queryEngine();
  const run = (operation: unknown): OperationResult => {
    try {
      return perform(context, request, container, operation, atomic ? batchKey : undefined, minimal);
    } catch (error) {
      if (!(error instanceof CosmosError)) throw error;
      return { statusCode: error.status, requestCharge: 1, message: error.message };
    }
  };
  let results: OperationResult[];
  if (atomic) {
    if (batchKey === undefined) throw badRequest('A transactional batch needs the partition key header: every operation works on one logical partition.');
    results = [];
    try {
      context.store.transaction(container, () => {
        for (const operation of body) {
          const result = run(operation);
          results.push(result);
          if (result.statusCode >= 400) throw new RollBack();
        }
      });
    } catch (error) {
      if (!(error instanceof RollBack)) throw error;
      results = body.map((_, i) => results[i] ?? { statusCode: 424, requestCharge: 0 }).map((r) => (r.statusCode >= 400 ? r : { statusCode: 424, requestCharge: r.requestCharge }));
    }
  } else {
    // Bulk stops at the first failure only when told not to continue; what it never ran is a failed dependency.
    const stopOnError = request.header('x-ms-cosmos-batch-continue-on-error')?.toLowerCase() === 'false';
    results = [];
    for (const operation of body) {
      const failedBefore = stopOnError && results.some((r) => r.statusCode >= 400);
      results.push(failedBefore ? { statusCode: 424, requestCharge: 0 } : run(operation));
    }
  }
  const failed = results.some((r) => r.statusCode >= 400);
  return { status: failed ? 207 : 200, headers: { 'x-ms-session-token': sessionToken(container) }, body: results };
}

class RollBack extends Error {}

function perform(context: CosmosContext, request: CosmosRequest, container: ContainerState, operation: unknown, batchKey: PartitionKeyValues | undefined, minimal: boolean): OperationResult {
  if (!isObject(operation) || typeof operation.operationType !== 'string') throw badRequest('Every batch operation needs an operationType.');
  const own = typeof operation.partitionKey === 'string' ? parseKeyHeader(operation.partitionKey) : undefined;
  if (batchKey !== undefined && own !== undefined && !sameKey(batchKey, own)) {
    throw badRequest('Every operation of a transactional batch must use the batch\'s partition key.');
  }
  const key = own ?? batchKey;
  const { store } = context;
  const now = request.now;
  const ifMatch = typeof operation.ifMatch === 'string' ? operation.ifMatch : undefined;
  const id = () => {
    if (typeof operation.id !== 'string') throw badRequest(`A ${String(operation.operationType)} operation needs the item id.`);
    return operation.id;
  };
  const keyFor = (): PartitionKeyValues => {
    if (key === undefined) throw badRequest(`A ${String(operation.operationType)} operation needs its partition key.`);
    return key;
  };
  const done = (statusCode: number, item: StoredItem): OperationResult => ({
    statusCode,
    requestCharge: 1,
    eTag: item.body._etag as string,
    ...(minimal ? {} : { resourceBody: item.body }),
  });
  switch (operation.operationType.toLowerCase()) {
    case 'create':
      return done(201, store.create(container, operation.resourceBody, key, now));
    case 'upsert': {
      const { item, created } = store.upsert(container, operation.resourceBody, key, ifMatch, now);
      return done(created ? 201 : 200, item);
    }
    case 'replace':
      return done(200, store.replace(container, id(), operation.resourceBody, key, ifMatch, now));
    case 'read':
      return done(200, store.read(container, id(), keyFor(), now));
    case 'delete':
      store.delete(container, id(), keyFor(), ifMatch, now);
      return { statusCode: 204, requestCharge: 1 };
    case 'patch': {
      const { operations, condition } = readPatchBody(operation.resourceBody);
      return done(200, store.patch(container, id(), keyFor(), operations, condition, ifMatch, now));
    }
    default:
      throw badRequest(`Unknown batch operationType "${operation.operationType}": use Create, Upsert, Replace, Read, Delete or Patch.`);
  }
}
