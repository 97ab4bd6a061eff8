import { randomBytes } from 'node:crypto';
import { BlobServiceClient, StorageSharedKeyCredential, type StoragePipelineOptions } from '@azure/storage-blob';
import { afterAll, beforeAll } from 'vitest';
import { AdjustableClock } from '../../../src/core/clock.js';
import { DEFAULT_ACCOUNT, NamespaceRegistry } from '../../../src/core/namespaces.js';
import type { ServiceContext } from '../../../src/core/service.js';
import { BlobService } from '../../../src/services/blob/index.js';

/** Retries off: an error must surface at once, not after the SDK's backoff. */
export const noRetry: StoragePipelineOptions = { retryOptions: { maxTries: 1 } };

export interface BlobFixture {
  service: BlobService;
  clock: AdjustableClock;
  namespaces: NamespaceRegistry;
  /** `http://127.0.0.1:<port>/devstoreaccount1` */
  url: string;
  credential: StorageSharedKeyCredential;
  client: BlobServiceClient;
}

/**
 * Starts a BlobService on a random port for the test file and stops it after.
 * Read the fixture's fields inside tests (they are filled in beforeAll).
 */
export function useBlobService(context: Partial<ServiceContext> = {}): BlobFixture {
  const fixture = {} as BlobFixture;
  beforeAll(async () => {
    fixture.clock = new AdjustableClock();
    fixture.namespaces = new NamespaceRegistry();
    fixture.service = new BlobService({ clock: fixture.clock, namespaces: fixture.namespaces, ...context });
    await fixture.service.start();
    fixture.url = fixture.service.getEndpoint(DEFAULT_ACCOUNT)!.url;
    fixture.credential = new StorageSharedKeyCredential(DEFAULT_ACCOUNT.name, DEFAULT_ACCOUNT.key);
    fixture.client = new BlobServiceClient(fixture.url, fixture.credential, noRetry);
  });
  afterAll(async () => {
    await fixture.service?.stop();
  });
  return fixture;
}

let counter = 0;

/** A container-safe unique name: lowercase, digits, hyphens. */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}-${randomBytes(4).toString('hex')}`;
}

/** The Azure error code the SDK reports for a failed call. */
export async function errorOf(promise: Promise<unknown>): Promise<{ statusCode?: number; code?: string }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { statusCode?: number; code?: string; details?: { errorCode?: string } };
    return { statusCode: e.statusCode, code: e.details?.errorCode ?? e.code };
  }
  throw new Error('Expected the call to fail, but it succeeded.');
}
