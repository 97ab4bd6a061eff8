import { receiveText } from '../storage-common/body.js';
import type { StorageQuota } from '../storage-common/quota.js';
import type { StorageRequest } from '../storage-common/request.js';
import { keyRangeOf, type KeyRange } from './auth.js';
import type { EntityKeys } from './entity.js';
import { baseUrlOf } from './odata.js';

/**
 * One table or entity operation, whether it arrived as its own request or
 * inside a batch: the handlers work on this and never on the socket.
 */
export interface TableOperation {
  method: string;
  account: string;
  /** `http://host:port/account`, for metadata links and Location. */
  baseUrl: string;
  /** The user table named in the path, when there is one. */
  table?: string;
  keys?: EntityKeys;
  query: URLSearchParams;
  header(name: string): string | undefined;
  body: string;
  now: number;
  /** The partition/row key range a table SAS limits this caller to. */
  range?: KeyRange;
}

const BODY_LIMIT = 4 * 1024 * 1024;

/**
 * Reads the request's body and addresses; the dispatcher has already split
 * the path (see resource.ts). With a `quota` (entity writes), a body that
 * cannot fit in the stored-data cap is refused as it streams in.
 */
export async function operationOf(request: StorageRequest, quota?: StorageQuota): Promise<TableOperation> {
  const [table, partitionKey, rowKey] = request.segments;
  const hasBody = ['POST', 'PUT', 'PATCH', 'MERGE'].includes(request.method);
  return {
    method: request.method,
    account: request.account.name,
    baseUrl: baseUrlOf(request),
    table,
    keys: partitionKey !== undefined && rowKey !== undefined ? { partitionKey, rowKey } : undefined,
    query: request.query,
    header: request.header,
    body: hasBody ? await receiveText(request.raw, BODY_LIMIT, quota) : '',
    now: request.now,
    range: keyRangeOf(request.query),
  };
}

/** `Prefer: return-no-content` asks for 204 instead of the written resource. */
export function prefersNoContent(op: Pick<TableOperation, 'header'>): boolean {
  return /(^|[,;\s])return-no-content\b/.test(op.header('prefer') ?? '');
}
