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


describe('Event Hubs inspection', () => {
  it('shows each hub with its groups and what its partitions hold', async () => {
    await eh.producer('telemetry').sendBatch([{ body: 'x' }], { partitionId: '3' });
    const snapshot = (await eh.service.inspect('devstoreaccount1')) as { kind: string; accounts: Record<string, { hubs: { name: string; consumerGroups: string[]; partitions: { id: string; events: number }[] }[] }> };
    expect(snapshot.kind).toBe('eventhubs');
    const [hub] = snapshot.accounts.devstoreaccount1!.hubs;
    expect(hub).toMatchObject({ name: 'telemetry', consumerGroups: ['$Default', 'analytics'] });
    expect(hub!.partitions.map((p) => p.events)).toEqual([0, 0, 0, 1]);
  });
});
