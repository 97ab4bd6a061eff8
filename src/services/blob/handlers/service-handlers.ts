import { receiveText } from '../../storage-common/body.js';
import type { StorageRequest } from '../../storage-common/request.js';
import type { StorageResponse } from '../../storage-common/response.js';
import { commonErrors } from '../../storage-common/storage-error.js';
import { parseXml, toXml, type XmlNode } from '../../storage-common/xml.js';
import { httpDate } from '../../storage-common/dates.js';
import type { BlobStore } from '../blob-store.js';
import { containerXml, includesOf, maxResultsOf, serviceEndpointOf } from '../listing.js';

const DISABLED_METRICS = { Version: '1.0', Enabled: false, RetentionPolicy: { Enabled: false } };

// What Get Blob Service Properties answers before anything was set.
const DEFAULT_PROPERTIES: XmlNode = {
  Logging: { Version: '1.0', Delete: false, Read: false, Write: false, RetentionPolicy: { Enabled: false } },
  HourMetrics: DISABLED_METRICS,
  MinuteMetrics: DISABLED_METRICS,
  Cors: {},
  DeleteRetentionPolicy: { Enabled: false },
  StaticWebsite: { Enabled: false },
};

const SETTABLE = ['Logging', 'HourMetrics', 'MinuteMetrics', 'Cors', 'DefaultServiceVersion', 'DeleteRetentionPolicy', 'StaticWebsite'];

export function serviceHandlers(store: BlobStore) {
  return {
    listContainers(request: StorageRequest): StorageResponse {
      const include = includesOf(request, ['metadata', 'deleted', 'system']);
      const prefix = request.query.get('prefix') ?? '';
      const marker = request.query.get('marker') || undefined;
      const maxResults = maxResultsOf(request);
      const page = store.listContainers(request.account.name, prefix, marker, maxResults);
      const body = toXml({
        EnumerationResults: {
          '@ServiceEndpoint': serviceEndpointOf(request),
          ...(request.query.has('prefix') ? { Prefix: prefix } : {}),
          ...(request.query.has('marker') ? { Marker: marker ?? '' } : {}),
          ...(request.query.has('maxresults') ? { MaxResults: maxResults } : {}),
          Containers: { Container: page.items.map((c) => containerXml(c, request.now, include.has('metadata'))) },
          NextMarker: page.nextMarker ?? '',
        },
      });
      return { status: 200, headers: { 'Content-Type': 'application/xml' }, body };
    },

    getProperties(request: StorageRequest): StorageResponse {
      const body = toXml({ StorageServiceProperties: { ...DEFAULT_PROPERTIES, ...(store.serviceProperties(request.account.name) as XmlNode) } });
      return { status: 200, headers: { 'Content-Type': 'application/xml' }, body };
    },

    /** Elements left out of the request keep their current values, as Azure does. */
    async setProperties(request: StorageRequest): Promise<StorageResponse> {
      const parsed = parseXml(await receiveText(request.raw)).StorageServiceProperties;
      if (typeof parsed !== 'object' || parsed === null) throw commonErrors.invalidXmlDocument();
      const given = Object.fromEntries(Object.entries(parsed).filter(([name]) => SETTABLE.includes(name)));
      store.setServiceProperties(request.account.name, { ...store.serviceProperties(request.account.name), ...given });
      return { status: 202 };
    },

    getStatistics(request: StorageRequest): StorageResponse {
      const body = toXml({ StorageServiceStats: { GeoReplication: { Status: 'live', LastSyncTime: httpDate(request.now) } } });
      return { status: 200, headers: { 'Content-Type': 'application/xml' }, body };
    },

    getAccountInfo(): StorageResponse {
      return {
        status: 200,
        headers: { 'x-ms-sku-name': 'Standard_RAGRS', 'x-ms-account-kind': 'StorageV2', 'x-ms-is-hns-enabled': false },
      };
    },
  };
}
