import { parseSignedIdentifiers, signedIdentifiersXml } from '../../storage-common/access-policy.js';
import { receiveText } from '../../storage-common/body.js';
import { listingIncludes, listingPaging, listingResponse } from '../../storage-common/listing.js';
import { metadataResponseHeaders, validMetadataOf } from '../../storage-common/metadata.js';
import type { StorageRequest } from '../../storage-common/request.js';
import type { StorageResponse } from '../../storage-common/response.js';
import { commonErrors } from '../../storage-common/storage-error.js';
import { toXml } from '../../storage-common/xml.js';
import type { BlobStore } from '../blob-store.js';
import { containerNameOf } from '../blob-request.js';
import { containerHeaders, etagHeaders } from '../blob-headers.js';
import { decodeListMarker, encodeListMarker } from '../list-marker.js';
import { blobXml } from '../listing.js';
import type { ContainerRecord, PublicAccess } from '../model.js';
import { assertContainerReadable, assertContainerWritable } from '../preconditions.js';
import { leaseOperation } from './lease-handler.js';

const LIST_INCLUDES = ['metadata', 'snapshots', 'uncommittedblobs', 'copy', 'tags', 'deleted', 'versions', 'immutabilitypolicy', 'legalhold', 'deletedwithversions', 'permissions'] as const;

export function containerHandlers(store: BlobStore) {
  const containerOf = (request: StorageRequest): ContainerRecord => store.container(request.account.name, containerNameOf(request));

  return {
    create(request: StorageRequest): StorageResponse {
      const name = containerNameOf(request);
      const container = store.createContainer(request.account.name, name, { metadata: validMetadataOf(request), publicAccess: publicAccessOf(request) }, request.now);
      return { status: 201, headers: etagHeaders(container) };
    },

    delete(request: StorageRequest): StorageResponse {
      const container = containerOf(request);
      assertContainerWritable(request, container);
      store.deleteContainer(request.account.name, container.name, request.now);
      return { status: 202 };
    },

    getProperties(request: StorageRequest): StorageResponse {
      const container = containerOf(request);
      assertContainerReadable(request, container);
      return { status: 200, headers: containerHeaders(container, request.now) };
    },

    getMetadata(request: StorageRequest): StorageResponse {
      const container = containerOf(request);
      assertContainerReadable(request, container);
      return { status: 200, headers: { ...etagHeaders(container), ...metadataResponseHeaders(container.metadata) } };
    },

    setMetadata(request: StorageRequest): StorageResponse {
      const container = containerOf(request);
      const metadata = validMetadataOf(request);
      assertContainerWritable(request, container);
      store.updateContainer(container, { metadata }, request.now);
      return { status: 200, headers: etagHeaders(container) };
    },

    getAccessPolicy(request: StorageRequest): StorageResponse {
      const container = containerOf(request);
      assertContainerReadable(request, container);
      return {
        status: 200,
        headers: { ...etagHeaders(container), 'x-ms-blob-public-access': container.publicAccess, 'Content-Type': 'application/xml' },
        body: toXml(signedIdentifiersXml(container.signedIdentifiers)),
      };
    },

    async setAccessPolicy(request: StorageRequest): Promise<StorageResponse> {
      const publicAccess = publicAccessOf(request);
      const signedIdentifiers = parseSignedIdentifiers(await receiveText(request.raw));
      const container = containerOf(request);
      assertContainerWritable(request, container);
      store.updateContainer(container, { publicAccess, signedIdentifiers }, request.now);
      return { status: 200, headers: etagHeaders(container) };
    },

    lease(request: StorageRequest): StorageResponse {
      return leaseOperation(request, containerOf(request));
    },

    listBlobs(request: StorageRequest): StorageResponse {
      const container = containerOf(request);
      store.expireDue(request.now);
      const include = listingIncludes(request, LIST_INCLUDES);
      const delimiter = request.query.get('delimiter') || undefined;
      const paging = listingPaging(request);
      // startFrom (inclusive) and the continuation marker both bound the names from below; the later one wins.
      const startFrom = request.query.get('startFrom') || undefined;
      const continuation = paging.marker === undefined ? undefined : decodeListMarker(paging.marker);
      const marker = startFrom !== undefined && (continuation === undefined || startFrom > continuation.name) ? { name: startFrom } : continuation;
      const page = store.listBlobs(container, {
        ...paging,
        marker,
        delimiter,
        snapshots: include.has('snapshots'),
        uncommitted: include.has('uncommittedblobs'),
        versions: include.has('versions'),
        deleted: include.has('deleted'),
        deletedWithVersions: include.has('deletedwithversions'),
      });
      const blobs = page.items.filter((i) => i.kind === 'blob');
      const prefixes = page.items.filter((i) => i.kind === 'prefix');
      return listingResponse(request, paging, {
        attributes: { '@ContainerName': container.name },
        items: {
          ...(delimiter !== undefined ? { Delimiter: delimiter } : {}),
          Blobs: {
            Blob: blobs.map((b) =>
              blobXml(b.record.name, b.state, {
                snapshot: b.snapshot,
                lease: b.record.lease,
                now: request.now,
                include,
                uncommitted: b.snapshot === undefined && b.version === undefined && b.deleted === undefined && !b.hasVersionsOnly && !b.record.committed,
                version: b.version,
                deleted: b.deleted,
                hasVersionsOnly: b.hasVersionsOnly,
              }),
            ),
            BlobPrefix: prefixes.map((p) => ({ Name: p.name })),
          },
        },
        nextMarker: page.nextMarker && encodeListMarker(page.nextMarker),
      });
    },
  };
}

function publicAccessOf(request: StorageRequest): PublicAccess | undefined {
  const value = request.header('x-ms-blob-public-access');
  if (value === undefined || value === '') return undefined;
  if (value !== 'container' && value !== 'blob') throw commonErrors.invalidHeaderValue('x-ms-blob-public-access', value);
  return value;
}
