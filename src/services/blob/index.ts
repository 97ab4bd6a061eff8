import type { ServiceContext } from '../../core/service.js';
import { corsRulesOf } from '../storage-common/cors.js';
import { createStorageDispatcher } from '../storage-common/dispatcher.js';
import { sharedSeedLoader } from '../storage-common/shared-seed.js';
import { StorageService } from '../storage-common/storage-service.js';
import { blobAuthorizer, type BlobAccess } from './auth.js';
import { BlobStore } from './blob-store.js';
import { inspectBlobs } from './inspect.js';
import { blobRoutes, splitBlobPath } from './routes.js';
import { applyBlobSeed, readBlobSeed } from './seed.js';
import { BLOB_SNAPSHOT_ADAPTERS } from './snapshot.js';

const READ_BLOB = { access: { level: 'o', permissions: 'r', publicRead: 'blob' } } satisfies { access: BlobAccess };

/**
 * The Azure Blob service, in process: the unmodified `@azure/storage-blob`
 * client talks to it over HTTP with path-style URLs
 * (`http://127.0.0.1:<port>/<account>/<container>/<blob>`).
 *
 * @example
 * await using blob = new BlobService();
 * await blob.start();
 * const client = new BlobServiceClient(blob.getEndpoint(DEFAULT_ACCOUNT).url, new StorageSharedKeyCredential(DEFAULT_ACCOUNT.name, DEFAULT_ACCOUNT.key));
 */
export class BlobService extends StorageService {
  constructor(context: Partial<ServiceContext> = {}) {
    super(context, (ctx) => {
      const settings = ctx.storageAccount;
      const store = new BlobStore(ctx.limits?.maxStoredBytes, { versioning: settings?.versioning === true, containerSoftDeleteDays: settings?.containerSoftDeleteDays });
      const authorize = blobAuthorizer(store);
      return {
        name: 'blob',
        description: 'Azure Blob Storage emulator (in process)',
        connectionStringKey: 'BlobEndpoint',
        store,
        listener: createStorageDispatcher({
          service: 'blob',
          routes: blobRoutes(store, ctx.namespaces, (request) => authorize(request, READ_BLOB), authorize),
          namespaces: ctx.namespaces,
          clock: ctx.clock,
          logger: ctx.logger,
          splitPath: splitBlobPath,
          cors: (account) => corsRulesOf(store.serviceProperties(account)),
          authorize,
        }),
        snapshotAdapters: BLOB_SNAPSHOT_ADAPTERS,
        loadSeed: sharedSeedLoader(() => readBlobSeed(ctx.seed), (account, seed) => applyBlobSeed(store, account, seed, ctx.clock.now())),
        inspect: (account) => inspectBlobs(store, account),
      };
    });
  }
}

export default BlobService;
