import { commonErrors } from '../../storage-common/storage-error.js';
import { parseSignedIdentifiers, signedIdentifiersXml } from '../../storage-common/access-policy.js';
import { receiveText } from '../../storage-common/body.js';
import { metadataResponseHeaders, validMetadataOf } from '../../storage-common/metadata.js';
import type { StorageRequest } from '../../storage-common/request.js';
import type { StorageResponse } from '../../storage-common/response.js';
import { toXml } from '../../storage-common/xml.js';
import type { QueueRecord } from '../model.js';
import { queueNameOf } from '../queue-request.js';
import type { QueueStore } from '../queue-store.js';

// A queue policy grants only what a queue SAS can: read, add, update, process.
const QUEUE_PERMISSIONS = 'raup';

export function queueHandlers(store: QueueStore) {
  const queueOf = (request: StorageRequest): QueueRecord => store.queue(request.account.name, queueNameOf(request));

  return {
    /** 201 when created; 204 when it already exists with the same metadata (else QueueAlreadyExists). */
    create(request: StorageRequest): StorageResponse {
      const name = queueNameOf(request);
      const outcome = store.createQueue(request.account.name, name, validMetadataOf(request));
      return { status: outcome === 'created' ? 201 : 204 };
    },

    delete(request: StorageRequest): StorageResponse {
      store.deleteQueue(request.account.name, queueNameOf(request));
      return { status: 204 };
    },

    /** Get Queue Metadata: the metadata and the approximate number of messages. */
    getProperties(request: StorageRequest): StorageResponse {
      const queue = queueOf(request);
      return {
        status: 200,
        headers: { 'x-ms-approximate-messages-count': store.messageCount(queue, request.now), ...metadataResponseHeaders(queue.metadata) },
      };
    },

    setMetadata(request: StorageRequest): StorageResponse {
      const metadata = validMetadataOf(request);
      store.setMetadata(queueOf(request), metadata);
      return { status: 204 };
    },

    getAccessPolicy(request: StorageRequest): StorageResponse {
      const queue = queueOf(request);
      return { status: 200, headers: { 'Content-Type': 'application/xml' }, body: toXml(signedIdentifiersXml(queue.signedIdentifiers)) };
    },

    async setAccessPolicy(request: StorageRequest): Promise<StorageResponse> {
      const identifiers = parseSignedIdentifiers(await receiveText(request.raw), QUEUE_PERMISSIONS);
      store.setSignedIdentifiers(queueOf(request), identifiers);
      return { status: 204 };
    },
  };
}
