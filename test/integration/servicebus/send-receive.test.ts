import { describe, expect, it } from 'vitest';
import { useServiceBus } from './support.js';

const sb = useServiceBus({ queues: ['orders'] });

describe('Service Bus send and receive', () => {
  it('delivers a sent message to a peek-lock receiver, which completes it', async () => {
    const sender = sb.client.createSender('orders');
    await sender.sendMessages({ body: 'hello' });
    const receiver = sb.client.createReceiver('orders');
    const [message] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 2_000 });
    expect(message?.body).toBe('hello');
    await receiver.completeMessage(message!);
    expect(await receiver.receiveMessages(1, { maxWaitTimeInMs: 200 })).toEqual([]);
    await sender.close();
    await receiver.close();
  });
});
