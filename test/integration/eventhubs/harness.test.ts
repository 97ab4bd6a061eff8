import { EventHubConsumerClient, EventHubProducerClient, earliestEventPosition } from '@azure/event-hubs';
import { BlobCheckpointStore } from '@azure/eventhubs-checkpointstore-blob';
import { ContainerClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerStorageServices, licensedImage, servicesForBackend } from '../../../src/harness/storage-backend.js';
import { withLocalZure, workerEnvironment, type ServiceEvent } from '../../../src/index.js';

const quiet = { info() {}, warn() {}, error() {} };
const lz = withLocalZure(['eventhubs'], {
  logger: quiet,
  seed: { eventhubs: { hubs: { telemetry: { partitionCount: 2, consumerGroups: ['analytics'] } } } },
});
const noRetry = { retryOptions: { maxRetries: 0, timeoutInMs: 5_000 } };

beforeAll(() => lz.setup());
afterAll(() => lz.teardown());

describe('eventhubs in the harness', () => {
  it('starts blob first, as eventhubs depends on it', () => {
    expect(lz.environment.services).toEqual(['blob', 'eventhubs']);
  });

  it('hands out the Event Hubs connection string in the Environment and process.env', () => {
    const cs = lz.environment.connectionStrings.eventhubs!;
    expect(cs).toMatch(/^Endpoint=sb:\/\/127\.0\.0\.1:\d+;SharedAccessKeyName=devstoreaccount1;SharedAccessKey=[^;]+;UseDevelopmentEmulator=true$/);
    expect(process.env.LOCALZURE_EVENTHUBS_CONNECTION_STRING).toBe(cs);
    expect(lz.environment.connectionString).toContain('BlobEndpoint=http://127.0.0.1:');
  });

  it('checkpoints into the blob of the same Environment', async () => {
    const container = new ContainerClient(lz.environment.connectionString, 'harness-checkpoints');
    await container.createIfNotExists();
    const store = new BlobCheckpointStore(container);
    const producer = new EventHubProducerClient(lz.environment.connectionStrings.eventhubs!, 'telemetry', noRetry);
    await producer.sendBatch([{ body: 'x' }], { partitionId: '0' });
    await producer.close();
    const consumer = new EventHubConsumerClient('analytics', lz.environment.connectionStrings.eventhubs!, 'telemetry', store, noRetry);
    await new Promise<void>((resolve, reject) => {
      const sub = consumer.subscribe(
        {
          processEvents: async (events, context) => {
            if (events.length === 0) return;
            await context.updateCheckpoint(events[0]!).catch(reject);
            await sub.close();
            resolve();
          },
          processError: async (error) => reject(error),
        },
        { startPosition: earliestEventPosition },
      );
    });
    await consumer.close();
    const names: string[] = [];
    for await (const blob of container.listBlobsFlat()) names.push(blob.name);
    expect(names).toContain('127.0.0.1/telemetry/analytics/checkpoint/0');
  });

  it('resets eventhubs before blob, then seeds blob before eventhubs', async () => {
    const events: ServiceEvent[] = [];
    const listen = (event: ServiceEvent) => events.push(event);
    lz.runtime.manager.addEventListener(listen);
    await lz.reset();
    lz.runtime.manager.removeEventListener(listen);
    expect(events.map((e) => `${e.operation}:${e.serviceName}`)).toEqual(['reset:eventhubs', 'reset:blob', 'seed:blob', 'seed:eventhubs']);
  });

  it('empties the partitions on reset', async () => {
    const producer = new EventHubProducerClient(lz.environment.connectionStrings.eventhubs!, 'telemetry', noRetry);
    await producer.sendBatch([{ body: 'x' }], { partitionId: '0' });
    await lz.reset('eventhubs');
    const props = await producer.getPartitionProperties('0');
    await producer.close();
    expect(props).toMatchObject({ isEmpty: true, lastEnqueuedSequenceNumber: -1 });
  });

  it('gives a worker its own namespace, whose data the others never see', async () => {
    const worker = workerEnvironment(lz.environment, '3');
    lz.runtime.namespaces.add(worker.account);
    expect(worker.connectionStrings.eventhubs).toContain(`SharedAccessKeyName=${worker.account.name};`);
    const mine = new EventHubProducerClient(worker.connectionStrings.eventhubs!, 'telemetry', noRetry);
    await mine.sendBatch([{ body: 'w' }], { partitionId: '1' });
    const theirs = new EventHubProducerClient(lz.environment.connectionStrings.eventhubs!, 'telemetry', noRetry);
    const [own, other] = await Promise.all([mine.getPartitionProperties('1'), theirs.getPartitionProperties('1')]);
    await Promise.all([mine.close(), theirs.close()]);
    expect(own.lastEnqueuedSequenceNumber).toBe(0);
    expect(other.isEmpty).toBe(true);
  });
});

describe('eventhubs on the container backend', () => {
  it('asks for Microsoft image as eventhubs-container, beside the azurite it keeps metadata in', () => {
    expect(servicesForBackend(['blob', 'eventhubs'], 'container')).toEqual(['azurite', 'eventhubs-container']);
    expect(servicesForBackend(['eventhubs'], 'in-process')).toEqual(['eventhubs']);
  });

  it('hands out the blob endpoint for the checkpoint store even when only eventhubs is asked for', () => {
    expect(containerStorageServices(['eventhubs'], 'container')).toEqual(['blob']);
  });

  it('asks for the licence of the image only when the image is what starts', () => {
    expect(licensedImage('eventhubs')).toBeUndefined();
    expect(licensedImage('eventhubs-container')).toBe('eventhubs');
  });
});
