import type { HttpMethod, StorageHandler, StorageRoute } from '../storage-common/dispatcher.js';
import { commonErrors } from '../storage-common/storage-error.js';
import type { QueueAccess, QueueRouteAccess } from './auth.js';
import { mapDomainErrors } from './errors.js';
import { isPeek, messageHandlers } from './handlers/message-handlers.js';
import { queueHandlers } from './handlers/queue-handlers.js';
import { serviceHandlers } from './handlers/service-handlers.js';
import type { QueueStore } from './queue-store.js';

const SERVICE = 0;
const QUEUE = 1;
const MESSAGES = 2;
const MESSAGE = 3;

/** `<queue>`, `<queue>/messages` or `<queue>/messages/<id>`; any other second segment names nothing. */
export function splitQueuePath(segments: string[]): string[] {
  if (segments.length > 1 && segments[1] !== 'messages') throw commonErrors.invalidUri();
  return segments;
}

const RECEIVE: QueueAccess = { level: 'o', permissions: 'p', queueSas: true };
const PEEK: QueueAccess = { level: 'o', permissions: 'r', queueSas: true };

/** The Queue service's operations: one row per method, depth and restype/comp, named as Azure names them. */
export function queueRoutes(store: QueueStore): StorageRoute<QueueRouteAccess>[] {
  const service = serviceHandlers(store);
  const queue = queueHandlers(store);
  const message = messageHandlers(store);

  type Row = [HttpMethod, number, { restype?: string; comp?: string }, QueueRouteAccess, StorageHandler, StorageRoute<QueueRouteAccess>['operation']];
  const rows: Row[] = [
    ['GET', SERVICE, { comp: 'list' }, { level: 's', permissions: 'l' }, service.listQueues, 'ListQueues'],
    ['GET', SERVICE, { restype: 'service', comp: 'properties' }, { level: 's', permissions: 'r' }, service.getProperties, 'GetQueueServiceProperties'],
    ['PUT', SERVICE, { restype: 'service', comp: 'properties' }, { level: 's', permissions: 'w' }, service.setProperties, 'SetQueueServiceProperties'],
    ['GET', SERVICE, { restype: 'service', comp: 'stats' }, { level: 's', permissions: 'r' }, service.getStatistics, 'GetQueueServiceStats'],

    ['PUT', QUEUE, {}, { level: 'c', permissions: 'cw' }, queue.create, 'CreateQueue'],
    ['DELETE', QUEUE, {}, { level: 'c', permissions: 'd' }, queue.delete, 'DeleteQueue'],
    ['GET', QUEUE, { comp: 'metadata' }, { level: 'c', permissions: 'r', queueSas: true }, queue.getProperties, 'GetQueueMetadata'],
    ['HEAD', QUEUE, { comp: 'metadata' }, { level: 'c', permissions: 'r', queueSas: true }, queue.getProperties, 'GetQueueMetadata'],
    ['PUT', QUEUE, { comp: 'metadata' }, { level: 'c', permissions: 'w' }, queue.setMetadata, 'SetQueueMetadata'],
    // Access policies are for the account owner only: no SAS of either kind may read or change them.
    ['GET', QUEUE, { comp: 'acl' }, { level: 'c', permissions: '' }, queue.getAccessPolicy, 'GetQueueACL'],
    ['HEAD', QUEUE, { comp: 'acl' }, { level: 'c', permissions: '' }, queue.getAccessPolicy, 'GetQueueACL'],
    ['PUT', QUEUE, { comp: 'acl' }, { level: 'c', permissions: '' }, queue.setAccessPolicy, 'SetQueueACL'],

    ['POST', MESSAGES, {}, { level: 'o', permissions: 'a', queueSas: true }, message.put, 'PutMessage'],
    ['GET', MESSAGES, {}, (request) => (isPeek(request) ? PEEK : RECEIVE), message.get, (request) => (isPeek(request) ? 'PeekMessages' : 'GetMessages')],
    ['DELETE', MESSAGES, {}, { level: 'o', permissions: 'd' }, message.clear, 'ClearMessages'],
    ['DELETE', MESSAGE, {}, { level: 'o', permissions: 'p', queueSas: true }, message.delete, 'DeleteMessage'],
    ['PUT', MESSAGE, {}, { level: 'o', permissions: 'u', queueSas: true }, message.update, 'UpdateMessage'],
  ];
  return rows.map(([method, depth, query, access, handle, operation]) => ({ method, depth, ...query, access, operation, handle: mapDomainErrors(handle) }));
}
