import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { receiveText } from '../../storage-common/body.js';
import { odataJsonErrorBody } from '../../storage-common/json-error-body.js';
import type { StorageRequest } from '../../storage-common/request.js';
import type { StorageResponse } from '../../storage-common/response.js';
import { StorageError } from '../../storage-common/storage-error.js';
import { ACCESS, authorizeBatchOperation, keyRangeOf, type TableAccess, type TableAuthorizer } from '../auth.js';
import { readEntityBody, type EntityKeys } from '../entity.js';
import { entityKey } from '../key-range.js';
import { tableError, TableDomainError, toStorageError } from '../errors.js';
import type { entityHandlers } from '../handlers/entity-handlers.js';
import { baseUrlOf } from '../odata.js';
import type { TableOperation } from '../operation.js';
import { isUserTable, splitTablePath } from '../resource.js';
import type { TableStore } from '../store.js';
import { boundaryOf, parseBatch, type BatchPart } from './multipart.js';

const MAX_OPERATIONS = 100;
const BODY_LIMIT = 4 * 1024 * 1024;

/** A failed operation: which one, and why. */
class OperationFailure extends Error {
  constructor(
    readonly index: number,
    readonly error: StorageError,
  ) {
    super(error.message);
  }
}

/**
 * Entity Group Transaction: up to 100 writes to one partition of one table,
 * applied all or not at all. A failure answers 202 with the failing
 * operation's response alone, its message prefixed `<index>:` as Azure does.
 */
export function batchHandler(store: TableStore, entities: ReturnType<typeof entityHandlers>, authorize: TableAuthorizer) {
  return async (request: StorageRequest): Promise<StorageResponse> => {
    const boundary = boundaryOf(request.header('content-type'));
    if (!boundary) throw new TableDomainError('InvalidInput', 'A batch must be multipart/mixed with a boundary.');
    const parts = parseBatch(await receiveText(request.raw, BODY_LIMIT, store.quota), boundary);
    if (parts.length === 0) throw new TableDomainError('InvalidInput', 'The changeset holds no operations.');
    const operations = parts.map((part) => toOperation(request, part));
    let responses: StorageResponse[];
    try {
      responses = run(store, entities, authorize, request, operations);
    } catch (error) {
      if (!(error instanceof OperationFailure)) throw error;
      const failed = new StorageError(error.error.status, error.error.code, `${error.index}:${error.error.message}`);
      const { contentType, body } = odataJsonErrorBody(failed, request.requestId, request.now);
      responses = [{ status: failed.status, headers: { 'Content-Type': contentType }, body }];
    }
    const batchId = `batchresponse_${randomUUID()}`;
    return {
      status: 202,
      headers: { 'Content-Type': `multipart/mixed; boundary=${batchId}` },
      body: multipartResponse(batchId, `changesetresponse_${randomUUID()}`, responses),
    };
  };
}

function toOperation(batch: StorageRequest, part: BatchPart): TableOperation | StorageError {
  try {
    const url = new URL(part.url, 'http://localhost');
    const [account, ...rest] = url.pathname.split('/').slice(1).map(decodeURIComponent);
    if (account !== batch.account.name) throw new TableDomainError('InvalidInput', `The operation URL ${part.url} is not in account ${batch.account.name}.`);
    const segments = splitTablePath(rest);
    if (segments.length === 0 || !isUserTable(segments) || segments.length === 2) throw new TableDomainError('InvalidInput', `The operation URL ${part.url} does not address a table or an entity.`);
    const [table, partitionKey, rowKey] = segments;
    const query = new URLSearchParams(url.search);
    return {
      method: part.method,
      account: batch.account.name,
      baseUrl: baseUrlOf(batch),
      table,
      keys: partitionKey !== undefined && rowKey !== undefined ? { partitionKey, rowKey } : undefined,
      query,
      header: (name) => part.headers.get(name.toLowerCase()),
      body: part.body,
      now: batch.now,
      range: keyRangeOf(batch.query),
    };
  } catch (error) {
    // new URL and decodeURIComponent throw their own errors for addresses that are not URLs.
    if (error instanceof TypeError || error instanceof URIError) return tableError('InvalidInput', `The operation URL ${part.url} is not valid.`);
    return toStorageError(error);
  }
}

function run(
  store: TableStore,
  entities: ReturnType<typeof entityHandlers>,
  authorize: TableAuthorizer,
  batch: StorageRequest,
  operations: Array<TableOperation | StorageError>,
): StorageResponse[] {
  const attempt = <T>(index: number, work: () => T): T => {
    try {
      return work();
    } catch (error) {
      throw new OperationFailure(index, toStorageError(error));
    }
  };
  const table = attempt(0, () => {
    const first = operations[0]!;
    if (first instanceof StorageError) throw first;
    return store.table(batch.account.name, first.table!);
  });
  return store.atomically(() => {
    const seen = new Set<string>();
    let partition: string | undefined;
    return operations.map((op, index) =>
      attempt(index, () => {
        if (index >= MAX_OPERATIONS) throw new TableDomainError('InvalidInput', `The batch request operation exceeds the maximum ${MAX_OPERATIONS} changes per change set.`);
        if (op instanceof StorageError) throw op;
        if (op.table!.toLowerCase() !== table.name.toLowerCase()) throw new TableDomainError('InvalidInput', 'All operations in a batch must address the same table.');
        const keys: EntityKeys = op.keys ?? readEntityBody(op.body);
        if ((partition ??= keys.partitionKey) !== keys.partitionKey) throw new TableDomainError('CommandsInBatchActOnDifferentPartitions');
        const id = entityKey(keys);
        if (seen.has(id)) throw new TableDomainError('InvalidDuplicateRow', `A command with RowKey '${keys.rowKey}' is already present in the batch. An entity can appear only once in a batch.`);
        seen.add(id);
        const [access, execute] = dispatch(entities, op);
        authorizeBatchOperation(authorize, batch, op.table!, access);
        return execute();
      }),
    );
  });
}

function dispatch(entities: ReturnType<typeof entityHandlers>, op: TableOperation): [TableAccess, () => StorageResponse] {
  const upsert = op.header('if-match') === undefined;
  if (op.method === 'POST' && !op.keys) return [ACCESS.insert, () => entities.insert(op)];
  if (op.keys) {
    switch (op.method) {
      case 'PUT':
        return [upsert ? ACCESS.upsert : ACCESS.update, () => entities.update(op, 'replace')];
      case 'MERGE':
      case 'PATCH':
        return [upsert ? ACCESS.upsert : ACCESS.update, () => entities.update(op, 'merge')];
      case 'DELETE':
        return [ACCESS.deleteEntity, () => entities.delete(op)];
    }
  }
  throw new TableDomainError('InvalidInput', `${op.method} is not an operation a changeset can hold.`);
}

function multipartResponse(batchBoundary: string, changesetBoundary: string, responses: StorageResponse[]): string {
  const lines = [`--${batchBoundary}`, `Content-Type: multipart/mixed; boundary=${changesetBoundary}`, ''];
  for (const response of responses) {
    lines.push(`--${changesetBoundary}`, 'Content-Type: application/http', 'Content-Transfer-Encoding: binary', '');
    lines.push(`HTTP/1.1 ${response.status} ${STATUS_CODES[response.status] ?? ''}`, 'X-Content-Type-Options: nosniff', 'Cache-Control: no-cache', 'DataServiceVersion: 3.0;');
    for (const [name, value] of Object.entries(response.headers ?? {})) if (value !== undefined) lines.push(`${name}: ${value}`);
    lines.push('', typeof response.body === 'string' ? response.body : '');
  }
  lines.push(`--${changesetBoundary}--`, `--${batchBoundary}--`, '');
  return lines.join('\r\n');
}
