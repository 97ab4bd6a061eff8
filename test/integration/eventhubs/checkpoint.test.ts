import { EventHubConsumerClient, earliestEventPosition, type CheckpointStore, type PartitionOwnership, type Subscription } from '@azure/event-hubs';
import { BlobCheckpointStore } from '@azure/eventhubs-checkpointstore-blob';
import { ContainerClient } from '@azure/storage-blob';
import { beforeEach, describe, expect, it } from 'vitest';
import { noRetry, useEventHubs } from './support.js';

const eh = useEventHubs({ telemetry: { partitionCount: 4 } });
const PARTITIONS = ['0', '1', '2', '3'];
// Short claims so that an expired owner is seen in about a second; the SDK judges expiry by its own clock.
const loadBalancingOptions = { updateIntervalInMs: 100, partitionOwnershipExpirationIntervalInMs: 1_000 };

let store: CheckpointStore;
let container: ContainerClient;

beforeEach(async () => {
  container = new ContainerClient(eh.storageConnectionString, `checkpoints${Date.now()}`);
  await container.create();
  store = new BlobCheckpointStore(container);
});

function consumerWithStore(): EventHubConsumerClient {
  const client = new EventHubConsumerClient('$Default', eh.connectionString, 'telemetry', store, { ...noRetry, loadBalancingOptions });
  eh.clients.push(client);
  return client;
}

async function owners(): Promise<Map<string, string>> {
  const list: PartitionOwnership[] = await store.listOwnership(...namespaceHubGroup());
  return new Map(list.filter((o) => o.ownerId !== '').map((o) => [o.partitionId, o.ownerId]));
}

function namespaceHubGroup(): [string, string, string] {
  return [eh.consumer('telemetry').fullyQualifiedNamespace, 'telemetry', '$Default'];
}

async function until<T>(what: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 8_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await what();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const idle = { processEvents: async () => {}, processError: async () => {} };

describe('Event Hubs checkpointing in LocalZure blob (BlobCheckpointStore)', () => {
  it('shares the partitions between two consumer clients', async () => {
    const a = consumerWithStore();
    const b = consumerWithStore();
    const subs: Subscription[] = [a.subscribe(idle), b.subscribe(idle)];
    const owned = await until(owners, (o) => o.size === 4 && new Set(o.values()).size === 2 && [...countBy(o).values()].every((n) => n === 2));
    await Promise.all(subs.map((s) => s.close()));
    expect([...owned.keys()].sort()).toEqual(PARTITIONS);
    expect([...countBy(owned).values()]).toEqual([2, 2]);
  });

  it('starts after the checkpoint when a client restarts', async () => {
    const producer = eh.producer('telemetry');
    await producer.sendBatch([{ body: 'a' }, { body: 'b' }], { partitionId: '0' });
    const first = consumerWithStore();
    await new Promise<void>((resolve, reject) => {
      const sub = first.subscribe(
        {
          processEvents: async (events, context) => {
            const b = events.find((e) => e.body === 'b');
            if (b) {
              await context.updateCheckpoint(b);
              await sub.close();
              resolve();
            }
          },
          processError: async (error) => reject(error),
        },
        { startPosition: earliestEventPosition },
      );
    });
    await first.close();
    await producer.sendBatch([{ body: 'c' }], { partitionId: '0' });
    const seen: unknown[] = [];
    const second = consumerWithStore();
    await new Promise<void>((resolve) => {
      const sub = second.subscribe(
        {
          processEvents: async (events, context) => {
            if (context.partitionId !== '0') return;
            seen.push(...events.map((e) => e.body));
            if (seen.includes('c')) {
              await sub.close();
              resolve();
            }
          },
          processError: async () => {},
        },
        { startPosition: earliestEventPosition },
      );
    });
    expect(seen).toEqual(['c']);
  });

  it('takes over the partitions of a client that stopped renewing its claims once they expire', async () => {
    // A client that crashed: it claimed every partition and never came back.
    const [fullyQualifiedNamespace, eventHubName, consumerGroup] = namespaceHubGroup();
    await store.claimOwnership(PARTITIONS.map((partitionId) => ({ fullyQualifiedNamespace, eventHubName, consumerGroup, partitionId, ownerId: 'crashed' })));
    const survivor = consumerWithStore();
    const sub = survivor.subscribe(idle);
    const owned = await until(owners, (o) => [...o.values()].every((id) => id !== 'crashed'));
    await sub.close();
    expect([...owned.keys()].sort()).toEqual(PARTITIONS);
    expect(new Set(owned.values()).has('crashed')).toBe(false);
  });
});

function countBy(owners: Map<string, string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const id of owners.values()) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}
