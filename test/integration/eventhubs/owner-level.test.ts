import { earliestEventPosition, type Subscription } from '@azure/event-hubs';
import { describe, expect, it } from 'vitest';
import { receive, useEventHubs } from './support.js';

const eh = useEventHubs({ telemetry: { partitionCount: 1 } });

/** Subscribes to partition 0 with `ownerLevel` and resolves with the first error it reports. */
function firstError(ownerLevel: number | undefined): { subscription: Subscription; error: Promise<Error & { code?: string }> } {
  let subscription!: Subscription;
  const error = new Promise<Error & { code?: string }>((resolve) => {
    subscription = eh.consumer('telemetry').subscribe(
      '0',
      { processEvents: async () => {}, processError: async (e) => resolve(e as Error & { code?: string }) },
      { startPosition: earliestEventPosition, ownerLevel, maxWaitTimeInSeconds: 1 },
    );
  });
  return { subscription, error };
}

describe('Event Hubs owner level (epoch)', () => {
  it('disconnects the lower owner level with ReceiverDisconnectedError when a higher one attaches', async () => {
    await eh.producer('telemetry').sendBatch([{ body: 'x' }]);
    const low = firstError(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const events = await receive((h) => eh.consumer('telemetry').subscribe('0', h, { startPosition: earliestEventPosition, ownerLevel: 2 }), 1);
    expect(events.map((e) => e.body)).toEqual(['x']);
    expect((await low.error).code).toBe('ReceiverDisconnectedError');
    await low.subscription.close();
  });

  it('refuses a lower owner level while a higher one holds the partition', async () => {
    const high = firstError(5);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const low = firstError(3);
    expect((await low.error).code).toBe('ReceiverDisconnectedError');
    await Promise.all([low.subscription.close(), high.subscription.close()]);
  });

  it('refuses a receiver without owner level while one with an owner level holds the partition', async () => {
    const high = firstError(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const plain = firstError(undefined);
    expect((await plain.error).code).toBe('ReceiverDisconnectedError');
    await Promise.all([plain.subscription.close(), high.subscription.close()]);
  });
});

describe('Event Hubs readers per partition', () => {
  it('refuses a sixth receiver of one partition in one consumer group with QuotaExceededError', async () => {
    const readers = Array.from({ length: 5 }, () => firstError(undefined));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const sixth = firstError(undefined);
    expect((await sixth.error).code).toBe('QuotaExceededError');
    await Promise.all([...readers, sixth].map((r) => r.subscription.close()));
  });
});
