import { randomBytes } from 'node:crypto';
import { BlobServiceClient, StorageSharedKeyCredential, type StoragePipelineOptions } from '@azure/storage-blob';
import { afterAll, beforeAll } from 'vitest';
import { buildEnvironment, ControlClient, workerAccount, type Environment } from '../../../src/index.js';
import type { LocalZureService, ServiceContext } from '../../../src/core/service.js';
import { LocalZureRuntime, type RuntimeOptions } from '../../../src/runtime/runtime.js';
import { BlobService } from '../../../src/services/blob/index.js';

export const quiet = { info() {}, warn() {}, error() {} };

/** Retries quick enough for a test: the SDK's own policy, with millisecond delays. */
export const fastRetries: StoragePipelineOptions = { retryOptions: { maxTries: 4, retryDelayInMs: 5, maxRetryDelayInMs: 20 } };

export interface ControlFixture {
  runtime: LocalZureRuntime;
  control: ControlClient;
  /** An Environment for a worker account of its own, registered like a test worker registers it. */
  worker(id: string): Promise<Environment>;
  blobClient(env: Environment, options?: StoragePipelineOptions): BlobServiceClient;
}

/** A runtime running this checkout's `services` (blob when absent; not a built package), for the test file. */
export function useControlRuntime(options: RuntimeOptions = {}, services: Record<string, new (context: ServiceContext) => LocalZureService> = { blob: BlobService }): ControlFixture {
  const fixture = {} as ControlFixture;
  beforeAll(async () => {
    const runtime = new LocalZureRuntime({ logger: quiet, ...options });
    for (const Service of Object.values(services)) runtime.manager.registerService(new Service(runtime.manager.context));
    await runtime.start(Object.keys(services));
    fixture.runtime = runtime;
    fixture.control = new ControlClient(runtime.controlUrl);
  });
  afterAll(() => fixture.runtime?.stop());
  fixture.worker = async (id) => {
    const env = buildEnvironment(fixture.runtime, workerAccount(fixture.runtime.account, id));
    await fixture.control.registerNamespace(env.account);
    return env;
  };
  fixture.blobClient = (env, pipeline = fastRetries) =>
    new BlobServiceClient(env.endpoints.blob!, new StorageSharedKeyCredential(env.account.name, env.account.key), pipeline);
  return fixture;
}

let counter = 0;

/** A container-safe unique name. */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}-${randomBytes(4).toString('hex')}`;
}
