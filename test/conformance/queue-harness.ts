import { QueueServiceClient, StorageSharedKeyCredential, type StoragePipelineOptions } from '@azure/storage-queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ACCOUNT } from '../../src/core/namespaces.js';
import { QueueService } from '../../src/services/queue/index.js';
import { startAzurite } from '../support/azurite.js';
import { namesFor, type AzuriteDifference, type Observation } from './harness/scenario.js';

// The queue flavour of the blob conformance harness (./harness): the same
// observations, names and Azurite-difference notes, driven through QueueServiceClient.

const PIPELINE: StoragePipelineOptions = { retryOptions: { maxTries: 1 } };
const SCENARIO_TIMEOUT_MS = 10_000;

export interface QueueNames {
  /** A fresh queue name, the same sequence on both servers and unique to the scenario. */
  queue(): string;
}

export type QueueScenarioRun = (client: QueueServiceClient, names: QueueNames) => Promise<Observation>;
type Define = (name: string, run: QueueScenarioRun, options?: { knownAzuriteDifference?: AzuriteDifference }) => void;

interface Target {
  client: QueueServiceClient;
  stop(): Promise<void>;
}

const credential = () => new StorageSharedKeyCredential(DEFAULT_ACCOUNT.name, DEFAULT_ACCOUNT.key);

async function startLocalZure(): Promise<Target> {
  const service = new QueueService({ port: 0 });
  await service.start();
  return { client: new QueueServiceClient(service.getEndpoint(DEFAULT_ACCOUNT)!.url, credential(), PIPELINE), stop: () => service.stop() };
}

async function startAzuriteTarget(): Promise<Target> {
  const azurite = await startAzurite('queue');
  return { client: new QueueServiceClient(azurite.url, credential(), PIPELINE), stop: azurite.stop };
}

function queueNamesFor(scenario: string): QueueNames {
  const names = namesFor(scenario);
  return { queue: () => names.container() };
}

async function observeLocalZure(target: Target, name: string, run: QueueScenarioRun): Promise<Observation> {
  try {
    return await run(target.client, queueNamesFor(name));
  } catch (error) {
    return { crashed: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

/**
 * Declares a group of queue scenarios, each run against LocalZure and
 * Azurite (started once for the group) and compared; with a known Azurite
 * difference, LocalZure is held to the Azure reference instead.
 */
export function queueConformance(title: string, define: (scenario: Define) => void): void {
  describe(`conformance: ${title}`, () => {
    let localzure: Target;
    let azurite: Target;
    beforeAll(async () => {
      [localzure, azurite] = await Promise.all([startLocalZure(), startAzuriteTarget()]);
    });
    afterAll(async () => {
      await Promise.all([localzure?.stop(), azurite?.stop()]);
    });
    define((name, run, options = {}) => {
      it(
        name,
        async () => {
          const [local, oracle] = await Promise.all([observeLocalZure(localzure, name, run), run(azurite.client, queueNamesFor(name))]);
          const difference = options.knownAzuriteDifference;
          if (!difference) {
            expect(local, 'LocalZure (left) against Azurite (right)').toEqual(oracle);
            return;
          }
          const reference = difference.expected(oracle);
          expect(oracle, `Azurite no longer deviates from ${difference.reference}; drop the note`).not.toEqual(reference);
          expect(local, `LocalZure (left) against the reference ${difference.reference}`).toEqual(reference);
        },
        SCENARIO_TIMEOUT_MS,
      );
    });
  });
}
