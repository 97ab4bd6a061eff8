import { authorizeRequest, sasTerms, type ServiceSasGrant } from '../storage-common/authorize.js';
import type { StorageRequest } from '../storage-common/request.js';
import type { SasParameters } from '../storage-common/sas.js';
import { blobQueueSharedKey } from '../storage-common/shared-key.js';
import { commonErrors } from '../storage-common/storage-error.js';
import type { QueueStore } from './queue-store.js';

/** What a queue operation asks of the caller's credentials. */
export interface QueueAccess {
  /** Account SAS resource type: s(ervice), c(ontainer, here a queue), o(bject, here messages). */
  level: 's' | 'c' | 'o';
  /** SAS permission letters of which any one grants the operation (account and queue SAS use the same letters). */
  permissions: string;
  /** Whether a queue (service) SAS may perform the operation at all; only account SAS and Shared Key otherwise. */
  queueSas?: boolean;
}

/** Access fixed per route, or decided by the request (Get Messages versus Peek Messages share a route). */
export type QueueRouteAccess = QueueAccess | ((request: StorageRequest) => QueueAccess);

/** Shared Key, account SAS and queue SAS (with stored access policies); queues have no anonymous access. */
export function queueAuthorizer(store: QueueStore) {
  return (request: StorageRequest, route: { access: QueueRouteAccess }): void => {
    const access = typeof route.access === 'function' ? route.access(request) : route.access;
    authorizeRequest(request, {
      sharedKey: blobQueueSharedKey,
      needs: { service: 'q', resourceType: access.level, permissions: access.permissions },
      servicePermissions: 'raup',
      serviceSas: (req, sas) => queueSasGrant(store, req, sas, access),
      anonymous: () => {
        throw commonErrors.noAuthenticationInformation();
      },
    });
  };
}

function queueSasGrant(store: QueueStore, request: StorageRequest, sas: SasParameters, access: QueueAccess): ServiceSasGrant {
  if (access.level === 's') throw commonErrors.authorizationFailure();
  const queue = request.segments[0] ?? '';
  const policy = sas.si === undefined ? undefined : store.findQueue(request.account.name, queue)?.signedIdentifiers.find((s) => s.id === sas.si);
  if (sas.si !== undefined && !policy) throw commonErrors.authenticationFailed(`The signed identifier "${sas.si}" is not a stored access policy of the queue.`);
  const v = (name: string) => sas[name] ?? '';
  const stringToSign = [v('sp'), v('st'), v('se'), `/queue/${request.account.name}/${queue}`, v('si'), v('sip'), v('spr'), v('sv')].join('\n');
  const terms = sasTerms(sas, policy);
  // An operation no queue SAS may perform is refused whatever the SAS grants.
  return { stringToSign, ...terms, permissions: access.queueSas ? terms.permissions : '' };
}
