import type { CosmosResponse } from './request.js';
import type { ContainerState, Resource, StoredItem } from './store.js';
import type { Page } from './paging.js';

/** A single resource with its `etag`. */
export function resourceResponse(status: number, resource: Resource, headers: Record<string, string | number | undefined> = {}): CosmosResponse {
  return { status, headers: { etag: resource._etag as string, ...headers }, body: resource };
}

/** An item, with the session token the SDK keeps for session consistency. */
export function itemResponse(status: number, container: ContainerState, item: StoredItem): CosmosResponse {
  return resourceResponse(status, item.body, { 'x-ms-session-token': sessionToken(container), 'x-ms-item-lsn': item.lsn });
}

export function sessionToken(container: ContainerState): string {
  return `0:-1#${Math.max(1, container.lsn)}`;
}

/** A page of a feed or query: `{ _rid, <Name>: [...], _count }` with the item count and continuation headers. */
export function feedResponse(name: string, rid: string, page: Page, headers: Record<string, string | number | undefined> = {}): CosmosResponse {
  return {
    status: 200,
    headers: { 'x-ms-item-count': page.items.length, 'x-ms-continuation': page.continuation, ...headers },
    body: { _rid: rid, [name]: page.items, _count: page.items.length },
  };
}
