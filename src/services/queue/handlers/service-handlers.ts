import { listingIncludes, listingPaging, listingResponse } from '../../storage-common/listing.js';
import type { StorageRequest } from '../../storage-common/request.js';
import type { StorageResponse } from '../../storage-common/response.js';
import { DISABLED_LOGGING, DISABLED_METRICS, servicePropertiesHandlers } from '../../storage-common/service-properties.js';
import type { XmlNode } from '../../storage-common/xml.js';
import type { QueueStore } from '../queue-store.js';

// What Get Queue Service Properties answers before anything was set.
const DEFAULT_PROPERTIES: XmlNode = { Logging: DISABLED_LOGGING, HourMetrics: DISABLED_METRICS, MinuteMetrics: DISABLED_METRICS, Cors: {} };

export function serviceHandlers(store: QueueStore) {
  return {
    listQueues(request: StorageRequest): StorageResponse {
      const include = listingIncludes(request, ['metadata']);
      const paging = listingPaging(request);
      const page = store.listQueues(request.account.name, paging.prefix, paging.marker, paging.maxResults);
      return listingResponse(request, paging, {
        items: { Queues: { Queue: page.items.map((q) => ({ Name: q.name, ...(include.has('metadata') ? { Metadata: { ...q.metadata } } : {}) })) } },
        nextMarker: page.nextMarker,
      });
    },

    ...servicePropertiesHandlers(store, DEFAULT_PROPERTIES),
  };
}
