import type { ServiceContext } from '../../core/service.js';
import { corsRulesOf } from '../storage-common/cors.js';
import { createStorageDispatcher } from '../storage-common/dispatcher.js';
import { sharedSeedLoader } from '../storage-common/shared-seed.js';
import { StorageService } from '../storage-common/storage-service.js';
import { queueAuthorizer } from './auth.js';
import { inspectQueues } from './inspect.js';
import { QueueStore } from './queue-store.js';
import { queueRoutes, splitQueuePath } from './routes.js';
import { applyQueueSeed, readQueueSeed } from './seed.js';
import { QUEUE_SNAPSHOT_ADAPTERS } from './snapshot.js';

/**
 * The Azure Queue service, in process: the unmodified `@azure/storage-queue`
 * client talks to it over HTTP with path-style URLs
 * (`http://127.0.0.1:<port>/<account>/<queue>`). Visibility timeouts and
 * message expiry follow the context's clock, so tests move time instead of sleeping.
 *
 * @example
 * await using queue = new QueueService();
 * await queue.start();
 * const client = new QueueServiceClient(queue.getEndpoint(DEFAULT_ACCOUNT).url, new StorageSharedKeyCredential(DEFAULT_ACCOUNT.name, DEFAULT_ACCOUNT.key));
 */
export class QueueService extends StorageService {
  constructor(context: Partial<ServiceContext> = {}) {
    super(context, (ctx) => {
      const store = new QueueStore(ctx.limits?.maxStoredBytes);
      return {
        name: 'queue',
        description: 'Azure Queue Storage emulator (in process)',
        connectionStringKey: 'QueueEndpoint',
        store,
        listener: createStorageDispatcher({
          service: 'queue',
          routes: queueRoutes(store),
          namespaces: ctx.namespaces,
          clock: ctx.clock,
          logger: ctx.logger,
          splitPath: splitQueuePath,
          cors: (account) => corsRulesOf(store.serviceProperties(account)),
          authorize: queueAuthorizer(store),
        }),
        snapshotAdapters: QUEUE_SNAPSHOT_ADAPTERS,
        loadSeed: sharedSeedLoader(() => readQueueSeed(ctx.seed), (account, seed) => applyQueueSeed(store, account, seed, ctx.clock.now())),
        inspect: (account) => inspectQueues(store, ctx.clock.now(), account),
      };
    });
  }
}

export default QueueService;
