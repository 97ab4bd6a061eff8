import { earliestEventPosition, latestEventPosition, type ReceivedEventData } from '@azure/event-hubs';
import { describe, expect, it } from 'vitest';
import { failure, receive, useEventHubs } from './support.js';

// Retention of 36 s: moving the emulators' clock past it keeps the SDK's one-hour tokens valid.
const eh = useEventHubs({ telemetry: { partitionCount: 2, consumerGroups: ['analytics'] }, shortlived: { retentionInHours: 0.01 } });

async function sendToPartition0(bodies: unknown[]): Promise<void> {
  await eh.producer('telemetry').sendBatch(bodies.map((body) => ({ body })), { partitionId: '0' });
}

const bodies = (events: ReceivedEventData[]) => events.map((e) => e.body);

describe('Event Hubs receive', () => {
  it('receives from every partition when subscribing to the hub', async () => {
    const producer = eh.producer('telemetry');
    await producer.sendBatch([{ body: 'p0' }], { partitionId: '0' });
    await producer.sendBatch([{ body: 'p1' }], { partitionId: '1' });
    const events = await receive((h) => eh.consumer('telemetry').subscribe(h, { startPosition: earliestEventPosition }), 2);
    expect(bodies(events).sort()).toEqual(['p0', 'p1']);
  });

  it('receives from one partition only when subscribing to it', async () => {
    const producer = eh.producer('telemetry');
    await producer.sendBatch([{ body: 'p0' }], { partitionId: '0' });
    await producer.sendBatch([{ body: 'p1' }], { partitionId: '1' });
    const events = await receive((h) => eh.consumer('telemetry').subscribe('1', h, { startPosition: earliestEventPosition }), 1);
    expect(bodies(events)).toEqual(['p1']);
    expect(events[0]).toMatchObject({ sequenceNumber: 0, offset: '0' });
  });

  it('stamps sequence number, offset and enqueued time on each event', async () => {
    await sendToPartition0(['a', 'b']);
    const [a, b] = await receive((h) => eh.consumer('telemetry').subscribe('0', h, { startPosition: earliestEventPosition }), 2);
    expect([a!.sequenceNumber, b!.sequenceNumber]).toEqual([0, 1]);
    expect(Number(b!.offset)).toBeGreaterThan(Number(a!.offset));
    expect(Math.abs(a!.enqueuedTimeUtc.getTime() - eh.clock.now())).toBeLessThan(5_000);
  });

  it('starts at the latest position with events sent after subscribing', async () => {
    await sendToPartition0(['old']);
    const consumer = eh.consumer('telemetry');
    const received = receive((h) => consumer.subscribe('0', h, { startPosition: latestEventPosition }), 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await sendToPartition0(['new']);
    expect(bodies(await received)).toEqual(['new']);
  });

  it('starts at a sequence number, inclusive or not', async () => {
    await sendToPartition0(['s0', 's1', 's2', 's3']);
    const inclusive = await receive((h) => eh.consumer('telemetry').subscribe('0', h, { startPosition: { sequenceNumber: 2, isInclusive: true } }), 2);
    expect(bodies(inclusive)).toEqual(['s2', 's3']);
    const exclusive = await receive((h) => eh.consumer('telemetry').subscribe('0', h, { startPosition: { sequenceNumber: 2 } }), 1);
    expect(bodies(exclusive)).toEqual(['s3']);
  });

  it('starts after an offset', async () => {
    await sendToPartition0(['o0', 'o1', 'o2']);
    const all = await receive((h) => eh.consumer('telemetry').subscribe('0', h, { startPosition: earliestEventPosition }), 3);
    const after = await receive((h) => eh.consumer('telemetry').subscribe('0', h, { startPosition: { offset: all[0]!.offset } }), 2);
    expect(bodies(after)).toEqual(['o1', 'o2']);
    const from = await receive((h) => eh.consumer('telemetry').subscribe('0', h, { startPosition: { offset: all[1]!.offset, isInclusive: true } }), 2);
    expect(bodies(from)).toEqual(['o1', 'o2']);
  });

  it('starts after an enqueued time on the emulators clock', async () => {
    await sendToPartition0(['early']);
    eh.clock.advance(60_000);
    const cut = new Date(eh.clock.now());
    eh.clock.advance(1_000);
    await sendToPartition0(['late']);
    const events = await receive((h) => eh.consumer('telemetry').subscribe('0', h, { startPosition: { enqueuedOn: cut } }), 1);
    expect(bodies(events)).toEqual(['late']);
  });

  it('hands over at most maxBatchSize events per call', async () => {
    await sendToPartition0([1, 2, 3, 4, 5]);
    const sizes: number[] = [];
    const events = await receive(
      (h) =>
        eh.consumer('telemetry').subscribe(
          '0',
          {
            ...h,
            processEvents: async (events, context) => {
              if (events.length > 0) sizes.push(events.length);
              await h.processEvents(events, context);
            },
          },
          { startPosition: earliestEventPosition, maxBatchSize: 2, maxWaitTimeInSeconds: 1 },
        ),
      5,
    );
    expect(bodies(events)).toEqual([1, 2, 3, 4, 5]);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(2);
  });

  it('calls processEvents with no events after maxWaitTimeInSeconds of silence', async () => {
    const consumer = eh.consumer('telemetry');
    const started = Date.now();
    const empty = await new Promise<number>((resolve) => {
      const subscription = consumer.subscribe(
        '0',
        {
          processEvents: async (events) => {
            if (events.length === 0) {
              resolve(Date.now() - started);
              void subscription.close();
            }
          },
          processError: async () => {},
        },
        { maxWaitTimeInSeconds: 1 },
      );
    });
    expect(empty).toBeGreaterThanOrEqual(900);
  });

  it('tracks the last enqueued event of the partition', async () => {
    await sendToPartition0(['a', 'b', 'c']);
    let last: { sequenceNumber?: number } | undefined;
    await receive(
      (h) =>
        eh.consumer('telemetry').subscribe(
          '0',
          {
            ...h,
            processEvents: async (events, context) => {
              last = context.lastEnqueuedEventProperties;
              await h.processEvents(events, context);
            },
          },
          { startPosition: earliestEventPosition, maxBatchSize: 1, trackLastEnqueuedEventProperties: true },
        ),
      1,
    );
    expect(last).toMatchObject({ sequenceNumber: 2 });
    expect((last as { enqueuedOn?: Date }).enqueuedOn).toBeInstanceOf(Date);
  });

  it('lets each consumer group read the same events independently', async () => {
    await sendToPartition0(['shared']);
    const first = await receive((h) => eh.consumer('telemetry').subscribe('0', h, { startPosition: earliestEventPosition }), 1);
    const second = await receive((h) => eh.consumer('telemetry', 'analytics').subscribe('0', h, { startPosition: earliestEventPosition }), 1);
    expect(bodies(first)).toEqual(['shared']);
    expect(bodies(second)).toEqual(['shared']);
  });

  it('refuses a consumer group that does not exist with MessagingEntityNotFoundError', async () => {
    const error = await failure(receive((h) => eh.consumer('telemetry', 'nobody').subscribe('0', h), 1));
    expect(error.code).toBe('MessagingEntityNotFoundError');
  });

  it('refuses a hub that does not exist with MessagingEntityNotFoundError', async () => {
    const error = await failure(receive((h) => eh.consumer('ghost').subscribe('0', h), 1));
    expect(error.code).toBe('MessagingEntityNotFoundError');
  });

  it('refuses a partition the hub does not have with ArgumentOutOfRangeError', async () => {
    const error = await failure(receive((h) => eh.consumer('telemetry').subscribe('7', h), 1));
    expect(error.code).toBe('ArgumentOutOfRangeError');
  });

  it('drops events older than the retention on the emulators clock', async () => {
    const producer = eh.producer('shortlived');
    await producer.sendBatch([{ body: 'expired' }]);
    eh.clock.advance(36_001);
    await producer.sendBatch([{ body: 'kept' }]);
    const events = await receive((h) => eh.consumer('shortlived').subscribe(h, { startPosition: earliestEventPosition }), 1);
    expect(bodies(events)).toEqual(['kept']);
    const props = await producer.getPartitionProperties('0');
    expect(props).toMatchObject({ beginningSequenceNumber: 1, lastEnqueuedSequenceNumber: 1 });
  });
});

describe('Event Hubs receive across a reset', () => {
  it('keeps an open subscription reading, from sequence number 0, after a reset', async () => {
    await sendToPartition0(['before']);
    const consumer = eh.consumer('telemetry');
    const seen: ReceivedEventData[] = [];
    const subscription = consumer.subscribe('0', { processEvents: async (events) => void seen.push(...events), processError: async () => {} }, { startPosition: earliestEventPosition });
    try {
      await until(() => seen.length === 1);
      await eh.service.reset('devstoreaccount1');
      await sendToPartition0(['after']);
      await until(() => seen.length === 2);
      expect(seen.map((e) => [e.body, e.sequenceNumber])).toEqual([['before', 0], ['after', 0]]);
    } finally {
      await subscription.close();
    }
  });
});

async function until(ok: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error('Timed out waiting.');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('Event Hubs receive, in bulk', () => {
  it('hands over more events than the session window in one subscription', async () => {
    const producer = eh.producer('telemetry');
    const batch = Array.from({ length: 500 }, (_, i) => ({ body: i }));
    for (let i = 0; i < 6; i++) await producer.sendBatch(batch, { partitionId: '1' });
    const events = await receive((h) => eh.consumer('telemetry').subscribe('1', h, { startPosition: earliestEventPosition, maxBatchSize: 3000 }), 3000, 15_000);
    expect(events.map((e) => e.sequenceNumber)).toEqual(Array.from({ length: 3000 }, (_, i) => i));
  });
});
