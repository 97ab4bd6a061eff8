import { randomBytes } from 'node:crypto';
import { QueueServiceClient, RestError, StorageSharedKeyCredential, type QueueClient, type StoragePipelineOptions } from '@azure/storage-queue';
import { afterAll, beforeAll } from 'vitest';
import { AdjustableClock } from '../../../src/core/clock.js';
import { DEFAULT_ACCOUNT, NamespaceRegistry } from '../../../src/core/namespaces.js';
import type { ServiceContext } from '../../../src/core/service.js';
import { QueueService } from '../../../src/services/queue/index.js';

/** Retries off: an error must surface at once, not after the SDK's backoff. */
export const noRetry: StoragePipelineOptions = { retryOptions: { maxTries: 1 } };

export interface QueueFixture {
  service: QueueService;
  /** The service's clock: advance it to move visibility timeouts and expiry. */
  clock: AdjustableClock;
  namespaces: NamespaceRegistry;
  /** `http://127.0.0.1:<port>/devstoreaccount1` */
  url: string;
  credential: StorageSharedKeyCredential;
  client: QueueServiceClient;
  /** A fresh queue with a unique name, already created. */
  newQueue(prefix?: string): Promise<QueueClient>;
}

/**
 * Starts a QueueService on a random port for the test file and stops it after.
 * Read the fixture's fields inside tests (they are filled in beforeAll).
 */
export function useQueueService(context: Partial<ServiceContext> = {}): QueueFixture {
  const fixture = {} as QueueFixture;
  beforeAll(async () => {
    fixture.clock = new AdjustableClock();
    fixture.namespaces = new NamespaceRegistry();
    fixture.service = new QueueService({ clock: fixture.clock, namespaces: fixture.namespaces, ...context });
    await fixture.service.start();
    fixture.url = fixture.service.getEndpoint(DEFAULT_ACCOUNT)!.url;
    fixture.credential = new StorageSharedKeyCredential(DEFAULT_ACCOUNT.name, DEFAULT_ACCOUNT.key);
    fixture.client = new QueueServiceClient(fixture.url, fixture.credential, noRetry);
    fixture.newQueue = async (prefix = 'q') => {
      const queue = fixture.client.getQueueClient(uniqueName(prefix));
      await queue.create();
      return queue;
    };
  });
  afterAll(async () => {
    await fixture.service?.stop();
  });
  return fixture;
}

let counter = 0;

/** A queue-safe unique name: lowercase, digits, single hyphens. */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}-${randomBytes(4).toString('hex')}`;
}

/** How a call failed: HTTP status and Azure's error code (the x-ms-error-code header). */
export async function errorOf(promise: Promise<unknown>): Promise<{ statusCode?: number; code?: string }> {
  try {
    await promise;
  } catch (error) {
    if (!(error instanceof RestError)) throw error;
    const details = error.details as { errorCode?: string } | undefined;
    return { statusCode: error.statusCode, code: details?.errorCode ?? error.code };
  }
  throw new Error('Expected the call to fail, but it succeeded.');
}
