import { EventHubConsumerClient, EventHubProducerClient, earliestEventPosition } from '@azure/event-hubs';
import { describe, expect, it } from 'vitest';
import { restore, snapshot, type Environment } from '../../../src/index.js';
import { BlobService } from '../../../src/services/blob/index.js';
import { EventHubsService } from '../../../src/services/eventhubs/index.js';
import { receive } from '../eventhubs/support.js';
import { useSnapshotRuntime } from './support.js';

const lz = useSnapshotRuntime(
  { blob: BlobService, eventhubs: EventHubsService },
  { data: { eventhubs: { hubs: { telemetry: { partitionCount: 2, consumerGroups: ['analytics'] } } } } },
);
const noRetry = { retryOptions: { maxRetries: 0, timeoutInMs: 5_000 } };

async function send(env: Environment, bodies: string[], partitionId: string): Promise<void> {
  const producer = new EventHubProducerClient(env.connectionStrings.eventhubs!, 'telemetry', noRetry);
  await producer.sendBatch(bodies.map((body) => ({ body })), { partitionId });
  await producer.close();
}

/** Each partition's properties and events, read from the earliest through the `analytics` consumer group. */
async function contents(env: Environment, expected: number[]) {
  const consumer = new EventHubConsumerClient('analytics', env.connectionStrings.eventhubs!, 'telemetry', noRetry);
  try {
    const partitions: Record<string, unknown> = {};
    for (const id of await consumer.getPartitionIds()) {
      const { lastEnqueuedSequenceNumber, lastEnqueuedOffset, lastEnqueuedOnUtc, isEmpty } = await consumer.getPartitionProperties(id);
      const events = await receive((handlers) => consumer.subscribe(id, handlers, { startPosition: earliestEventPosition, maxWaitTimeInSeconds: 0.2 }), expected[Number(id)]!);
      partitions[id] = {
        lastEnqueuedSequenceNumber,
        lastEnqueuedOffset,
        lastEnqueuedOnUtc,
        isEmpty,
        events: events.map((e) => `${e.sequenceNumber}@${e.offset} ${e.enqueuedTimeUtc.toISOString()} ${String(e.body)}`),
      };
    }
    return partitions;
  } finally {
    await consumer.close();
  }
}

describe('Event Hubs snapshots', () => {
  it('puts back every partition log with its sequence numbers, offsets and enqueued times, as often as asked', async () => {
    const env = await lz.worker('eh1');
    await send(env, ['a', 'b', 'c'], '0');
    await send(env, ['d'], '1');
    const saved = await contents(env, [3, 1]);
    expect(await snapshot('baseline', env)).toMatchObject({ services: ['blob', 'eventhubs'] });
    for (let round = 0; round < 2; round++) {
      await send(env, ['after the snapshot'], '0');
      await send(env, ['after the snapshot'], '1');
      await restore('baseline', env);
      expect(await contents(env, [3, 1])).toEqual(saved);
    }
  });

  it('goes on numbering after the restored log', async () => {
    const env = await lz.worker('eh2');
    await send(env, ['a'], '0');
    await snapshot('one-event', env);
    await send(env, ['b', 'c'], '0');
    await restore('one-event', env);
    await send(env, ['d'], '0');
    const events = (await contents(env, [2, 0]))['0'] as { events: string[] };
    expect(events.events.map((e) => e.replace(/@.*? .*? /, ' '))).toEqual(['0 a', '1 d']);
  });

  it('writes a namespace to snapshot-file JSON that restores into another namespace as it was', async () => {
    const [a, b] = [await lz.worker('eh4'), await lz.worker('eh5')];
    await send(a, ['a', 'b', 'c'], '0');
    await send(a, ['d'], '1');
    const saved = await contents(a, [3, 1]);
    const service = lz.runtime.manager.getService('eventhubs');
    const json = JSON.parse(JSON.stringify(service.encodeSnapshot(await service.captureNamespace(a.account.name)))) as unknown;
    await service.restoreNamespace(b.account.name, service.decodeSnapshot(json));
    expect(await contents(b, [3, 1])).toEqual(saved);
  });

  it('refuses to restore a snapshot the namespace never saved', async () => {
    const env = await lz.worker('eh3');
    await expect(restore('never-saved', env)).rejects.toMatchObject({ status: 404, remoteCode: 'SnapshotNotFound' });
  });
});
