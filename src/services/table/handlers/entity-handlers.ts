import type { StorageResponse } from '../../storage-common/response.js';
import { commonErrors } from '../../storage-common/storage-error.js';
import { assertInKeyRange, inKeyRange } from '../auth.js';
import { decodeContinuation, encodeContinuation } from '../continuation.js';
import { readEntityBody, type Entity, type EntityKeys } from '../entity.js';
import { TableDomainError } from '../errors.js';
import { ticksToIso, type EdmValue } from '../edm.js';
import { entityAddress, entityJson, jsonContentType, listJson, metadataLevel } from '../odata.js';
import { prefersNoContent, type TableOperation } from '../operation.js';
import { filterOf, filterPredicate, pageSize, selection } from '../query-options.js';
import { filterKeyRange } from '../key-range.js';
import type { EntityCondition, Table, TableStore } from '../store.js';

/** Insert, get, query, update/merge (and their upserts) and delete of entities. */
export function entityHandlers(store: TableStore) {
  const tableOf = (op: TableOperation): Table => store.table(op.account, op.table ?? '');
  const keysOf = (op: TableOperation): EntityKeys => {
    if (!op.keys) throw new TableDomainError('InvalidInput', 'The operation must address one entity: <table>(PartitionKey=\'...\',RowKey=\'...\').');
    return op.keys;
  };
  // The body was measured against the cap as it arrived, but an entity is stored at its Azure size (UTF-16 text, keys
  // from the URL), which can be larger: a write that ends past the cap is undone (in a batch, it fails the whole batch).
  const withinQuota = (table: Table, write: () => Entity): Entity => {
    if (store.quota.maxBytes === undefined) return write();
    return store.atomically(() => {
      const entity = write();
      store.quota.check(0); // no room for even 0 more bytes: the store is already past the cap
      return entity;
    });
  };

  return {
    insert(op: TableOperation): StorageResponse {
      const table = tableOf(op);
      const input = readEntityBody(op.body);
      assertInKeyRange(op.range, input);
      const entity = withinQuota(table, () => store.insert(table, input, op.now));
      const location = `${op.baseUrl}/${entityAddress(table.name, entity)}`;
      const headers = { ETag: entity.etag, Location: location, DataServiceId: location };
      if (prefersNoContent(op)) return { status: 204, headers: { ...headers, 'Preference-Applied': 'return-no-content' } };
      const level = metadataLevel(op);
      return {
        status: 201,
        headers: { ...headers, 'Content-Type': jsonContentType(level), 'Preference-Applied': op.header('prefer') ? 'return-content' : undefined },
        body: entityJson(entity, { level, baseUrl: op.baseUrl, table: table.name, single: true }),
      };
    },

    /** PUT (replace) and MERGE/PATCH (merge); without If-Match they insert a missing entity. */
    update(op: TableOperation, mode: 'replace' | 'merge'): StorageResponse {
      const table = tableOf(op);
      const keys = keysOf(op);
      assertInKeyRange(op.range, keys);
      const input = readEntityBody(op.body, keys);
      const condition = conditionOf(op, 'upsert');
      const entity = withinQuota(table, () => (mode === 'replace' ? store.replace(table, input, condition, op.now) : store.merge(table, input, condition, op.now)));
      return { status: 204, headers: { ETag: entity.etag } };
    },

    delete(op: TableOperation): StorageResponse {
      const table = tableOf(op);
      const keys = keysOf(op);
      assertInKeyRange(op.range, keys);
      store.delete(table, keys, conditionOf(op, 'required'));
      return { status: 204 };
    },

    get(op: TableOperation): StorageResponse {
      const table = tableOf(op);
      const keys = keysOf(op);
      assertInKeyRange(op.range, keys);
      const level = metadataLevel(op);
      const entity = store.getEntity(table, keys);
      if (!entity) throw new TableDomainError('ResourceNotFound');
      return {
        status: 200,
        headers: { ETag: entity.etag, 'Content-Type': jsonContentType(level) },
        body: entityJson(entity, { level, baseUrl: op.baseUrl, table: table.name, select: selection(op.query), single: true }),
      };
    },

    query(op: TableOperation): StorageResponse {
      const table = tableOf(op);
      const level = metadataLevel(op);
      const filter = filterOf(op.query);
      const matches = filterPredicate(filter);
      const select = selection(op.query);
      const top = pageSize(op.query);
      const nextPk = op.query.get('NextPartitionKey');
      const nextRk = op.query.get('NextRowKey');
      const from =
        nextPk === null
          ? undefined
          : { partitionKey: decodeContinuation('NextPartitionKey', nextPk), rowKey: nextRk === null ? '' : decodeContinuation('NextRowKey', nextRk) };
      const page = store.query(table, (entity) => inKeyRange(op.range, entity) && matches(lookupIn(entity)), from, top, filterKeyRange(filter));
      return {
        status: 200,
        headers: {
          'Content-Type': jsonContentType(level),
          'x-ms-continuation-NextPartitionKey': page.next && encodeContinuation(page.next.partitionKey),
          'x-ms-continuation-NextRowKey': page.next && encodeContinuation(page.next.rowKey),
        },
        body: listJson(
          level,
          `${op.baseUrl}/$metadata#${table.name}${select ? `(${select.join(',')})` : ''}`,
          page.items.map((entity) => entityJson(entity, { level, baseUrl: op.baseUrl, table: table.name, select, single: false })),
        ),
      };
    },
  };
}

/** A filter sees the keys and Timestamp as properties too. */
function lookupIn(entity: Entity): (name: string) => EdmValue | undefined {
  return (name) => {
    switch (name) {
      case 'PartitionKey':
        return { type: 'Edm.String', value: entity.partitionKey };
      case 'RowKey':
        return { type: 'Edm.String', value: entity.rowKey };
      case 'Timestamp':
        return { type: 'Edm.DateTime', text: ticksToIso(entity.ticks), ticks: entity.ticks };
      default:
        return entity.properties.get(name);
    }
  };
}

/** `If-Match`: `*` or an entity's weak ETag; absent means an upsert for updates and is refused for deletes. */
function conditionOf(op: TableOperation, absent: 'upsert' | 'required'): EntityCondition {
  const ifMatch = op.header('if-match');
  if (op.header('if-none-match') !== undefined) throw new TableDomainError('InvalidInput', `If-None-Match HTTP header cannot be specified for ${op.method} operations.`);
  if (ifMatch === undefined) {
    if (absent === 'required') throw commonErrors.missingRequiredHeader('If-Match');
    return { kind: 'upsert' };
  }
  const etag = ifMatch.trim();
  if (etag === '*') return { kind: 'any' };
  // Entity ETags are always weak; anything else cannot name one and is malformed rather than merely stale.
  if (!/^W\/"[^"]+"$/i.test(etag)) throw new TableDomainError('InvalidInput', `If-Match '${ifMatch}' is neither * nor an entity ETag (W/"...").`);
  return { kind: 'etag', etag };
}
