import { badRequest } from '../errors.js';
import { pageSize } from '../paging.js';
import { rangeScope } from '../partition-key-ranges.js';
import type { CosmosRequest, CosmosResponse } from '../request.js';
import { sessionToken } from '../responses.js';
import type { ContainerState } from '../store.js';
import { partitionKeyOf, type CosmosContext } from './context.js';

const PAGE = 100;

/**
 * The latest-version change feed of a container, one logical partition, or
 * one partition key range or feed range (the SDK keeps a continuation per range).
 * The continuation is the ETag (`"<lsn>"`): If-None-Match resumes after it,
 * `*` starts from now, If-Modified-Since from a point in time, neither from
 * the beginning. Nothing new is 304 with the same ETag, as in Azure.
 */
export function readChangeFeed(context: CosmosContext, request: CosmosRequest, container: ContainerState): CosmosResponse {
  const mode = request.header('a-im')!;
  if (mode.toLowerCase() !== 'incremental feed') {
    throw badRequest(`LocalZure's Cosmos DB emulator serves the latest-version change feed (A-IM: Incremental feed) only; "${mode}" (all versions and deletes) is not supported yet.`);
  }
  const ifNoneMatch = request.header('if-none-match');
  const since = ifNoneMatch === undefined ? 0 : ifNoneMatch === '*' ? container.lsn : lsnOf(ifNoneMatch);
  const modifiedSince = request.header('if-modified-since');
  const sinceTime = modifiedSince === undefined ? undefined : Date.parse(modifiedSince);
  if (sinceTime !== undefined && Number.isNaN(sinceTime)) throw badRequest(`If-Modified-Since (${modifiedSince}) is not an HTTP date.`);
  // -1 leaves the page size to the service, as in Azure.
  const size = pageSize(request.header('x-ms-max-item-count')) ?? PAGE;
  const inRange = rangeScope(container, request.header);
  const all = context.store.changes(container, partitionKeyOf(request), since, sinceTime, request.now);
  const changes = (inRange ? all.filter((item) => inRange(item.key)) : all).slice(0, size);
  const headers = { 'x-ms-session-token': sessionToken(container) };
  if (changes.length === 0) return { status: 304, headers: { ...headers, etag: `"${since}"` } };
  const etag = `"${changes[changes.length - 1]!.lsn}"`;
  return {
    status: 200,
    headers: { ...headers, etag, 'x-ms-item-count': changes.length },
    body: { _rid: container.resource._rid, Documents: changes.map((c) => Object.assign({}, c.body, { _lsn: c.lsn })), _count: changes.length },
  };
}

function lsnOf(etag: string): number {
  const n = Number(etag.replace(/^"|"$/g, ''));
  if (!Number.isInteger(n) || n < 0) throw badRequest(`The change feed continuation ${etag} is not one this emulator issued.`);
  return n;
}
