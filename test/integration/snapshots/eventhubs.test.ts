import { EventHubConsumerClient, EventHubProducerClient, earliestEventPosition } from '@azure/event-hubs';
import { describe, expect, it } from 'vitest';
import { restore, snapshot, type Environment } from '../../../src/index.js';
import { BlobService } from '../../../src/services/blob/index.js';
import { EventHubsService } from '../../../src/services/eventhubs/index.js';
import { receive } from '../eventhubs/support.js';
import { useControlRuntime } from '../control/support.js';
import { itSharesSnapshotBehaviour } from './support.js';

const lz = useControlRuntime({ seed: { data: { eventhubs: { hubs: { telemetry: { partitionCount: 2, consumerGroups: ['analytics'] } } } } } }, { blob: BlobService, eventhubs: EventHubsService });
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

  itSharesSnapshotBehaviour(lz, {
    service: 'eventhubs',
    baseline: async (env) => {
      await send(env, ['a', 'b', 'c'], '0');
      await send(env, ['d'], '1');
    },
    contents: (env) => contents(env, [3, 1]),
  }, ['eh4', 'eh5', 'eh3']);
});
