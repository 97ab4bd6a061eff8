import { EventHubBufferedProducerClient, earliestEventPosition } from '@azure/event-hubs';
import { describe, expect, it } from 'vitest';
import { failure, noRetry, receive, useEventHubs } from './support.js';

const eh = useEventHubs({ orders: { partitionCount: 4 } });

async function lastSequence(partitionId: string): Promise<number> {
  return (await eh.producer('orders').getPartitionProperties(partitionId)).lastEnqueuedSequenceNumber;
}

describe('Event Hubs send', () => {
  it('sends a batch to the partition it names', async () => {
    const producer = eh.producer('orders');
    const batch = await producer.createBatch({ partitionId: '2' });
    expect(batch.tryAdd({ body: 'one' })).toBe(true);
    expect(batch.tryAdd({ body: 'two' })).toBe(true);
    await producer.sendBatch(batch);
    expect(await lastSequence('2')).toBe(1);
    expect(await lastSequence('0')).toBe(-1);
  });

  it('lands events with the same partition key on the same partition', async () => {
    const producer = eh.producer('orders');
    for (let i = 0; i < 3; i++) {
      const batch = await producer.createBatch({ partitionKey: 'customer-42' });
      batch.tryAdd({ body: i });
      await producer.sendBatch(batch);
    }
    const counts = await Promise.all(['0', '1', '2', '3'].map(lastSequence));
    expect(counts.filter((c) => c === 2)).toHaveLength(1);
    expect(counts.filter((c) => c === -1)).toHaveLength(3);
  });

  it('keeps the partition key on the received event', async () => {
    const producer = eh.producer('orders');
    await producer.sendBatch([{ body: 'x' }], { partitionKey: 'k1' });
    const [event] = await receive((h) => eh.consumer('orders').subscribe(h, { startPosition: earliestEventPosition }), 1);
    expect(event!.partitionKey).toBe('k1');
  });

  it('spreads events without partition id or key round robin', async () => {
    const producer = eh.producer('orders');
    for (let i = 0; i < 4; i++) await producer.sendBatch([{ body: i }]);
    expect(await Promise.all(['0', '1', '2', '3'].map(lastSequence))).toEqual([0, 0, 0, 0]);
  });

  it('keeps body types and properties', async () => {
    const producer = eh.producer('orders');
    const body = { n: 1, text: 'ünïcode', list: [1, 2] };
    await producer.sendBatch(
      [
        { body, properties: { color: 'red', size: 3 }, contentType: 'application/json', correlationId: 'c-1', messageId: 'm-1' },
        { body: Buffer.from([0, 1, 2, 255]) },
        { body: 'plain text' },
        { body: 42 },
      ],
      { partitionId: '0' },
    );
    const events = await receive((h) => eh.consumer('orders').subscribe('0', h, { startPosition: earliestEventPosition }), 4);
    expect(events[0]!.body).toEqual(body);
    expect(events[0]!.properties).toEqual({ color: 'red', size: 3 });
    expect(events[0]).toMatchObject({ contentType: 'application/json', correlationId: 'c-1', messageId: 'm-1' });
    expect(Buffer.from(events[1]!.body as Uint8Array)).toEqual(Buffer.from([0, 1, 2, 255]));
    expect(events[2]!.body).toBe('plain text');
    expect(events[3]!.body).toBe(42);
  });

  it('sends through the buffered producer', async () => {
    const buffered = new EventHubBufferedProducerClient(eh.connectionString, 'orders', {
      ...noRetry,
      maxWaitTimeInMs: 50,
      onSendEventsErrorHandler: () => {},
    });
    await buffered.enqueueEvent({ body: 'buffered' }, { partitionId: '3' });
    await buffered.flush();
    await buffered.close();
    expect(await lastSequence('3')).toBe(0);
  });

  it('agrees with the buffered producer on where a partition key goes', async () => {
    const buffered = new EventHubBufferedProducerClient(eh.connectionString, 'orders', { ...noRetry, onSendEventsErrorHandler: () => {} });
    await buffered.enqueueEvent({ body: 'b' }, { partitionKey: 'tenant-7' });
    await buffered.flush();
    await buffered.close();
    await eh.producer('orders').sendBatch([{ body: 'p' }], { partitionKey: 'tenant-7' });
    const counts = await Promise.all(['0', '1', '2', '3'].map(lastSequence));
    expect(counts.sort()).toEqual([-1, -1, -1, 1]);
  });

  it('does not fit an event over 1 MB in a batch', async () => {
    const batch = await eh.producer('orders').createBatch();
    expect(batch.maxSizeInBytes).toBe(1024 * 1024);
    expect(batch.tryAdd({ body: Buffer.alloc(1024 * 1024 + 1) })).toBe(false);
  });

  it('refuses an array of events over 1 MB with MessageTooLargeError', async () => {
    const error = await failure(eh.producer('orders').sendBatch([{ body: Buffer.alloc(700_000) }, { body: Buffer.alloc(700_000) }], { partitionId: '0' }));
    expect(error.code).toBe('MessageTooLargeError');
    expect(await lastSequence('0')).toBe(-1);
    const sends = eh.journal.list({ service: 'eventhubs', operation: 'Send' }).requests;
    expect(sends.map((e) => [e.status, e.errorCode])).toEqual([[403, 'MessageSizeExceeded']]);
  });

  it('refuses a hub that does not exist with MessagingEntityNotFoundError', async () => {
    const error = await failure(eh.producer('nope').sendBatch([{ body: 'x' }]));
    expect(error.code).toBe('MessagingEntityNotFoundError');
  });

  it('refuses a partition the hub does not have with ArgumentOutOfRangeError', async () => {
    const error = await failure(eh.producer('orders').sendBatch([{ body: 'x' }], { partitionId: '9' }));
    expect(error.code).toBe('ArgumentOutOfRangeError');
  });

  it('records sends in the journal with hub and partition', async () => {
    await eh.producer('orders').sendBatch([{ body: 'x' }], { partitionId: '1' });
    const sends = eh.journal.list({ namespace: 'devstoreaccount1', service: 'eventhubs', operation: 'Send' }).requests;
    expect(sends.map((e) => e.path)).toEqual(['/orders/Partitions/1']);
  });
});
