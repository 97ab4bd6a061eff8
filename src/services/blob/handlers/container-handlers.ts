import { isoDate7, parseDate } from '../../storage-common/dates.js';
import { receiveText } from '../../storage-common/body.js';
import type { StorageRequest } from '../../storage-common/request.js';
import type { StorageResponse } from '../../storage-common/response.js';
import { commonErrors } from '../../storage-common/storage-error.js';
import { asArray, parseXml, toXml } from '../../storage-common/xml.js';
import type { BlobStore } from '../blob-store.js';
import { containerNameOf, metadataOf } from '../blob-request.js';
import { containerHeaders, etagHeaders, metadataResponseHeaders } from '../blob-headers.js';
import { blobXml, includesOf, maxResultsOf, serviceEndpointOf } from '../listing.js';
import type { ContainerRecord, PublicAccess, SignedIdentifier } from '../model.js';
import { assertContainerReadable, assertContainerWritable } from '../preconditions.js';
import { leaseOperation } from './lease-handler.js';

const LIST_INCLUDES = ['metadata', 'snapshots', 'uncommittedblobs', 'copy', 'tags', 'deleted', 'versions', 'immutabilitypolicy', 'legalhold', 'deletedwithversions', 'permissions'] as const;

export function containerHandlers(store: BlobStore) {
  const containerOf = (request: StorageRequest): ContainerRecord => store.container(request.account.name, containerNameOf(request));

  return {
    create(request: StorageRequest): StorageResponse {
      const name = containerNameOf(request);
      const container = store.createContainer(request.account.name, name, { metadata: metadataOf(request), publicAccess: publicAccessOf(request) }, request.now);
      return { status: 201, headers: etagHeaders(container) };
    },

    delete(request: StorageRequest): StorageResponse {
      const container = containerOf(request);
      assertContainerWritable(request, container);
      store.deleteContainer(request.account.name, container.name);
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
      const metadata = metadataOf(request);
      assertContainerWritable(request, container);
      store.updateContainer(container, { metadata }, request.now);
      return { status: 200, headers: etagHeaders(container) };
    },

    getAccessPolicy(request: StorageRequest): StorageResponse {
      const container = containerOf(request);
      assertContainerReadable(request, container);
      const body = toXml({
        SignedIdentifiers: {
          SignedIdentifier: container.signedIdentifiers.map((s) => ({
            Id: s.id,
            AccessPolicy: {
              ...(s.start !== undefined ? { Start: s.start } : {}),
              ...(s.expiry !== undefined ? { Expiry: s.expiry } : {}),
              ...(s.permissions !== undefined ? { Permission: s.permissions } : {}),
            },
          })),
        },
      });
      return {
        status: 200,
        headers: { ...etagHeaders(container), 'x-ms-blob-public-access': container.publicAccess, 'Content-Type': 'application/xml' },
        body,
      };
    },

    async setAccessPolicy(request: StorageRequest): Promise<StorageResponse> {
      const publicAccess = publicAccessOf(request);
      const text = await receiveText(request.raw);
      const signedIdentifiers = text.trim() === '' ? [] : parseSignedIdentifiers(text);
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
      const include = includesOf(request, LIST_INCLUDES);
      const prefix = request.query.get('prefix') ?? '';
      const delimiter = request.query.get('delimiter') || undefined;
      const marker = request.query.get('marker') || undefined;
      const maxResults = maxResultsOf(request);
      const page = store.listBlobs(container, {
        prefix,
        delimiter,
        marker,
        maxResults,
        snapshots: include.has('snapshots'),
        uncommitted: include.has('uncommittedblobs'),
      });
      const blobs = page.items.filter((i) => i.kind === 'blob');
      const prefixes = page.items.filter((i) => i.kind === 'prefix');
      const body = toXml({
        EnumerationResults: {
          '@ServiceEndpoint': serviceEndpointOf(request),
          '@ContainerName': container.name,
          ...(request.query.has('prefix') ? { Prefix: prefix } : {}),
          ...(request.query.has('marker') ? { Marker: marker ?? '' } : {}),
          ...(request.query.has('maxresults') ? { MaxResults: maxResults } : {}),
          ...(delimiter !== undefined ? { Delimiter: delimiter } : {}),
          Blobs: {
            Blob: blobs.map((b) => blobXml(b.record.name, b.state, { snapshot: b.snapshot, lease: b.record.lease, now: request.now, include })),
            BlobPrefix: prefixes.map((p) => ({ Name: p.name })),
          },
          NextMarker: page.nextMarker ?? '',
        },
      });
      return { status: 200, headers: { 'Content-Type': 'application/xml' }, body };
    },
  };
}

function publicAccessOf(request: StorageRequest): PublicAccess | undefined {
  const value = request.header('x-ms-blob-public-access');
  if (value === undefined || value === '') return undefined;
  if (value !== 'container' && value !== 'blob') throw commonErrors.invalidHeaderValue('x-ms-blob-public-access', value);
  return value;
}

function parseSignedIdentifiers(text: string): SignedIdentifier[] {
  const root = parseXml(text).SignedIdentifiers as Record<string, unknown> | string | undefined;
  if (root === undefined) throw commonErrors.invalidXmlDocument();
  const entries = typeof root === 'object' ? asArray(root.SignedIdentifier as Record<string, unknown> | Record<string, unknown>[]) : [];
  if (entries.length > 5) throw commonErrors.invalidXmlDocument();
  return entries.map((entry) => {
    const id = typeof entry.Id === 'string' ? entry.Id : '';
    if (id === '' || id.length > 64) throw commonErrors.invalidXmlDocument();
    const policy = (typeof entry.AccessPolicy === 'object' ? entry.AccessPolicy : {}) as Record<string, unknown>;
    return {
      id,
      ...optionalDate('Start', policy.Start),
      ...optionalDate('Expiry', policy.Expiry),
      ...(typeof policy.Permission === 'string' && policy.Permission !== '' ? { permissions: policy.Permission } : {}),
    };
  });
}

// Azure answers stored policy times in its seven-digit ISO form.
function optionalDate(element: 'Start' | 'Expiry', value: unknown): Partial<SignedIdentifier> {
  if (typeof value !== 'string' || value === '') return {};
  const ms = parseDate(value);
  if (ms === undefined) throw commonErrors.invalidXmlDocument();
  return element === 'Start' ? { start: isoDate7(ms) } : { expiry: isoDate7(ms) };
}
