import { BlobServiceClient, StorageSharedKeyCredential, type StoragePipelineOptions } from '@azure/storage-blob';
import { DEFAULT_ACCOUNT } from '../../../src/core/namespaces.js';
import { startAzurite } from '../../support/azurite.js';

/**
 * One retry-free try per request: a server that answers 500 or drops the
 * connection must show up as that observation at once, not after the SDK's
 * back-off has eaten the suite's time budget.
 */
export const PIPELINE: StoragePipelineOptions = { retryOptions: { maxTries: 1 } };

/** An emulator under comparison, reachable at a path-style account URL. */
export interface Target {
  name: 'localzure' | 'azurite';
  /** `http://127.0.0.1:<port>/devstoreaccount1` */
  url: string;
  client: BlobServiceClient;
  stop(): Promise<void>;
}

function target(name: Target['name'], url: string, stop: () => Promise<void>): Target {
  const credential = new StorageSharedKeyCredential(DEFAULT_ACCOUNT.name, DEFAULT_ACCOUNT.key);
  return { name, url, client: new BlobServiceClient(url, credential, PIPELINE), stop };
}

async function startLocalZure(): Promise<Target> {
  const { BlobService } = await import('../../../src/services/blob/index.js');
  const service = new BlobService({ port: 0 });
  await service.start();
  const endpoint = service.getEndpoint(DEFAULT_ACCOUNT);
  if (!endpoint) throw new Error('the running BlobService has no endpoint for the default account');
  return target('localzure', endpoint.url, () => service.stop());
}

async function startAzuriteTarget(): Promise<Target> {
  const azurite = await startAzurite('blob');
  return target('azurite', azurite.url, azurite.stop);
}

/**
 * With CONFORMANCE_SELF_CHECK=1 a second Azurite stands in for LocalZure:
 * every scenario must then pass, which proves no observation leaks a value
 * that differs between two correct servers (etags, dates, request ids).
 */
function selfCheck(): boolean {
  return process.env.CONFORMANCE_SELF_CHECK === '1';
}

export interface Targets {
  localzure: Target;
  azurite: Target;
  selfCheck: boolean;
  stop(): Promise<void>;
}

export async function startTargets(): Promise<Targets> {
  const check = selfCheck();
  const started = await Promise.allSettled([
    check ? startAzuriteTarget().then((t) => ({ ...t, name: 'localzure' as const })) : startLocalZure(),
    startAzuriteTarget(),
  ]);
  const running = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await Promise.all(running.map((t) => t.stop()));
    throw failed.reason;
  }
  const [localzure, azurite] = running as [Target, Target];
  return {
    localzure,
    azurite,
    selfCheck: check,
    stop: async () => {
      await Promise.all([localzure.stop(), azurite.stop()]);
    },
  };
}
