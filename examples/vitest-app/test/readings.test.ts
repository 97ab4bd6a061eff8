import { EventHubProducerClient } from '@azure/event-hubs';
import { afterEach, describe, expect, it } from 'vitest';
import { useLocalZure } from 'localzure/vitest';
import { publish, WarmestReadings } from '../src/readings.js';

// Each test starts with empty partitions and empty blob: useLocalZure resets this worker's namespace.
const env = useLocalZure();
let consumer: WarmestReadings | undefined;
afterEach(async () => {
  await consumer?.close();
  consumer = undefined;
});

describe('WarmestReadings', () => {
  it('keeps the warmest reading of each sensor', async () => {
    await publish(env.connectionStrings.eventhubs!, [
      { sensor: 'attic', celsius: 21 },
      { sensor: 'attic', celsius: 25 },
      { sensor: 'cellar', celsius: 12 },
    ]);
    consumer = new WarmestReadings(env.connectionStrings.eventhubs!, env.connectionString);
    await consumer.readUntil(3);
    expect(Object.fromEntries(consumer.warmest)).toEqual({ attic: 25, cellar: 12 });
  });

  it('starts from empty partitions in every test', async () => {
    const producer = new EventHubProducerClient(env.connectionStrings.eventhubs!, 'readings');
    const partitions = await Promise.all(['0', '1'].map((id) => producer.getPartitionProperties(id)));
    await producer.close();
    expect(partitions.every((p) => p.isEmpty)).toBe(true);
  });
});
