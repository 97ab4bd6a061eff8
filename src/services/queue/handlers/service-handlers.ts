import { listingIncludes, listingMaxResults, listingServiceEndpoint } from '../../storage-common/listing.js';
import type { StorageRequest } from '../../storage-common/request.js';
import type { StorageResponse } from '../../storage-common/response.js';
import {
  DISABLED_LOGGING,
  DISABLED_METRICS,
  mergedServiceProperties,
  servicePropertiesResponse,
  serviceStatsResponse,
} from '../../storage-common/service-properties.js';
import { toXml, type XmlNode } from '../../storage-common/xml.js';
import type { QueueStore } from '../queue-store.js';

// What Get Queue Service Properties answers before anything was set.
const DEFAULT_PROPERTIES: XmlNode = { Logging: DISABLED_LOGGING, HourMetrics: DISABLED_METRICS, MinuteMetrics: DISABLED_METRICS, Cors: {} };

export function serviceHandlers(store: QueueStore) {
  return {
    listQueues(request: StorageRequest): StorageResponse {
      const include = listingIncludes(request, ['metadata']);
      const prefix = request.query.get('prefix') ?? '';
      const marker = request.query.get('marker') || undefined;
      const maxResults = listingMaxResults(request);
      const page = store.listQueues(request.account.name, prefix, marker, maxResults);
      const body = toXml({
        EnumerationResults: {
          '@ServiceEndpoint': listingServiceEndpoint(request),
          ...(request.query.has('prefix') ? { Prefix: prefix } : {}),
          ...(request.query.has('marker') ? { Marker: marker ?? '' } : {}),
          ...(request.query.has('maxresults') ? { MaxResults: maxResults } : {}),
          Queues: {
            Queue: page.items.map((q) => ({ Name: q.name, ...(include.has('metadata') ? { Metadata: { ...q.metadata } } : {}) })),
          },
          NextMarker: page.nextMarker ?? '',
        },
      });
      return { status: 200, headers: { 'Content-Type': 'application/xml' }, body };
    },

    getProperties(request: StorageRequest): StorageResponse {
      return servicePropertiesResponse(DEFAULT_PROPERTIES, store.serviceProperties(request.account.name));
    },

    async setProperties(request: StorageRequest): Promise<StorageResponse> {
      const account = request.account.name;
      store.setServiceProperties(account, await mergedServiceProperties(request, Object.keys(DEFAULT_PROPERTIES), store.serviceProperties(account)));
      return { status: 202 };
    },

    getStatistics: serviceStatsResponse,
  };
}
