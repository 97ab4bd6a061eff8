import { readAccount } from './handlers/account.js';
import { createOrQueryContainers, deleteContainer, listContainers, readContainer, readPartitionKeyRanges, replaceContainer } from './handlers/containers.js';
import { isQuery, type CosmosContext } from './handlers/context.js';
import { createOrQueryDatabases, deleteDatabase, listDatabases, readDatabase } from './handlers/databases.js';
import { deleteItem, getDocuments, patchItem, postDocuments, postOperation, readItem, replaceItem } from './handlers/items.js';
import { listOrQueryOffers, readOffer, replaceOffer } from './handlers/offers.js';
import type { CosmosRequest, CosmosResponse } from './request.js';

/**
 * One row of the route table: a method and a path shape (resource ids as
 * `*`, e.g. `dbs/ * /colls`), Azure's operation name for the journal and
 * faults, and the handler.
 */
export interface CosmosRoute {
  method: string;
  shape: string;
  operation: string | ((request: CosmosRequest) => string);
  handle(request: CosmosRequest): Promise<CosmosResponse> | CosmosResponse;
}

const DBS = 'dbs';
const DB = 'dbs/*';
const COLLS = 'dbs/*/colls';
const COLL = 'dbs/*/colls/*';
const DOCS = 'dbs/*/colls/*/docs';
const DOC = 'dbs/*/colls/*/docs/*';

export function cosmosRoutes(context: CosmosContext): CosmosRoute[] {
  const route = (method: string, shape: string, operation: CosmosRoute['operation'], handle: (c: CosmosContext, r: CosmosRequest) => Promise<CosmosResponse> | CosmosResponse): CosmosRoute => ({
    method,
    shape,
    operation,
    handle: (request) => handle(context, request),
  });
  const queryOr = (query: string, other: string) => (r: CosmosRequest) => (isQuery(r) ? query : other);
  return [
    route('GET', '', 'ReadDatabaseAccount', (_c, r) => readAccount(r)),
    route('GET', DBS, 'ListDatabases', listDatabases),
    route('POST', DBS, queryOr('QueryDatabases', 'CreateDatabase'), createOrQueryDatabases),
    route('GET', DB, 'ReadDatabase', readDatabase),
    route('DELETE', DB, 'DeleteDatabase', deleteDatabase),
    route('GET', COLLS, 'ListContainers', listContainers),
    route('POST', COLLS, queryOr('QueryContainers', 'CreateContainer'), createOrQueryContainers),
    route('GET', COLL, 'ReadContainer', readContainer),
    route('PUT', COLL, 'ReplaceContainer', replaceContainer),
    route('DELETE', COLL, 'DeleteContainer', deleteContainer),
    route('GET', 'dbs/*/colls/*/pkranges', 'ReadPartitionKeyRanges', readPartitionKeyRanges),
    route('GET', DOCS, (r) => (r.header('a-im') === undefined ? 'ListItems' : 'ChangeFeed'), getDocuments),
    route('POST', DOCS, postOperation, postDocuments),
    route('GET', DOC, 'ReadItem', readItem),
    route('PUT', DOC, 'ReplaceItem', replaceItem),
    route('DELETE', DOC, 'DeleteItem', deleteItem),
    route('PATCH', DOC, 'Patch', patchItem),
    route('GET', 'offers', 'ListOffers', listOrQueryOffers),
    route('POST', 'offers', 'QueryOffers', listOrQueryOffers),
    route('GET', 'offers/*', 'ReadOffer', readOffer),
    route('PUT', 'offers/*', 'ReplaceOffer', replaceOffer),
  ];
}
