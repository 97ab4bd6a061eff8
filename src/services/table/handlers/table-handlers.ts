import type { StorageResponse } from '../../storage-common/response.js';
import { decodeContinuation, encodeContinuation } from '../continuation.js';
import { TableDomainError } from '../errors.js';
import { readFlatJsonObject } from '../json-reader.js';
import { jsonContentType, listJson, metadataLevel, tableJson } from '../odata.js';
import { prefersNoContent, type TableOperation } from '../operation.js';
import { filterOf, filterPredicate, pageSize } from '../query-options.js';
import { isValidTableName } from '../resource.js';
import type { TableStore } from '../store.js';

/** Create Table, Delete Table, Query Tables. */
export function tableHandlers(store: TableStore) {
  return {
    create(op: TableOperation): StorageResponse {
      const level = metadataLevel(op);
      const name = readFlatJsonObject(op.body).find(([key]) => key === 'TableName')?.[1];
      if (name?.kind !== 'string') throw new TableDomainError('InvalidInput', 'The body must name the table: {"TableName":"..."}.');
      if (!isValidTableName(name.value)) throw new TableDomainError('InvalidResourceName');
      const table = store.createTable(op.account, name.value);
      const location = `${op.baseUrl}/Tables('${table.name}')`;
      const headers = { Location: location, DataServiceId: location };
      if (prefersNoContent(op)) return { status: 204, headers: { ...headers, 'Preference-Applied': 'return-no-content' } };
      return {
        status: 201,
        headers: { ...headers, 'Content-Type': jsonContentType(level), 'Preference-Applied': op.header('prefer') ? 'return-content' : undefined },
        body: tableJson(table.name, level, op.baseUrl, true),
      };
    },

    delete(account: string, name: string): StorageResponse {
      store.deleteTable(account, name);
      return { status: 204 };
    },

    query(op: TableOperation): StorageResponse {
      const level = metadataLevel(op);
      const matches = filterPredicate(filterOf(op.query));
      const next = op.query.get('NextTableName');
      const page = store.listTables(
        op.account,
        (name) => matches((property) => (property === 'TableName' ? { type: 'Edm.String', value: name } : undefined)),
        next === null ? undefined : decodeContinuation('NextTableName', next),
        pageSize(op.query),
      );
      return {
        status: 200,
        headers: {
          'Content-Type': jsonContentType(level),
          'x-ms-continuation-NextTableName': page.next === undefined ? undefined : encodeContinuation(page.next),
        },
        body: listJson(level, `${op.baseUrl}/$metadata#Tables`, page.items.map((name) => tableJson(name, level, op.baseUrl, false))),
      };
    },
  };
}
