import type { HttpMethod, StorageHandler, StorageRoute } from '../storage-common/dispatcher.js';
import type { StorageRequest } from '../storage-common/request.js';
import type { StorageResponse } from '../storage-common/response.js';
import { ACCESS, type TableAccess, type TableAuthorizer } from './auth.js';
import { batchHandler } from './batch/batch-handler.js';
import { mapDomainErrors } from './errors.js';
import { aclHandlers } from './handlers/acl-handlers.js';
import { entityHandlers } from './handlers/entity-handlers.js';
import { serviceHandlers } from './handlers/service-handlers.js';
import { tableHandlers } from './handlers/table-handlers.js';
import { operationOf, type TableOperation } from './operation.js';
import { isBatch, isTables, isUserTable } from './resource.js';
import type { TableStore } from './store.js';

/** What a route needs of the caller, fixed or read from the request. */
export type AccessRule = TableAccess | ((request: StorageRequest) => TableAccess);

export function accessFor(rule: AccessRule, request: StorageRequest): TableAccess {
  return typeof rule === 'function' ? rule(request) : rule;
}

const SERVICE = 0;
const COLLECTION = 1;
const TABLE = 2;
const ENTITY = 3;

/**
 * The Table service's operations: one row per method, depth (see
 * resource.ts for how the path becomes segments), resource name and comp.
 */
export function tableRoutes(store: TableStore, authorize: TableAuthorizer): StorageRoute<AccessRule>[] {
  const tables = tableHandlers(store);
  const entities = entityHandlers(store);
  const service = serviceHandlers(store);
  const acl = aclHandlers(store);
  const op = (handle: (op: TableOperation) => StorageResponse): StorageHandler => async (request) => handle(await operationOf(request));
  // Entity bodies become stored data, so they count toward limits.maxStoredBytes while they arrive.
  const write = (handle: (op: TableOperation) => StorageResponse): StorageHandler => async (request) => handle(await operationOf(request, store.quota));
  // Updates without If-Match are upserts: they may add as well as update, and Azure names them apart.
  const updateAccess: AccessRule = (request) => (request.header('if-match') === undefined ? ACCESS.upsert : ACCESS.update);
  const upsertOr = (update: string, upsert: string) => (request: StorageRequest) => (request.header('if-match') === undefined ? upsert : update);
  type Row = [string | ((request: StorageRequest) => string), HttpMethod, number, { restype?: string; comp?: string; match?: (segments: readonly string[]) => boolean }, AccessRule, StorageHandler];
  const rows: Row[] = [
    ['GetTableServiceProperties', 'GET', SERVICE, { restype: 'service', comp: 'properties' }, ACCESS.serviceProperties, service.getProperties],
    ['SetTableServiceProperties', 'PUT', SERVICE, { restype: 'service', comp: 'properties' }, ACCESS.setServiceProperties, service.setProperties],
    ['GetTableServiceStats', 'GET', SERVICE, { restype: 'service', comp: 'stats' }, ACCESS.serviceProperties, service.getStatistics],

    ['QueryTables', 'GET', COLLECTION, { match: isTables }, ACCESS.queryTables, op(tables.query)],
    ['CreateTable', 'POST', COLLECTION, { match: isTables }, ACCESS.createTable, op(tables.create)],
    ['DeleteTable', 'DELETE', TABLE, { match: isTables }, ACCESS.deleteTable, (request) => tables.delete(request.account.name, request.segments[1]!)],
    ['EntityGroupTransaction', 'POST', COLLECTION, { match: isBatch }, ACCESS.batch, batchHandler(store, entities, authorize)],

    ['GetTableACL', 'GET', COLLECTION, { comp: 'acl', match: isUserTable }, ACCESS.getAcl, acl.get],
    ['SetTableACL', 'PUT', COLLECTION, { comp: 'acl', match: isUserTable }, ACCESS.setAcl, acl.set],
    ['QueryEntities', 'GET', COLLECTION, { match: isUserTable }, ACCESS.queryEntities, op(entities.query)],
    ['InsertEntity', 'POST', COLLECTION, { match: isUserTable }, ACCESS.insert, write(entities.insert)],
    ['QueryEntity', 'GET', ENTITY, { match: isUserTable }, ACCESS.queryEntities, op(entities.get)],
    [upsertOr('UpdateEntity', 'InsertOrReplaceEntity'), 'PUT', ENTITY, { match: isUserTable }, updateAccess, write((o) => entities.update(o, 'replace'))],
    [upsertOr('MergeEntity', 'InsertOrMergeEntity'), 'MERGE', ENTITY, { match: isUserTable }, updateAccess, write((o) => entities.update(o, 'merge'))],
    [upsertOr('MergeEntity', 'InsertOrMergeEntity'), 'PATCH', ENTITY, { match: isUserTable }, updateAccess, write((o) => entities.update(o, 'merge'))],
    ['DeleteEntity', 'DELETE', ENTITY, { match: isUserTable }, ACCESS.deleteEntity, op(entities.delete)],
  ];

  return rows.map(
    ([operation, method, depth, { restype, comp, match }, access, handle]): StorageRoute<AccessRule> => ({
      operation,
      method,
      depth,
      restype,
      comp,
      match,
      access,
      handle: mapDomainErrors(handle),
    }),
  );
}
