import { authorizeRequest, sasTerms, type ServiceSasGrant } from '../storage-common/authorize.js';
import type { StorageRoute } from '../storage-common/dispatcher.js';
import type { StorageRequest } from '../storage-common/request.js';
import type { SasParameters } from '../storage-common/sas.js';
import { blobQueueSharedKey } from '../storage-common/shared-key.js';
import { commonErrors } from '../storage-common/storage-error.js';
import type { BlobStore } from './blob-store.js';
import { blobError } from './errors.js';

/** What a blob route asks of the caller's credentials. */
export interface BlobAccess {
  /** Account SAS resource type: s(ervice), c(ontainer), o(bject). */
  level: 's' | 'c' | 'o';
  /** SAS permission letters of which any one grants the operation. */
  permissions: string;
  /** Anonymous callers pass when the container's public access is `container`, or this value. */
  publicRead?: 'container' | 'blob';
  /** What replaces `permissions` when the blob exists already: `c` (create) only writes a new blob, so overwriting needs `w`. */
  overwrite?: string;
  /** What replaces `permissions` when the request names a version (`versionid=`): deleting one needs `x`. */
  version?: string;
}

/** Shared Key, account SAS, service SAS (with stored access policies) and anonymous public reads. */
export function blobAuthorizer(store: BlobStore) {
  return (request: StorageRequest, route: Pick<StorageRoute<BlobAccess>, 'access'>): void =>
    authorizeRequest(request, {
      sharedKey: blobQueueSharedKey,
      needs: { service: 'b', resourceType: route.access.level, permissions: permissionsFor(store, request, route.access) },
      servicePermissions: 'racwdxyltfmeopi',
      serviceSas: (req, sas) => serviceSasGrant(store, req, sas, route.access),
      anonymous: (req) => allowPublicRead(store, req, route.access),
    });
}

function permissionsFor(store: BlobStore, request: StorageRequest, access: BlobAccess): string {
  if (access.version !== undefined && request.query.get('versionid') !== null) return access.version;
  if (access.overwrite === undefined) return access.permissions;
  const [container = '', blob = ''] = request.segments;
  const exists = store.findContainer(request.account.name, container)?.blobs.get(blob)?.committed === true;
  return exists ? access.overwrite : access.permissions;
}

function serviceSasGrant(store: BlobStore, request: StorageRequest, sas: SasParameters, access: BlobAccess): ServiceSasGrant {
  if (access.level === 's') throw commonErrors.authorizationFailure();
  // Of the container's own operations a service SAS may only list its blobs (l) or find them by tags (f); no letter grants the rest.
  if (access.level === 'c' && access.permissions !== 'l' && access.permissions !== 'f') throw commonErrors.permissionMismatch();
  const [container = '', blob] = request.segments;
  const resource = sas.sr ?? 'c';
  // Directories (d) exist only on hierarchical-namespace accounts, which this emulator does not offer.
  if (!['b', 'c', 'bs', 'bv'].includes(resource)) throw commonErrors.authenticationFailed(`The signed resource sr=${resource} is none of b, c, bs, bv.`);
  if (resource !== 'c' && access.level !== 'o') throw commonErrors.resourceTypeMismatch();
  const canonical = resource === 'c' ? `/blob/${request.account.name}/${container}` : `/blob/${request.account.name}/${container}/${blob}`;
  const policy =
    sas.si === undefined ? undefined : store.findContainer(request.account.name, container)?.signedIdentifiers.find((s) => s.id === sas.si);
  if (sas.si !== undefined && !policy) throw commonErrors.authenticationFailed(`The signed identifier "${sas.si}" is not a stored access policy of the container.`);
  const v = (name: string) => sas[name] ?? '';
  const timestamp = resource === 'bs' ? (request.query.get('snapshot') ?? '') : resource === 'bv' ? (request.query.get('versionid') ?? '') : '';
  const headerOverrides = [v('rscc'), v('rscd'), v('rsce'), v('rscl'), v('rsct')];
  const common = [v('sp'), v('st'), v('se'), canonical, v('si'), v('sip'), v('spr'), v('sv')];
  // Versions added fields over time: signed resource and snapshot (2018-11-09), encryption scope (2020-12-06).
  const fields =
    v('sv') >= '2020-12-06'
      ? [...common, resource, timestamp, v('ses'), ...headerOverrides]
      : v('sv') >= '2018-11-09'
        ? [...common, resource, timestamp, ...headerOverrides]
        : [...common, ...headerOverrides];
  return {
    stringToSign: fields.join('\n'),
    ...sasTerms(sas, policy),
  };
}

function allowPublicRead(store: BlobStore, request: StorageRequest, access: BlobAccess): void {
  const container = access.level === 's' ? undefined : store.findContainer(request.account.name, request.segments[0] ?? '');
  const level = container?.publicAccess;
  if (access.publicRead && level && (level === 'container' || level === access.publicRead)) return;
  // Azure does not reveal that a private resource exists.
  if (access.level === 's') throw commonErrors.noAuthenticationInformation();
  throw blobError('ResourceNotFound');
}
