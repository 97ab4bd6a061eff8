import { describe, expect, it } from 'vitest';
import { codeOf, useServiceBus } from './support.js';

const sb = useServiceBus({
  queues: [
    { name: 'work', properties: { LockDuration: 'PT30S', MaxDeliveryCount: 3 } },
  ],
});

async function sendAndReceive(body: unknown = 'job') {
  await sb.client.createSender('work').sendMessages({ body });
  const receiver = sb.client.createReceiver('work');
  const [message] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 2_000 });
  return { receiver, message: message! };
}

describe('Service Bus settlement', () => {
  it('gives a peek-locked message a lock token and a lock until now plus LockDuration on the emulators clock', async () => {
    const { message } = await sendAndReceive();
    expect(message.lockToken).toMatch(/^[0-9a-f-]{36}$/);
    const expected = sb.clock.now() + 30_000;
    expect(Math.abs(message.lockedUntilUtc!.getTime() - expected)).toBeLessThan(2_000);
    expect(message.deliveryCount).toBe(0);
  });

  it('redelivers an abandoned message with a higher delivery count and the properties it was given', async () => {
    const { receiver, message } = await sendAndReceive();
    await receiver.abandonMessage(message, { reason: 'retry later' });
    const [again] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 2_000 });
    expect(again!.deliveryCount).toBe(1);
    expect(again!.applicationProperties?.reason).toBe('retry later');
  });

  it('dead-letters a message past MaxDeliveryCount with MaxDeliveryCountExceeded', async () => {
    const { receiver, message } = await sendAndReceive();
    await receiver.abandonMessage(message);
    for (let i = 0; i < 2; i++) {
      const [m] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 2_000 });
      await receiver.abandonMessage(m!);
    }
    expect(await receiver.receiveMessages(1, { maxWaitTimeInMs: 200 })).toEqual([]);
    const dlq = sb.client.createReceiver('work', { subQueueType: 'deadLetter' });
    const [dead] = await dlq.receiveMessages(1, { maxWaitTimeInMs: 2_000 });
    expect(dead!.deadLetterReason).toBe('MaxDeliveryCountExceeded');
    expect(dead!.body).toBe('job');
    await dlq.completeMessage(dead!);
  });

  it('moves a dead-lettered message to the dead-letter sub-queue with its reason and description', async () => {
    const { receiver, message } = await sendAndReceive();
    await receiver.deadLetterMessage(message, { deadLetterReason: 'Invalid', deadLetterErrorDescription: 'no customer id' });
    const dlq = sb.client.createReceiver('work', { subQueueType: 'deadLetter' });
    const [dead] = await dlq.receiveMessages(1, { maxWaitTimeInMs: 2_000 });
    expect([dead!.deadLetterReason, dead!.deadLetterErrorDescription, dead!.body]).toEqual(['Invalid', 'no customer id', 'job']);
  });

  it('defers a message until it is received by its sequence number', async () => {
    const { receiver, message } = await sendAndReceive('later');
    await receiver.deferMessage(message);
    expect(await receiver.receiveMessages(1, { maxWaitTimeInMs: 200 })).toEqual([]);
    const [deferred] = await receiver.receiveDeferredMessages(message.sequenceNumber!);
    expect(deferred!.body).toBe('later');
    expect(deferred!.state).toBe('deferred');
    await receiver.completeMessage(deferred!);
    expect(await codeOf(receiver.receiveDeferredMessages(message.sequenceNumber!))).toBe('MessageNotFound');
  });

  it('redelivers a message whose lock expired on the emulators clock', async () => {
    const { receiver, message } = await sendAndReceive();
    sb.clock.advance(31_000);
    const [again] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 2_000 });
    expect(again!.messageId).toBe(message.messageId);
    expect(again!.deliveryCount).toBe(1);
  });

  it('refuses to settle with a stale lock token: MessageLockLost', async () => {
    const { receiver, message } = await sendAndReceive();
    sb.clock.advance(31_000);
    expect(await codeOf(receiver.completeMessage(message))).toBe('MessageLockLost');
  });

  it('renews a lock, moving lockedUntilUtc forward', async () => {
    const { receiver, message } = await sendAndReceive();
    const before = message.lockedUntilUtc!.getTime();
    sb.clock.advance(20_000);
    const renewed = await receiver.renewMessageLock(message);
    expect(renewed.getTime()).toBeGreaterThanOrEqual(before + 19_000);
    sb.clock.advance(20_000);
    await receiver.completeMessage(message);
  });

  it('refuses to renew a lock that expired: MessageLockLost', async () => {
    const { receiver, message } = await sendAndReceive();
    sb.clock.advance(31_000);
    expect(await codeOf(receiver.renewMessageLock(message))).toBe('MessageLockLost');
  });

  it('removes messages as it delivers them in receive-and-delete mode', async () => {
    await sb.client.createSender('work').sendMessages([{ body: 1 }, { body: 2 }]);
    const receiver = sb.client.createReceiver('work', { receiveMode: 'receiveAndDelete' });
    const messages = await receiver.receiveMessages(2, { maxWaitTimeInMs: 2_000 });
    expect(messages.map((m) => m.body)).toEqual([1, 2]);
    sb.clock.advance(31_000);
    expect(await receiver.receiveMessages(1, { maxWaitTimeInMs: 200 })).toEqual([]);
  });
});
