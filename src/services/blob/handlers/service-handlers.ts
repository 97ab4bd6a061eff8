import { listingIncludes, listingPaging, listingResponse } from '../../storage-common/listing.js';
import type { StorageRequest } from '../../storage-common/request.js';
import type { StorageResponse } from '../../storage-common/response.js';
import { commonErrors } from '../../storage-common/storage-error.js';
import { DISABLED_LOGGING, DISABLED_METRICS, servicePropertiesHandlers } from '../../storage-common/service-properties.js';
import type { XmlNode } from '../../storage-common/xml.js';
import type { BlobStore } from '../blob-store.js';
import { containerXml } from '../listing.js';
import { checkDeleteRetentionPolicy } from '../soft-delete.js';

// What Get Blob Service Properties answers before anything was set.
const DEFAULT_PROPERTIES: XmlNode = {
  Logging: DISABLED_LOGGING,
  HourMetrics: DISABLED_METRICS,
  MinuteMetrics: DISABLED_METRICS,
  Cors: {},
  DeleteRetentionPolicy: { Enabled: false },
  StaticWebsite: { Enabled: false },
};

// DefaultServiceVersion has no default to answer, but a client may set it.
const SETTABLE = [...Object.keys(DEFAULT_PROPERTIES), 'DefaultServiceVersion'];

export function serviceHandlers(store: BlobStore) {
  return {
    listContainers(request: StorageRequest): StorageResponse {
      const include = listingIncludes(request, ['metadata', 'deleted', 'system']);
      const paging = listingPaging(request);
      const account = request.account.name;
      const withMetadata = include.has('metadata');
      const page = include.has('deleted')
        ? store.listContainersWithDeleted(account, paging.prefix, paging.marker, paging.maxResults, request.now)
        : store.listContainers(account, paging.prefix, paging.marker, paging.maxResults);
      return listingResponse(request, paging, {
        items: {
          Containers: {
            Container: page.items.map((c) => ('version' in c ? containerXml(c.container, request.now, withMetadata, c) : containerXml(c, request.now, withMetadata))),
          },
        },
        nextMarker: page.nextMarker,
      });
    },

    ...servicePropertiesHandlers(
      {
        serviceProperties: (account) => store.serviceProperties(account),
        // Soft delete reads its retention from here, so a policy it cannot apply is refused as Azure refuses it.
        setServiceProperties: (account, properties) => {
          checkDeleteRetentionPolicy(properties.DeleteRetentionPolicy);
          store.setServiceProperties(account, properties);
        },
      },
      DEFAULT_PROPERTIES,
      SETTABLE,
    ),

    /** Get User Delegation Key needs an OAuth bearer token; Shared Key and SAS are refused as Azure refuses them. */
    getUserDelegationKey(): StorageResponse {
      throw commonErrors.authenticationFailed('Only authentication scheme Bearer is supported');
    },

    getAccountInfo(): StorageResponse {
      return {
        status: 200,
        headers: { 'x-ms-sku-name': 'Standard_RAGRS', 'x-ms-account-kind': 'StorageV2', 'x-ms-is-hns-enabled': false },
      };
    },
  };
}
