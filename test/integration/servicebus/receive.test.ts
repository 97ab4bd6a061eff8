import { describe, expect, it } from 'vitest';
import { useServiceBus } from './support.js';

const sb = useServiceBus({ queues: ['inbox'] });

async function send(count: number) {
  await sb.client.createSender('inbox').sendMessages(Array.from({ length: count }, (_, i) => ({ body: i })));
}

describe('Service Bus receiving', () => {
  it('receives at most the count asked for', async () => {
    await send(5);
    const receiver = sb.client.createReceiver('inbox', { receiveMode: 'receiveAndDelete' });
    const messages = await receiver.receiveMessages(3, { maxWaitTimeInMs: 2_000 });
    expect(messages.map((m) => m.body)).toEqual([0, 1, 2]);
  });

  it('returns nothing after the max wait when the queue is empty', async () => {
    const receiver = sb.client.createReceiver('inbox');
    const started = Date.now();
    expect(await receiver.receiveMessages(1, { maxWaitTimeInMs: 300 })).toEqual([]);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('hands a message sent while a receiver waits to that receiver', async () => {
    const receiver = sb.client.createReceiver('inbox', { receiveMode: 'receiveAndDelete' });
    const pending = receiver.receiveMessages(1, { maxWaitTimeInMs: 5_000 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await send(1);
    expect((await pending).map((m) => m.body)).toEqual([0]);
  });

  it('delivers to subscribe handlers running concurrently, each message once', async () => {
    await send(10);
    const receiver = sb.client.createReceiver('inbox');
    const seen: number[] = [];
    let running = 0;
    let maxRunning = 0;
    await new Promise<void>((resolve, reject) => {
      const subscription = receiver.subscribe(
        {
          processMessage: async (message) => {
            running++;
            maxRunning = Math.max(maxRunning, running);
            await new Promise((r) => setTimeout(r, 20));
            seen.push(message.body as number);
            running--;
            if (seen.length === 10) void subscription.close().then(resolve);
          },
          processError: async (args) => reject(args.error),
        },
        { maxConcurrentCalls: 4 },
      );
    });
    expect([...seen].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(maxRunning).toBeGreaterThan(1);
  });

  // rhea keeps 2048 unsettled deliveries per session; a settled message must free its slot on both ends.
  it('keeps delivering to one peek-lock receiver past 2,048 completed messages', async () => {
    const total = 2_100;
    for (let sent = 0; sent < total; sent += 700) await send(700);
    const receiver = sb.client.createReceiver('inbox');
    let completed = 0;
    while (completed < total) {
      const messages = await receiver.receiveMessages(500, { maxWaitTimeInMs: 2_000 });
      expect(messages.length).toBeGreaterThan(0);
      await Promise.all(messages.map((m) => receiver.completeMessage(m)));
      completed += messages.length;
    }
    expect(completed).toBe(total);
  });

  it('iterates messages with getMessageIterator', async () => {
    await send(3);
    const receiver = sb.client.createReceiver('inbox', { receiveMode: 'receiveAndDelete' });
    const bodies: unknown[] = [];
    for await (const message of receiver.getMessageIterator()) {
      bodies.push(message.body);
      if (bodies.length === 3) break;
    }
    expect(bodies).toEqual([0, 1, 2]);
  });

  it('peeks without locking, from a given sequence number on', async () => {
    await send(4);
    const receiver = sb.client.createReceiver('inbox');
    const all = await receiver.peekMessages(10);
    expect(all.map((m) => m.body)).toEqual([0, 1, 2, 3]);
    const fromThird = await receiver.peekMessages(2, { fromSequenceNumber: all[2]!.sequenceNumber! });
    expect(fromThird.map((m) => m.body)).toEqual([2, 3]);
    const [locked] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 2_000 });
    expect(locked!.body).toBe(0);
  });

  it('continues a peek where the last one stopped', async () => {
    await send(3);
    const receiver = sb.client.createReceiver('inbox');
    expect((await receiver.peekMessages(2)).map((m) => m.body)).toEqual([0, 1]);
    expect((await receiver.peekMessages(2)).map((m) => m.body)).toEqual([2]);
  });

  it('peeks nothing from an empty queue', async () => {
    expect(await sb.client.createReceiver('inbox').peekMessages(5)).toEqual([]);
  });
});
