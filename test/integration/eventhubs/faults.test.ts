import { EventHubProducerClient, earliestEventPosition } from '@azure/event-hubs';
import { describe, expect, it } from 'vitest';
import { failure, receive, useEventHubs } from './support.js';

const eh = useEventHubs({ telemetry: { partitionCount: 2 } });
const journal = (operation: string) => eh.journal.list({ service: 'eventhubs', operation }).requests;

describe('Event Hubs faults and journal', () => {
  it('answers an injected 503 on Send with ServerBusyError, then sends normally', async () => {
    eh.faults.add({ service: 'eventhubs', operation: 'Send', status: 503 });
    const producer = eh.producer('telemetry');
    expect((await failure(producer.sendBatch([{ body: 'x' }], { partitionId: '0' }))).code).toBe('ServerBusyError');
    await producer.sendBatch([{ body: 'y' }], { partitionId: '0' });
    expect((await producer.getPartitionProperties('0')).lastEnqueuedSequenceNumber).toBe(0);
    expect(journal('Send').map((e) => [e.status, e.errorCode])).toEqual([[503, 'ServerBusy'], [200, undefined]]);
  });

  it('drops the connection for an injected reset; the SDK reconnects and retries', async () => {
    const producer = new EventHubProducerClient(eh.connectionString, 'telemetry', { retryOptions: { maxRetries: 3, retryDelayInMs: 20, timeoutInMs: 1_000 } });
    eh.clients.push(producer);
    await producer.getEventHubProperties();
    eh.faults.add({ service: 'eventhubs', operation: 'GetPartitionProperties', reset: true });
    expect((await producer.getPartitionProperties('1')).partitionId).toBe('1');
    expect(journal('GetPartitionProperties')[0]).toMatchObject({ path: '/telemetry/Partitions/1', fault: { action: 'drop' } });
  });

  it('detaches the sending link for an injected detach; the SDK re-attaches and its retry is accepted', async () => {
    const producer = new EventHubProducerClient(eh.connectionString, 'telemetry', { retryOptions: { maxRetries: 2, retryDelayInMs: 20, timeoutInMs: 2_000 } });
    eh.clients.push(producer);
    eh.faults.add({ service: 'eventhubs', operation: 'Send', detach: true });
    await producer.sendBatch([{ body: 'after detach' }], { partitionId: '0' });
    expect((await producer.getPartitionProperties('0')).lastEnqueuedSequenceNumber).toBe(0);
    expect(journal('Send').map((e) => e.fault?.action ?? 'none')).toEqual(['detach', 'none']);
  });

  it('detaches a receiver with the injected condition, which the subscription reports', async () => {
    await eh.producer('telemetry').sendBatch([{ body: 'x' }], { partitionId: '0' });
    eh.faults.add({ service: 'eventhubs', operation: 'Receive', status: 503 });
    const error = await failure(receive((h) => eh.consumer('telemetry').subscribe('0', h, { startPosition: earliestEventPosition }), 1));
    expect(error.code).toBe('ServerBusyError');
  });

  it('records receives and property reads with hub, group and partition', async () => {
    const producer = eh.producer('telemetry');
    await producer.sendBatch([{ body: 'x' }], { partitionId: '1' });
    await producer.getEventHubProperties();
    await receive((h) => eh.consumer('telemetry').subscribe('1', h, { startPosition: earliestEventPosition }), 1);
    expect(journal('GetEventHubProperties').map((e) => e.path)).toEqual(['/telemetry']);
    expect(journal('Receive')[0]).toMatchObject({ path: '/telemetry/ConsumerGroups/$Default/Partitions/1', status: 200, method: 'AMQP' });
  });

});
