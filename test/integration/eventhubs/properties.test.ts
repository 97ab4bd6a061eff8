import { describe, expect, it } from 'vitest';
import { failure, useEventHubs } from './support.js';

const eh = useEventHubs({ telemetry: { partitionCount: 4, consumerGroups: ['analytics'] } });

describe('Event Hubs properties ($management)', () => {
  it('reports the hub with its partition ids', async () => {
    const props = await eh.producer('telemetry').getEventHubProperties();
    expect(props.name).toBe('telemetry');
    expect(props.partitionIds).toEqual(['0', '1', '2', '3']);
    expect(props.createdOn).toBeInstanceOf(Date);
  });

  it('lists the partition ids', async () => {
    expect(await eh.consumer('telemetry').getPartitionIds()).toEqual(['0', '1', '2', '3']);
  });

  it('reports an empty partition as empty', async () => {
    const props = await eh.producer('telemetry').getPartitionProperties('2');
    expect(props).toMatchObject({ eventHubName: 'telemetry', partitionId: '2', isEmpty: true, beginningSequenceNumber: 0, lastEnqueuedSequenceNumber: -1 });
  });

  it('reports the last enqueued event of a partition', async () => {
    const producer = eh.producer('telemetry');
    const batch = await producer.createBatch({ partitionId: '1' });
    batch.tryAdd({ body: 'a' });
    batch.tryAdd({ body: 'b' });
    await producer.sendBatch(batch);
    const props = await producer.getPartitionProperties('1');
    expect(props.isEmpty).toBe(false);
    expect(props.beginningSequenceNumber).toBe(0);
    expect(props.lastEnqueuedSequenceNumber).toBe(1);
    expect(Number(props.lastEnqueuedOffset)).toBeGreaterThan(0);
    expect(Math.abs(props.lastEnqueuedOnUtc.getTime() - eh.clock.now())).toBeLessThan(5_000);
  });

  it('refuses a partition id the hub does not have with ArgumentOutOfRangeError', async () => {
    const error = await failure(eh.producer('telemetry').getPartitionProperties('4'));
    expect(error.code).toBe('ArgumentOutOfRangeError');
  });
});

