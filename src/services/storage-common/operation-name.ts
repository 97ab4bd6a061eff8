import type { StorageRoute } from './dispatcher.js';
import type { StorageRequest } from './request.js';

/**
 * Azure's name for what a request does, as the journal records it and faults
 * match it. Routes name themselves; a request no route takes, or a route
 * still without a name, gets a stand-in built from what the dispatcher
 * matches on: method, path depth and `restype`/`comp`, e.g. `PUT 1 comp=metadata`.
 */
export function operationName(route: StorageRoute<unknown> | undefined, request: StorageRequest): string {
  const named = route?.operation;
  if (typeof named === 'function') return named(request);
  if (named !== undefined) return named;
  const query = ['restype', 'comp']
    .map((name) => [name, request.query.get(name)] as const)
    .filter(([, value]) => value !== null)
    .map(([name, value]) => ` ${name}=${value}`)
    .join('');
  return `${request.method} ${request.segments.length}${query}`;
}
